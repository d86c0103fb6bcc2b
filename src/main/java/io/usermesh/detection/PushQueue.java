package io.usermesh.detection;

import io.usermesh.storage.Jdbc;
import io.usermesh.storage.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * push_event: pushed events waiting for a runner to look at the user they name. Runners claim
 * rows for a while, as in the outbox, so a runner that dies frees its rows.
 */
public final class PushQueue {

    /** One pushed event: look at user {@code wpUserId} of {@code siteId}. */
    public record PushEvent(long id, String siteId, long wpUserId, String topic, int attempts) {
    }

    static final String PENDING = "pending";
    static final String DONE = "done";
    static final String DROPPED = "dropped";

    private final Jdbc jdbc;
    private final Clock clock;

    public PushQueue(DataSource dataSource, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.clock = clock;
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
        Instant now = clock.instant();
        List<PushEvent> due = jdbc.query("SELECT id, site_id, wp_user_id, topic, attempts FROM push_event"
                + " WHERE status = ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)"
                + " ORDER BY id LIMIT ?", rs -> new PushEvent(rs.getLong(1), rs.getString(2), rs.getLong(3),
                rs.getString(4), rs.getInt(5)), PENDING, now, now, limit);
        List<PushEvent> claimed = new ArrayList<>();
        for (PushEvent e : due) {
            if (jdbc.update("UPDATE push_event SET claimed_by = ?, claimed_until = ?, updated_at = ? WHERE id = ?"
                    + " AND status = ? AND (claimed_until IS NULL OR claimed_until < ?)", runner, now.plus(claimFor),
                    now, e.id(), PENDING, now) == 1) {
                claimed.add(e);
            }
        }
        return claimed;
    }

    public void done(long id) {
        finish(id, DONE, null);
    }

    /** Given up: the site's next poll finds the change all the same. */
    public void drop(long id, String error) {
        finish(id, DROPPED, error);
    }

    public void retryLater(long id, int attempts, Instant next, String error) {
        jdbc.update("UPDATE push_event SET attempts = ?, next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL,"
                + " last_error = ?, updated_at = ? WHERE id = ?", attempts, next, truncate(error), clock.instant(), id);
    }

    /**
     * Finished rows are only history; the daily purge (route audit-purge) drops those a week old. A delivery
     * replayed after that is queued again, which costs one read of the user: a push carries no data.
     */
    public int purgeFinished() {
        return jdbc.update("DELETE FROM push_event WHERE status <> ? AND updated_at < ?", PENDING,
                clock.instant().minus(Duration.ofDays(7)));
    }

    private void finish(long id, String status, String error) {
        jdbc.update("UPDATE push_event SET status = ?, claimed_by = NULL, claimed_until = NULL, last_error = ?,"
                + " updated_at = ? WHERE id = ?", status, truncate(error), clock.instant(), id);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 997) + "...";
    }
}
