package io.usermesh.admin;

import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Counts the sites by their last probe in the health details. It stays UP when a site is down: a
 * dead WordPress site is not a broken runner, and restarting the runner would not bring the site
 * back. Which site is down, and why, is for the authenticated admin API (GET /api/sites): the
 * management port answers anyone who reaches it, with any exposure level they ask for.
 */
public final class SitesHealthCheck extends AbstractHealthCheck {

    private final Supplier<SitesConfig> sites;
    private final SiteHealth health;

    public SitesHealthCheck(Supplier<SitesConfig> sites, SiteHealth health) {
        super("usermesh", "sites");
        this.sites = sites;
        this.health = health;
    }

    private String state(Site site) {
        return health.lastResult(site.id()).map(r -> r.passed() ? "up" : "down").orElse("unknown");
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, Long> counts = sites.get().sites().stream().collect(Collectors.groupingBy(this::state,
                TreeMap::new, Collectors.counting()));
        builder.detail("sites.up", counts.getOrDefault("up", 0L));
        builder.detail("sites.down", counts.getOrDefault("down", 0L));
        builder.detail("sites.unknown", counts.getOrDefault("unknown", 0L));
        builder.up();
    }
}
