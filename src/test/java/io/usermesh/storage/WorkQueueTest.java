package io.usermesh.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.usermesh.testing.ManualClock;
import io.usermesh.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims, retries and the purge of the table kind the outbox and push_event share (on push_event). */
class WorkQueueTest {

    @TempDir
    Path dataDir;

    Database db;
    Jdbc jdbc;
    final ManualClock clock = new ManualClock();
    WorkQueue queue;

    @BeforeEach
    void open() {
        db = Database.open(TestSettings.h2(dataDir));
        db.migrate();
        jdbc = new Jdbc(db.dataSource());
        queue = new WorkQueue(db.dataSource(), "push_event", "dropped", clock);
        for (int i = 1; i <= 3; i++) {
            jdbc.update("INSERT INTO push_event (received_at, site_id, wp_user_id, topic, delivery_id, status, attempts,"
                    + " next_attempt_at, updated_at) VALUES (?, 'shop', ?, 'customer.updated', ?, 'pending', 0, ?, ?)",
                    clock.now, i, "d" + i, clock.now, clock.now);
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    List<Long> claim(String runner, int limit) {
        return queue.claim("q.id", "", List.of(), limit, rs -> rs.getLong(1), id -> id, runner, Duration.ofMinutes(2));
    }

    @Test
    void aClaimedRowIsNobodyElsesUntilTheClaimExpires() {
        assertEquals(List.of(1L, 2L), claim("r1", 2), "oldest first, no more than asked");
        assertEquals(List.of(3L), claim("r2", 5), "the other runner gets what is left");
        assertEquals(List.of(), claim("r2", 5));
        clock.now = clock.now.plus(Duration.ofMinutes(3)); // r1 died
        assertEquals(List.of(1L, 2L, 3L), claim("r2", 5));
    }

    @Test
    void aRowPutBackWaitsItsTurnAndAFinishedRowIsGoneForGood() {
        claim("r1", 5);
        queue.retryLater(1, 1, clock.now.plusSeconds(30), "site down");
        queue.done(2);
        queue.giveUp(3, "x".repeat(2000));
        assertEquals(List.of(), claim("r2", 5), "1 waits its backoff; 2 and 3 are finished");
        clock.now = clock.now.plusSeconds(31);
        assertEquals(List.of(1L), claim("r2", 5));
        assertEquals(1000, jdbc.query("SELECT last_error FROM push_event WHERE id = 3", rs -> rs.getString(1)).get(0)
                .length(), "an error is kept to 1000 characters");

        clock.now = clock.now.plus(Duration.ofDays(8));
        assertEquals(2, queue.purgeFinished());
        assertEquals(List.of(1L), jdbc.query("SELECT id FROM push_event", rs -> rs.getLong(1)), "pending rows stay");
    }


    @Test
    void twoRunnersReadingTheSameDueRowClaimItOnce() {
        // r2 claims the rows while r1 is still reading them: r1's claim of each must then fail
        List<Long> byR2 = new java.util.ArrayList<>();
        List<Long> byR1 = queue.claim("q.id", "", List.of(), 5, rs -> {
            if (byR2.isEmpty()) {
                byR2.addAll(claim("r2", 5));
            }
            return rs.getLong(1);
        }, id -> id, "r1", Duration.ofMinutes(2));

        assertEquals(List.of(1L, 2L, 3L), byR2);
        assertEquals(List.of(), byR1, "no row is worked by two runners");
    }
}
