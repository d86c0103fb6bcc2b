package io.usermesh.admin;

import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Reports each site's last probe in the health details. It stays UP when a site is down: a dead
 * WordPress site is not a broken runner, and restarting the runner would not bring the site back.
 */
public final class SitesHealthCheck extends AbstractHealthCheck {

    private final SitesConfig sites;
    private final SiteHealth health;

    public SitesHealthCheck(SitesConfig sites, SiteHealth health) {
        super("usermesh", "sites");
        this.sites = sites;
        this.health = health;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        for (Site site : sites.sites()) {
            String state = health.lastResult(site.id())
                    .map(r -> r.passed() ? "UP" : "DOWN: " + r.problem())
                    .orElse("UNKNOWN: not probed yet");
            builder.detail("site." + site.id(), state);
        }
        builder.up();
    }
}
