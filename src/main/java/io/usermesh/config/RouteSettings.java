package io.usermesh.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The usermesh.* keys that route files read as Camel property placeholders ({@code {{usermesh.push.periodMs}}}):
 * validated here like every other key, then handed to Camel's properties component.
 *
 * @param pushPeriod how often hook-process takes stored pushes (usermesh.push.periodMs)
 * @param outboxPeriod how often outbox-dispatch takes due outbox rows (usermesh.outbox.periodMs)
 * @param siteHealthPeriod how often site-health probes every site (usermesh.siteHealth.period)
 * @param auditPurgeCron when audit-purge runs, a Quartz cron expression (usermesh.audit.purgeCron)
 * @param reloadWatchPeriod how often sites-watch looks for an edit of sites.yaml (usermesh.reload.watchPeriod)
 * @param alertsPeriod how often route alerts checks the alert conditions (usermesh.alerts.period)
 */
public record RouteSettings(Duration pushPeriod, Duration outboxPeriod, Duration siteHealthPeriod,
        String auditPurgeCron, Duration reloadWatchPeriod, Duration alertsPeriod) {

    public static final RouteSettings DEFAULTS = new RouteSettings(Duration.ofMillis(500), Duration.ofMillis(500),
            Duration.ofMinutes(1), "0 15 3 * * ?", Duration.ofSeconds(2), Duration.ofSeconds(30));

    public RouteSettings {
        Objects.requireNonNull(pushPeriod, "pushPeriod");
        Objects.requireNonNull(outboxPeriod, "outboxPeriod");
        Objects.requireNonNull(siteHealthPeriod, "siteHealthPeriod");
        Objects.requireNonNull(auditPurgeCron, "auditPurgeCron");
        Objects.requireNonNull(reloadWatchPeriod, "reloadWatchPeriod");
        Objects.requireNonNull(alertsPeriod, "alertsPeriod");
    }

    /** The placeholders as the routes read them: timer periods in milliseconds, the cron as written. */
    public Map<String, String> placeholders() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("usermesh.push.periodMs", String.valueOf(pushPeriod.toMillis()));
        p.put("usermesh.outbox.periodMs", String.valueOf(outboxPeriod.toMillis()));
        p.put("usermesh.siteHealth.period", String.valueOf(siteHealthPeriod.toMillis()));
        p.put("usermesh.audit.purgeCron", auditPurgeCron);
        p.put("usermesh.reload.watchPeriod", String.valueOf(reloadWatchPeriod.toMillis()));
        p.put("usermesh.alerts.period", String.valueOf(alertsPeriod.toMillis()));
        return p;
    }
}
