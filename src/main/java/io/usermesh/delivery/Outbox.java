package io.usermesh.delivery;

import io.usermesh.model.UserChange;
import io.usermesh.model.Json;
import io.usermesh.pipeline.Delivery;
import io.usermesh.pipeline.PipelineEntry;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.ExchangeProperty;
import io.usermesh.storage.Jdbc;
import io.usermesh.storage.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    /**
     * The changes waiting per target, in one grouped query over the index on (status, target_site): the
     * admin API, the alerts and the metrics all read the queue through this.
     */
    public Map<String, Waiting> waitingByTarget() {
        Map<String, Waiting> byTarget = new TreeMap<>();
        jdbc.query("SELECT target_site, COUNT(*), MIN(created_at) AS oldest FROM outbox WHERE status = ?"
                + " GROUP BY target_site", rs -> byTarget.put(rs.getString(1), new Waiting(rs.getLong(2),
                        Jdbc.instant(rs, "oldest"))), PENDING);
        return byTarget;
    }
}
