package io.usermesh.delivery;

import io.usermesh.model.Json;
import io.usermesh.pipeline.Delivery;
import io.usermesh.storage.Jdbc;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.camel.spi.IdempotentRepository;

/** dead_letter: changes that failed for good on a target, kept for inspection and replay. */
public final class DeadLetters {

    /** One dead letter as the API and the CLI show it (the payload stays inside). */
    public record DeadLetter(long id, Instant createdAt, String eventId, String sourceSite, String targetSite,
            String userKey, String action, String error, Integer httpStatus, int attempts, String status,
            Instant replayedAt) {
    }

    private final DataSource dataSource;
    private final Jdbc jdbc;
    private final Clock clock;

    public DeadLetters(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource);
        this.clock = clock;
    }

    public long add(Delivery delivery, String action, String error, Integer httpStatus, int attempts) {
        return jdbc.insert("INSERT INTO dead_letter (created_at, event_id, source_site, target_site, user_key, action,"
                + " payload, error, http_status, attempts, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'dead')",
                clock.instant(), delivery.change().eventId(), delivery.change().sourceSite(), delivery.target(),
                delivery.change().state().auditKey(), action, Json.write(delivery),
                error.length() > 1000 ? error.substring(0, 997) + "..." : error, httpStatus, attempts);
    }

    /** Newest first; {@code status} "dead", "replayed" or null for both. */
    public List<DeadLetter> list(String status, int limit) {
        String where = status == null ? "" : " WHERE status = ?";
        Object[] params = status == null ? new Object[] {limit} : new Object[] {status, limit};
        return jdbc.query("SELECT id, created_at, event_id, source_site, target_site, user_key, action, error,"
                + " http_status, attempts, status, replayed_at FROM dead_letter" + where
                + " ORDER BY id DESC LIMIT ?", rs -> {
                    int http = rs.getInt("http_status");
                    return new DeadLetter(rs.getLong("id"), Jdbc.instant(rs, "created_at"), rs.getString("event_id"),
                            rs.getString("source_site"), rs.getString("target_site"), rs.getString("user_key"),
                            rs.getString("action"), rs.getString("error"), rs.wasNull() ? null : http,
                            rs.getInt("attempts"), rs.getString("status"), Jdbc.instant(rs, "replayed_at"));
                }, params);
    }

    /** How many dead letters wait for replay, per target site (sites without any are not in the map). */
    public Map<String, Long> waitingByTarget() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query("SELECT target_site, COUNT(*) FROM dead_letter WHERE status = 'dead' GROUP BY target_site",
                rs -> counts.put(rs.getString(1), rs.getLong(2)));
        return counts;
    }

    /**
     * Replays every dead letter of {@code target} that waits, oldest first, one by one as {@link #replay}
     * does; answers the dead letter ids with the outbox rows they became.
     */
    public Map<Long, Long> replayAll(String target, Outbox outbox, IdempotentRepository repository) {
        Map<Long, Long> queued = new LinkedHashMap<>();
        for (long id : jdbc.query("SELECT id FROM dead_letter WHERE status = 'dead' AND target_site = ? ORDER BY id",
                rs -> rs.getLong(1), target)) {
            replay(id, outbox, repository).ifPresent(row -> queued.put(id, row));
        }
        return queued;
    }

    /**
     * Sends a dead letter through the normal path again: a fresh outbox row, and the idempotency
     * key released so the delivery is not taken for a duplicate. Empty when there is no such
     * dead letter or it was replayed already.
     */
    public Optional<Long> replay(long id, Outbox outbox, IdempotentRepository repository) {
        return Jdbc.inTransaction(dataSource, () -> {
            List<String> payload = jdbc.query("SELECT payload FROM dead_letter WHERE id = ? AND status = 'dead'",
                    rs -> rs.getString(1), id);
            if (payload.isEmpty()) {
                return Optional.<Long>empty();
            }
            Delivery delivery = Json.read(payload.get(0), Delivery.class);
            jdbc.update("UPDATE dead_letter SET status = 'replayed', replayed_at = ? WHERE id = ?", clock.instant(),
                    id);
            repository.remove(delivery.idempotencyKey());
            return Optional.of(outbox.add(delivery));
        });
    }
}
