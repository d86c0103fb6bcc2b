package io.usermesh.detection;

import io.usermesh.storage.Backoff;
import io.usermesh.storage.StorageException;
import io.usermesh.storage.WorkQueue;
import io.usermesh.wordpress.WordPressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * push_event: pushed events waiting for a runner to look at the user they name (route hook-process).
 * Runners claim rows for a while, as in the outbox ({@link WorkQueue}), so a runner that dies frees its rows.
 */
public final class PushQueue extends WorkQueue {

    private static final Logger LOG = LoggerFactory.getLogger(PushQueue.class);
    static final int ATTEMPTS = 5;
    private static final int CLAIM_LIMIT = 50;
    private static final Duration CLAIM = Duration.ofMinutes(2);
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(1));

    private final String runner = "runner-" + UUID.randomUUID().toString().substring(0, 8);

    /** One pushed event: look at user {@code wpUserId} of {@code siteId}. */
    public record PushEvent(long id, String siteId, long wpUserId, String topic, int attempts) {
    }

    public PushQueue(DataSource dataSource, Clock clock) {
        super(dataSource, "push_event", "dropped", clock); // given up: the site's next poll finds the change
    }

    /**
     * Queues a push; empty when the site's delivery id was queued before (a delivery id is unique per site,
     * so a retried or replayed delivery is stored once).
     */
    public OptionalLong add(String siteId, long wpUserId, String topic, String deliveryId) {
        Instant now = clock.instant();
        try {
            return OptionalLong.of(jdbc.insert("INSERT INTO push_event (received_at, site_id, wp_user_id, topic,"
                    + " delivery_id, status, attempts, next_attempt_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
                    now, siteId, wpUserId, topic, deliveryId, PENDING, now, now));
        } catch (StorageException e) {
            if (deliveryId != null && e.isDuplicateKey()) {
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    /** Pushes waiting to be looked at. */
    public long pending() {
        return jdbc.query("SELECT COUNT(*) FROM push_event WHERE status = ?", rs -> rs.getLong(1), PENDING).get(0);
    }

    /**
     * The events of one site in one claim, looked at together: one read of the site for a burst of
     * pushes (a WooCommerce import, a bulk role change), each named user once.
     */
    public record PushBatch(String siteId, List<PushEvent> events) {

        public List<Long> userIds() {
            return events.stream().map(PushEvent::wpUserId).distinct().toList();
        }
    }

    /**
     * The due events this runner takes now (route hook-process), claimed for two minutes so no other
     * runner does, by site in the order they came.
     */
    public List<PushBatch> claimDue() {
        Map<String, List<PushEvent>> bySite = new LinkedHashMap<>();
        claim("q.id, q.site_id, q.wp_user_id, q.topic, q.attempts", "", List.of(), CLAIM_LIMIT,
                rs -> new PushEvent(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getInt(5)),
                PushEvent::id, runner, CLAIM)
                .forEach(event -> bySite.computeIfAbsent(event.siteId(), site -> new ArrayList<>()).add(event));
        return bySite.entrySet().stream().map(e -> new PushBatch(e.getKey(), List.copyOf(e.getValue()))).toList();
    }

    /** The batch's users were looked at. */
    public void done(PushBatch batch) {
        batch.events().forEach(event -> done(event.id()));
    }

    /**
     * A batch whose users could not be looked at (hook-process's doCatch): a site that may answer
     * later is asked again with backoff, up to five attempts per event; else the event is dropped,
     * since the site's next poll finds the change.
     */
    public void failed(PushBatch batch, Exception cause) {
        int dropped = 0;
        for (PushEvent event : batch.events()) {
            int attempts = event.attempts() + 1;
            if (cause instanceof WordPressException e && e.error().retryable() && attempts < ATTEMPTS) {
                retryLater(event.id(), attempts, clock.instant().plus(BACKOFF.after(attempts, e.retryAfter())),
                        e.getMessage());
            } else {
                giveUp(event.id(), cause instanceof WordPressException ? cause.getMessage() : cause.toString());
                dropped++;
            }
        }
        if (dropped == 0) {
            return;
        }
        if (cause instanceof WordPressException) {
            LOG.warn("site {}: {} push(es) dropped: {}; the next poll finds the changes", batch.siteId(), dropped,
                    cause.getMessage());
        } else {
            LOG.warn("site {}: {} push(es) failed; the next poll finds the changes", batch.siteId(), dropped, cause);
        }
    }
}
