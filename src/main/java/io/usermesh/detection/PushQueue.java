package io.usermesh.detection;

import io.usermesh.storage.Backoff;
import io.usermesh.storage.StorageException;
import io.usermesh.storage.WorkQueue;
import io.usermesh.wordpress.WordPressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    /** The due events this runner takes now (route hook-process), claimed for two minutes so no other runner does. */
    public List<PushEvent> claimDue() {
        return claim("q.id, q.site_id, q.wp_user_id, q.topic, q.attempts", "", List.of(), CLAIM_LIMIT,
                rs -> new PushEvent(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getInt(5)),
                PushEvent::id, runner, CLAIM);
    }

    /**
     * An event whose user could not be looked at (hook-process's doCatch): a site that may answer later is asked
     * again with backoff, up to five attempts; else the event is dropped, since the site's next poll finds the change.
     */
    public void failed(PushEvent event, Exception cause) {
        int attempts = event.attempts() + 1;
        if (!(cause instanceof WordPressException e)) {
            LOG.warn("site {}: push {} for user {} failed; the next poll finds the change", event.siteId(),
                    event.topic(), event.wpUserId(), cause);
            giveUp(event.id(), cause.toString());
        } else if (e.error().retryable() && attempts < ATTEMPTS) {
            retryLater(event.id(), attempts, clock.instant().plus(BACKOFF.after(attempts, e.retryAfter())),
                    e.getMessage());
        } else {
            LOG.warn("site {}: push {} for user {} dropped after {} attempt(s): {}; the next poll finds the change",
                    event.siteId(), event.topic(), event.wpUserId(), attempts, e.getMessage());
            giveUp(event.id(), e.getMessage());
        }
    }
}
