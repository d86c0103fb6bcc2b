package io.usermesh.audit;

import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.storage.Jdbc;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the audit trail (sync_log) through the {@code audit-write} route and purges it by each site's
 * retention. Bound in the Camel registry as {@code auditLog}; the {@code audit-purge} route calls {@link #purge()}.
 */
public final class AuditLog {

    public static final String ENDPOINT = "direct:audit";

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    // A row belongs to the site it happened on: the target, or the source for rows without a target.
    // Spelt out instead of COALESCE(target_site, source_site) so the site indexes still apply.
    private static final String SITE_ROWS = "(target_site = ? OR (target_site IS NULL AND source_site = ?))";

    private final ProducerTemplate template;
    private final Jdbc jdbc;
    private final Supplier<SitesConfig> sites;
    private final Consumer<AuditEntry> counted;

    /** @param counted told every audited event, written or not (the deliveries metric) */
    public AuditLog(ProducerTemplate template, DataSource dataSource, Supplier<SitesConfig> sites,
            Consumer<AuditEntry> counted) {
        this.template = template;
        this.jdbc = new Jdbc(dataSource);
        this.sites = sites;
        this.counted = counted;
    }

    /**
     * Writes one row unless the source site or the target site has {@code syncLog: false}. Sites missing from
     * the configuration (removed since the change was seen) still get their rows. A failed insert is thrown.
     */
    public void record(AuditEntry entry) {
        Map<String, Object> row = row(entry);
        if (row != null) {
            template.sendBody(ENDPOINT, row);
        }
    }

    /** The body route audit-write inserts for the entry, or null when a site of it has {@code syncLog: false}. */
    public Map<String, Object> row(AuditEntry entry) {
        counted.accept(entry); // every audited event passes here, syncLog false or not
        return logs(entry.sourceSite()) && (entry.targetSite() == null || logs(entry.targetSite())) ? columns(entry)
                : null;
    }

    private boolean logs(String siteId) {
        return sites.get().site(siteId).map(site -> site.settings().syncLog()).orElse(true);
    }

    /** The body the audit-write route inserts: sync_log column name to value. */
    private static Map<String, Object> columns(AuditEntry entry) {
        Map<String, Object> row = new LinkedHashMap<>();
        // TIMESTAMP(3): MariaDB truncates extra digits, H2 rounds them; truncating here makes both store the same.
        row.put("logged_at", Timestamp.from(entry.loggedAt().truncatedTo(ChronoUnit.MILLIS)));
        row.put("event_id", entry.eventId());
        row.put("source_site", entry.sourceSite());
        row.put("target_site", entry.targetSite());
        row.put("user_key", entry.userKey());
        row.put("action", entry.action());
        row.put("status", entry.status().dbValue());
        row.put("http_status", entry.httpStatus());
        row.put("message", entry.message());
        row.put("duration_ms", entry.durationMs());
        row.put("origin", entry.origin().dbValue());
        return row;
    }

    /**
     * Deletes the sync_log rows older than their site's {@code logRetentionDays} (rows of sites no longer
     * configured: the defaults' retention), and the idempotent-repository rows older than the longest retention.
     *
     * @return the number of sync_log rows deleted
     */
    public int purge() {
        Instant now = Instant.now();
        int deleted = 0;
        for (Site site : sites.get().sites()) {
            deleted += jdbc.update("DELETE FROM sync_log WHERE " + SITE_ROWS + " AND logged_at < ?",
                    site.id(), site.id(), cutoff(now, site.settings().logRetentionDays()));
        }
        deleted += deleteUnconfigured(cutoff(now, sites.get().defaults().logRetentionDays()));
        // Processed-message ids are kept as long as the longest audit retention: far longer than any retry
        // or replay of a change, and without a purge the table would grow forever.
        int processed = jdbc.update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE createdAt < ?",
                cutoff(now, longestRetentionDays()));
        LOG.info("audit purge: {} sync_log row(s) and {} processed-message id(s) deleted", deleted, processed);
        return deleted;
    }

    // A time-range scan anyway (ix_sync_log_time), so COALESCE costs nothing here.
    private int deleteUnconfigured(Timestamp cutoff) {
        List<String> ids = sites.get().sites().stream().map(Site::id).toList();
        if (ids.isEmpty()) {
            return jdbc.update("DELETE FROM sync_log WHERE logged_at < ?", cutoff);
        }
        String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
        List<Object> params = new ArrayList<>();
        params.add(cutoff);
        params.addAll(ids);
        return jdbc.update("DELETE FROM sync_log WHERE logged_at < ? AND COALESCE(target_site, source_site) NOT IN ("
                + marks + ")", params.toArray());
    }

    private int longestRetentionDays() {
        return sites.get().sites().stream().mapToInt(site -> site.settings().logRetentionDays())
                .reduce(sites.get().defaults().logRetentionDays(), Math::max);
    }

    private static Timestamp cutoff(Instant now, int retentionDays) {
        return Timestamp.from(now.minus(Duration.ofDays(retentionDays)));
    }
}
