package io.usermesh.pipeline;

import io.usermesh.config.Site;
import io.usermesh.config.SiteStatus;
import io.usermesh.config.SitesConfig;
import io.usermesh.storage.Jdbc;
import io.usermesh.storage.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * site_pause: sites paused at run time through the admin API, on top of the status in sites.yaml.
 * The table is shared by every runner; each reads it at most once per {@code refresh}, so a pause
 * or resume on one runner holds on all of them within that time.
 */
public final class SitePauses {

    private final Jdbc jdbc;
    private final Clock clock;
    private final Duration refresh;
    private volatile Set<String> paused;
    private volatile Instant readAt = Instant.MIN;

    public SitePauses(DataSource dataSource, Clock clock, Duration refresh) {
        this.jdbc = new Jdbc(dataSource);
        this.clock = clock;
        this.refresh = refresh;
    }

    /** Active in sites.yaml and not paused through the API. */
    public boolean isActive(Site site) {
        return site.isActive() && !paused().contains(site.id());
    }

    /** Whether the API paused the site (sites.yaml aside). */
    public boolean isPausedByApi(String siteId) {
        return paused().contains(siteId);
    }

    /** Returns false when the site was paused already. */
    public boolean pause(String siteId) {
        if (read().contains(siteId)) {
            return false;
        }
        try {
            jdbc.update("INSERT INTO site_pause (site_id, paused_at) VALUES (?, ?)", siteId, clock.instant());
        } catch (StorageException e) {
            if (read().contains(siteId)) {
                return false; // another runner paused it at the same moment
            }
            throw e;
        }
        read();
        return true;
    }

    /** Returns false when the API had not paused the site. */
    public boolean resume(String siteId) {
        boolean changed = jdbc.update("DELETE FROM site_pause WHERE site_id = ?", siteId) == 1;
        read();
        return changed;
    }

    /**
     * For one-shot commands: the sites as they stand now. A database that no runner has prepared
     * yet (a dry run migrates nothing) has no pauses.
     */
    public static SitesConfig effective(SitesConfig sites, DataSource dataSource, Clock clock) {
        try {
            new Jdbc(dataSource).query("SELECT 1 FROM site_pause WHERE 1 = 0", rs -> 1);
        } catch (StorageException e) {
            return sites;
        }
        return new SitePauses(dataSource, clock, Duration.ZERO).effective(sites);
    }

    /** The sites as they stand now: those the API paused have status paused. */
    public SitesConfig effective(SitesConfig sites) {
        Set<String> now = paused();
        if (now.isEmpty()) {
            return sites;
        }
        List<Site> list = sites.sites().stream().map(s -> now.contains(s.id()) ? paused(s) : s).toList();
        return new SitesConfig(sites.defaults(), list, sites.links());
    }

    private Set<String> paused() {
        Set<String> current = paused;
        if (current == null || clock.instant().isAfter(readAt.plus(refresh))) {
            current = read();
        }
        return current;
    }

    private Set<String> read() {
        Instant now = clock.instant();
        Set<String> current = Set.copyOf(jdbc.query("SELECT site_id FROM site_pause", rs -> rs.getString(1)));
        paused = current;
        readAt = now;
        return current;
    }

    private static Site paused(Site s) {
        return new Site(s.id(), s.name(), s.url(), SiteStatus.PAUSED, s.username(), s.applicationPassword(),
                s.prohibitIncoming(), s.webhook(), s.settings());
    }
}
