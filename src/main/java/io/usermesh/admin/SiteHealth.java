package io.usermesh.admin;

import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.wordpress.SiteCheck;
import io.usermesh.wordpress.SiteChecker;
import io.usermesh.wordpress.WordPressClients;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every site and remembers the last result. A site going down or coming back is logged
 * once, not on every probe, so a dead site does not flood the log.
 */
public final class SiteHealth {

    private static final Logger LOG = LoggerFactory.getLogger(SiteHealth.class);

    private final Supplier<SitesConfig> sites;
    private final WordPressClients clients;
    private final Map<String, SiteCheck> last = new ConcurrentHashMap<>();
    /** Since when each site that is down has been failing its probes without a pass between. */
    private final Map<String, Instant> downSince = new ConcurrentHashMap<>();
    private final Clock clock;

    public SiteHealth(Supplier<SitesConfig> sites, WordPressClients clients, Clock clock) {
        this.sites = sites;
        this.clients = clients;
        this.clock = clock;
    }

    /** Called by the site-health route. */
    public void probeAll() {
        sites.get().sites().parallelStream().forEach(this::probe);
    }

    public SiteCheck probe(Site site) {
        SiteCheck result = SiteChecker.check(clients.client(site));
        SiteCheck previous = last.put(site.id(), result);
        if (result.passed()) {
            downSince.remove(site.id());
        } else {
            downSince.putIfAbsent(site.id(), clock.instant());
        }
        boolean changed = previous == null || previous.passed() != result.passed();
        if (result.passed()) {
            if (changed) {
                LOG.info("site {} is UP ({})", site.id(), site.url());
            }
        } else if (changed || !result.problem().equals(previous.problem())) {
            LOG.warn("site {} is DOWN ({}): {}", site.id(), site.url(), result.problem());
        }
        return result;
    }

    /** When the site's probes started failing, if its last probe failed. */
    public Optional<Instant> downSince(String siteId) {
        return Optional.ofNullable(downSince.get(siteId));
    }

    public Optional<SiteCheck> lastResult(String siteId) {
        return Optional.ofNullable(last.get(siteId));
    }
}
