package io.usermesh.delivery;

import io.usermesh.model.UserChange;
import io.usermesh.model.Json;
import io.usermesh.pipeline.Delivery;
import io.usermesh.pipeline.Pipeline;
import io.usermesh.storage.Jdbc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The outbox table: every (change, target) waiting to be delivered. Rows are written in the same
 * transaction that records the change, and leave "pending" only when delivered, given up on
 * (dead) or superseded. Runners claim rows for a while; a claim of a runner that died expires.
 */
public final class Outbox {

    static final String PENDING = "pending";
    static final String DONE = "done";
    static final String DEAD = "dead";

    private final Jdbc jdbc;
    private final Pipeline pipeline;
    private final Clock clock;

    public Outbox(DataSource dataSource, Pipeline pipeline, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.pipeline = pipeline;
        this.clock = clock;
    }

    /**
     * Plans where the change goes and queues one row per target that accepts it. Called inside the
     * transaction that records the change, so a change is either recorded and queued, or neither.
     */
    public int enqueue(UserChange change) {
        List<Delivery> deliveries = pipeline.plan(change);
        deliveries.forEach(this::add);
        return deliveries.size();
    }

    /** Queues one delivery as it is (a replayed dead letter). */
    public long add(Delivery delivery) {
        Instant now = clock.instant();
        UserChange change = delivery.change();
        return jdbc.insert("INSERT INTO outbox (created_at, event_id, source_site, source_user_id, target_site,"
                + " user_key, payload, status, attempts, next_attempt_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)", now, change.eventId(), change.sourceSite(),
                change.sourceUserId(), delivery.target(), change.state().auditKey(),
                Json.write(delivery), PENDING, now, now);
    }

    /**
     * Claims up to {@code limit} due rows of a target for {@code runner}. A row is due when no older
     * pending row of the same user waits for the same target: changes of one user arrive in order.
     */
    public List<Queued> claim(String target, int limit, String runner, Duration claimFor) {
        Instant now = clock.instant();
        List<Queued> candidates = jdbc.query("SELECT o.id, o.attempts, o.payload FROM outbox o"
                + " WHERE o.status = ? AND o.target_site = ? AND o.next_attempt_at <= ?"
                + " AND (o.claimed_until IS NULL OR o.claimed_until < ?)"
                + " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.status = ? AND p.target_site = o.target_site"
                + " AND p.source_site = o.source_site AND p.source_user_id = o.source_user_id AND p.id < o.id)"
                + " ORDER BY o.id LIMIT ?",
                rs -> new Queued(rs.getLong(1), rs.getInt(2), Json.read(rs.getString(3), Delivery.class)),
                PENDING, target, now, now, PENDING, limit);
        List<Queued> claimed = new ArrayList<>();
        for (Queued q : candidates) {
            int won = jdbc.update("UPDATE outbox SET claimed_by = ?, claimed_until = ?, updated_at = ? WHERE id = ?"
                    + " AND status = ? AND (claimed_until IS NULL OR claimed_until < ?)", runner,
                    now.plus(claimFor), now, q.id(), PENDING, now);
            if (won == 1) {
                claimed.add(q);
            }
        }
        return claimed;
    }

    public void done(long id) {
        finish(id, DONE, null);
    }

    public void dead(long id, String error) {
        finish(id, DEAD, error);
    }

    /** Gives the row back for another attempt at {@code next}. */
    public void retryLater(long id, int attempts, Instant next, String error) {
        jdbc.update("UPDATE outbox SET attempts = ?, next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL,"
                + " last_error = ?, updated_at = ? WHERE id = ?", attempts, next, truncate(error), clock.instant(), id);
    }

    public long pending(String target) {
        return jdbc.query("SELECT COUNT(*) FROM outbox WHERE status = ? AND target_site = ?", rs -> rs.getLong(1),
                PENDING, target).get(0);
    }

    /** Done rows are only history: drop those older than {@code keep}. */
    public int purgeDone(Duration keep) {
        return jdbc.update("DELETE FROM outbox WHERE status = ? AND updated_at < ?", DONE,
                clock.instant().minus(keep));
    }

    private void finish(long id, String status, String error) {
        jdbc.update("UPDATE outbox SET status = ?, claimed_by = NULL, claimed_until = NULL, last_error = ?,"
                + " updated_at = ? WHERE id = ?", status, truncate(error), clock.instant(), id);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 997) + "...";
    }
}
