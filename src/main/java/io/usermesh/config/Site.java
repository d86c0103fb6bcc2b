package io.usermesh.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

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
}
