package io.usermesh.detection;

import io.usermesh.storage.StorageException;
import io.usermesh.storage.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * push_event: pushed events waiting for a runner to look at the user they name. Runners claim
 * rows for a while, as in the outbox ({@link WorkQueue}), so a runner that dies frees its rows.
 */
public final class PushQueue extends WorkQueue {

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

    public List<PushEvent> claim(int limit, String runner, Duration claimFor) {
        return claim("q.id, q.site_id, q.wp_user_id, q.topic, q.attempts", "", List.of(), limit,
                rs -> new PushEvent(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getInt(5)),
                PushEvent::id, runner, claimFor);
    }
}
