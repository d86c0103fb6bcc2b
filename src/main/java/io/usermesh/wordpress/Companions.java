package io.usermesh.wordpress;

import io.usermesh.config.Action;
import io.usermesh.config.Link;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which sites run the companion plugin (its namespace in the site's REST index), asked at most once
 * a minute per site. Passwords travel only between two such sites.
 */
public final class Companions {

    private static final Logger LOG = LoggerFactory.getLogger(Companions.class);
    private static final Duration FRESH = Duration.ofMinutes(1);

    private record Seen(boolean present, Instant at) {
    }

    private final Supplier<SitesConfig> sites;
    private final WordPressClients clients;
    private final Clock clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Predicate<String> fixed;

    public Companions(Supplier<SitesConfig> sites, WordPressClients clients, Clock clock) {
        this.sites = sites;
        this.clients = clients;
        this.clock = clock;
        this.fixed = null;
    }

    /** Fixed answers, no site asked (tests): {@code present} tells which sites run the companion. */
    public Companions(Supplier<SitesConfig> sites, Predicate<String> present) {
        this.sites = sites;
        this.clients = null;
        this.clock = null;
        this.fixed = present;
    }

    /** Whether {@code siteId} runs the companion; a site out of reach keeps its last answer (none: no). */
    public boolean on(String siteId) {
        if (fixed != null) {
            return fixed.test(siteId);
        }
        Seen last = seen.get(siteId);
        if (last != null && last.at().plus(FRESH).isAfter(clock.instant())) {
            return last.present();
        }
        Site site = sites.get().site(siteId).orElseThrow();
        try {
            boolean present = clients.client(site).index().hasCompanionPlugin();
            seen.put(siteId, new Seen(present, clock.instant()));
            return present;
        } catch (WordPressException e) {
            return last != null && last.present();
        }
    }

    /**
     * Start-up: one warning per link that lists password for a way it cannot deliver (a site without
     * the companion at either end). Those password changes are audited skipped.
     */
    public void warnPasswordLinks() {
        for (Link link : sites.get().links()) {
            boolean asked = link.carries(link.site(), link.remote(), Action.PASSWORD)
                    || link.carries(link.remote(), link.site(), Action.PASSWORD);
            if (!asked) {
                continue;
            }
            String missing = on(link.site()) ? on(link.remote()) ? null : link.remote() : link.site();
            if (missing != null) {
                LOG.warn("link {}-{} lists password, but site {} has no companion plugin: password changes over"
                        + " this link are skipped (audited) until the plugin runs on both sites", link.site(),
                        link.remote(), missing);
            }
        }
    }
}
