package io.usermesh.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One WordPress site.
 *
 * @param url the site address without trailing slash; the REST API is under {@code url + "/wp-json/"}
 * @param applicationPassword may be empty: such a site fails its credential check at run time, not at load
 * @param prohibitIncoming the site refuses every change coming from another site
 * @param settings the defaults with this site's overrides applied
 */
public record Site(String id, String name, URI url, SiteStatus status, String username, Secret applicationPassword,
        boolean prohibitIncoming, Optional<Webhook> webhook, SiteSettings settings) {

    /** What a site id may be: it appears in URLs (/hooks/{siteId}), route ids and log lines. */
    public static final Pattern ID = Pattern.compile("[a-z0-9-]{1,32}");

    public Site {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(applicationPassword, "applicationPassword");
        Objects.requireNonNull(webhook, "webhook");
        Objects.requireNonNull(settings, "settings");
    }

    public boolean isActive() {
        return status == SiteStatus.ACTIVE;
    }

    /**
     * True for an http:// URL to a host other than this machine: the application password (and every
     * user's data) would cross the network in clear. Only a loopback name or literal counts as local,
     * so no lookup is made.
     */
    public boolean plainHttpBeyondLoopback() {
        if (!"http".equalsIgnoreCase(url.getScheme())) {
            return false;
        }
        String host = url.getHost().toLowerCase(java.util.Locale.ROOT);
        return !(host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.")
                || host.equals("[::1]") || host.equals("::1"));
    }
}
