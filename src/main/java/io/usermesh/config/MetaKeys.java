package io.usermesh.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a link's {@code metaKeys} may hold. {@code woocommerce} stands for WooCommerce's customer
 * fields; some keys never travel whatever the list says, because they are a site's own security
 * state: login sessions, application passwords, capabilities and user levels (roles travel as
 * roles). The companion plugin refuses those too, and also every key under the site's table prefix,
 * which only the site knows.
 */
public final class MetaKeys {

    /** The preset's name in metaKeys. */
    public static final String WOOCOMMERCE_PRESET = "woocommerce";

    /** WooCommerce's customer fields, as WC_Customer_Data_Store stores them in user meta. */
    public static final List<String> WOOCOMMERCE = List.of(
            "billing_first_name", "billing_last_name", "billing_company", "billing_address_1", "billing_address_2",
            "billing_city", "billing_postcode", "billing_country", "billing_state", "billing_email", "billing_phone",
            "shipping_first_name", "shipping_last_name", "shipping_company", "shipping_address_1",
            "shipping_address_2", "shipping_city", "shipping_postcode", "shipping_country", "shipping_state",
            "shipping_phone", "paying_customer");

    private static final List<String> NEVER = List.of("session_tokens", "_application_passwords",
            "usermesh_propagation_off", "usermesh_protected");

    private MetaKeys() {
    }

    /** Whether {@code key} is one of those that never travel. */
    public static boolean neverSynced(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return NEVER.contains(k) || k.endsWith("capabilities") || k.endsWith("user_level");
    }

    /** The keys as listed, the preset expanded, in order, without repeats. Never-synced keys are kept: see {@link #neverSynced}. */
    public static List<String> expand(List<String> listed) {
        List<String> keys = new ArrayList<>();
        for (String key : listed) {
            for (String one : WOOCOMMERCE_PRESET.equals(key) ? WOOCOMMERCE : List.of(key)) {
                if (!keys.contains(one)) {
                    keys.add(one);
                }
            }
        }
        return keys;
    }
}
