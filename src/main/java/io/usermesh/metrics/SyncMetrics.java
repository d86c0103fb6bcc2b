package io.usermesh.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.usermesh.audit.AuditEntry;
import io.usermesh.model.UserChange;
import java.time.Duration;
import java.util.Map;

/**
 * The counters and timers of what this runner did, in Micrometer (exported as Prometheus's
 * {@code usermesh_*_total} and {@code *_seconds}). Labels are site ids, actions, statuses and origins:
 * never a user. Counters are per runner; sum them over the runners of a database.
 */
public final class SyncMetrics {

    /** What a refused push's HTTP status means, as the {@code result} label. */
    private static final Map<Integer, String> REFUSALS = Map.of(400, "bad_request", 401, "bad_signature",
            403, "not_allowed", 404, "unknown_site", 409, "duplicate", 413, "too_large", 415, "bad_request",
            429, "overloaded", 503, "overloaded");

    private final MeterRegistry registry;

    public SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Route change-pipeline: a change enters it; only its first hop counts as detected (a chain's onward hops do not). */
    public void detected(UserChange change) {
        if (change.path().size() <= 1) {
            Counter.builder("usermesh.changes.detected").description("Changes found by polls, pushes, reconciliations"
                    + " and manual syncs").tag("site", change.sourceSite()).tag("origin", label(change.origin()))
                    .register(registry).increment();
        }
    }

    /** Every audited event (an audit row, written or not: syncLog false still counts). */
    public void audited(AuditEntry entry) {
        String target = entry.targetSite() == null ? "" : entry.targetSite();
        Counter.builder("usermesh.deliveries").description("Changes per target by outcome, as audited")
                .tag("source", entry.sourceSite()).tag("target", target).tag("action", entry.action())
                .tag("status", entry.status().dbValue()).register(registry).increment();
        if (entry.durationMs() != null && !target.isEmpty()) {
            Timer.builder("usermesh.delivery.duration").description("Time of one delivery, from its claim to its"
                    + " outcome").tag("target", target).publishPercentileHistogram().register(registry)
                    .record(Duration.ofMillis(entry.durationMs()));
        }
    }

    /** A push answered: {@code status} 2xx is accepted, anything else a refusal by reason. */
    public void pushed(String site, int status) {
        String result = status / 100 == 2 ? "accepted" : REFUSALS.getOrDefault(status, "refused");
        Counter.builder("usermesh.pushes").description("Pushes received, accepted or refused by reason")
                .tag("site", site).tag("result", result).register(registry).increment();
    }

    /** A poll's listing, read in {@code took}. */
    public void polled(String site, Duration took) {
        Timer.builder("usermesh.poll.duration").description("Time to list a site's users for a poll")
                .tag("site", site).register(registry).record(took);
    }

    private static String label(Object origin) {
        return String.valueOf(origin).toLowerCase(java.util.Locale.ROOT);
    }
}
