package io.usermesh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.testing.CapturedLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A link's metaKeys: the woocommerce preset, and the keys that never travel whatever the list says. */
class MetaKeysTest {

    @TempDir
    Path dir;

    @Test
    void theWoocommercePresetExpandsInPlaceInOrderWithoutRepeats() {
        List<String> keys = MetaKeys.expand(List.of("billing_city", "loyalty_id", "woocommerce", "paying_customer",
                "loyalty_id"));

        assertTrue(keys.containsAll(List.of("billing_city", "shipping_postcode", "paying_customer")), keys.toString());
        assertFalse(keys.contains("woocommerce"), "the preset's name is no key");
        assertEquals(keys.stream().distinct().toList(), keys, "no key twice");
        List<String> expected = new ArrayList<>(List.of("billing_city", "loyalty_id"));
        MetaKeys.WOOCOMMERCE.stream().filter(k -> !expected.contains(k)).forEach(expected::add);
        assertEquals(expected, keys, "as listed, the preset's keys where the preset stands");
        assertEquals(MetaKeys.WOOCOMMERCE, MetaKeys.expand(List.of("woocommerce")));
    }

    @Test
    void aSitesOwnSecurityStateNeverTravels() {
        for (String key : List.of("session_tokens", "_application_passwords", "wp_capabilities", "wp_user_level",
                "usermesh_protected", "usermesh_propagation_off", "WP_Capabilities", "wp2_user_level")) {
            assertTrue(MetaKeys.neverSynced(key), key);
        }
        for (String key : List.of("billing_city", "paying_customer", "nickname_extra")) {
            assertFalse(MetaKeys.neverSynced(key), key);
        }
    }

    /** Three sites; each test adds its links. */
    private static final String SITES = """
            sites:
              - id: shop
                url: https://shop.example.com
                username: sync-bot
              - id: blog
                url: https://blog.example.com
                username: sync-bot
              - id: crm
                url: https://crm.example.com
                username: sync-bot
            """;

    @Test
    void sitesYamlExpandsThePresetAndLeavesOutNeverSyncedKeys() throws IOException {
        Files.writeString(dir.resolve("sites.yaml"), SITES + """
                links:
                  - between: [shop, blog]
                    metaKeys: [woocommerce, session_tokens]
                """);

        SitesConfig sites = ConfigLoader.load(dir, Map.of()).sites();

        assertEquals(MetaKeys.WOOCOMMERCE, sites.links().get(0).metaKeys(), "the preset, without session_tokens");
        assertEquals(MetaKeys.WOOCOMMERCE.stream().sorted().toList(), sites.metaKeysOf("shop"));
    }

    @Test
    void metaKeysOnALinkThatCarriesNoMetadataAreWarnedAboutWithTheirLine() throws IOException {
        Files.writeString(dir.resolve("sites.yaml"), SITES + """
                links:
                  - between: [shop, blog]
                    metaKeys: [billing_city]
                  - between: [shop, crm]
                    outgoing: [create, metadata]
                    metaKeys: [billing_phone]
                """);
        List<String> warnings;
        try (CapturedLogs logs = new CapturedLogs()) {
            ConfigLoader.load(dir, Map.of());
            warnings = logs.lines();
        }
        List<String> aboutMetadata = warnings.stream().filter(w -> w.contains("no meta travels")).toList();
        assertEquals(1, aboutMetadata.size(), "one warning, for the link without metadata: " + warnings);
        assertTrue(aboutMetadata.get(0).contains("sites.yaml:13: links[0].metaKeys"), aboutMetadata.get(0));
    }
}
