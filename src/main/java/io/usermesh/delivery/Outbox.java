package io.usermesh.delivery;

import io.usermesh.model.UserChange;
import io.usermesh.model.Json;
import io.usermesh.pipeline.Delivery;
import io.usermesh.pipeline.PipelineEntry;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.ExchangeProperty;
import io.usermesh.storage.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The outbox table: every (change, target) waiting to be delivered. Rows are written by
 * change-pipeline in the same transaction that records the change, and leave "pending" only when
 * delivered or given up on (dead: dead letters keep a copy).
 */
public final class Outbox extends WorkQueue {

    public Outbox(DataSource dataSource, Clock clock) {
        super(dataSource, "outbox", "dead", clock);
    }

    /**
     * The last step of change-pipeline, in the transaction of the change's detection: one row for a
     * target that accepted the change.
     */
    public void queue(Delivery delivery, @ExchangeProperty(PipelineEntry.QUEUED) AtomicInteger queued) {
        add(delivery);
        if (queued != null) {
            queued.incrementAndGet();
        }
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
        return claim("q.id, q.attempts, q.payload", " AND q.target_site = ? AND NOT EXISTS (SELECT 1 FROM"
                + " outbox p WHERE p.status = 'pending' AND p.target_site = q.target_site AND p.source_site ="
                + " q.source_site AND p.source_user_id = q.source_user_id AND p.id < q.id)", List.of(target), limit,
                rs -> new Queued(rs.getLong(1), rs.getInt(2), Json.read(rs.getString(3), Delivery.class)),
                Queued::id, runner, claimFor);
    }

    /** When the oldest change still waiting for this target was queued (its lag); empty when none waits. */
    public Optional<Instant> oldestPending(String target) {
        return Optional.ofNullable(jdbc.query("SELECT MIN(created_at) FROM outbox WHERE status = ? AND target_site = ?",
                rs -> rs.getTimestamp(1), PENDING, target).get(0)).map(java.sql.Timestamp::toInstant);
    }

    public long pending(String target) {
        return jdbc.query("SELECT COUNT(*) FROM outbox WHERE status = ? AND target_site = ?", rs -> rs.getLong(1),
                PENDING, target).get(0);
    }
}
