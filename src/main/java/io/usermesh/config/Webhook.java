package io.usermesh.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * Where a site may push change events from.
 *
 * @param secret HMAC-SHA256 key the site signs bodies with; empty means no push can be verified
 * @param allowIps CIDR blocks (a bare address is stored as /32 or /128); empty means any address
 * @param allowSources source URLs (X-WC-Webhook-Source or the companion plugin's), without trailing slash;
 *     empty means any source
 */
public record Webhook(Secret secret, List<String> allowIps, List<String> allowSources) {

    public Webhook {
        Objects.requireNonNull(secret, "secret");
        allowIps = List.copyOf(allowIps);
        allowIps.forEach(Cidr::parse);
        allowSources = List.copyOf(allowSources);
    }

    public boolean allowsIp(InetAddress address) {
        return allowIps.isEmpty() || allowIps.stream().anyMatch(block -> Cidr.parse(block).contains(address));
    }

    /** WooCommerce sends the home URL with a trailing slash, so that slash and letter case are ignored. */
    public boolean allowsSource(String source) {
        if (allowSources.isEmpty()) {
            return true;
        }
        if (source == null) {
            return false;
        }
        String wanted = ConfigValue.stripTrailingSlashes(source.trim());
        return allowSources.stream().anyMatch(wanted::equalsIgnoreCase);
    }
}
