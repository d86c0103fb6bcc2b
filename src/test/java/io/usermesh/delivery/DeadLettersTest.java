package io.usermesh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Action;
import io.usermesh.config.Direction;
import io.usermesh.config.Link;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.Delivery;
import io.usermesh.storage.Database;
import io.usermesh.testing.ManualClock;
import io.usermesh.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dead letters counted per target and replayed all at once for one target; the outbox's lag. */
public class DeadLettersTest {

    @TempDir
    Path dataDir;

    final ManualClock clock = new ManualClock();
    Database db;
    DeadLetters deadLetters;
    Outbox outbox;
    MemoryIdempotentRepository applied;

    @BeforeEach
    void open() {
        db = Database.open(TestSettings.h2(dataDir));
        db.migrate();
        deadLetters = new DeadLetters(db.dataSource(), clock);
        outbox = new Outbox(db.dataSource(), clock);
        applied = new MemoryIdempotentRepository();
        applied.start();
    }

    @AfterEach
    void close() {
        db.close();
    }

    public static Delivery delivery(String eventId, String user, String target) {
        UserState state = new UserState(user, user + "@example.test", user, "", "", user, "", "", List.of(),
                Map.of());
        return new Delivery(new UserChange(eventId, "shop", 7, ChangeKind.CREATED, state, Set.of(), "", Origin.POLL,
                clock0(), List.of("shop")), target, new Link("shop", target, Direction.PUSH,
                EnumSet.allOf(Action.class), EnumSet.allOf(Action.class), List.of()), Set.of(), true);
    }

    private static java.time.Instant clock0() {
        return java.time.Instant.parse("2026-01-01T00:00:00Z");
    }

    @Test
    void replaysEveryWaitingDeadLetterOfOneTargetOnlyOldestFirst() {
        Delivery ann = delivery("e1", "ann", "blog");
        long annId = deadLetters.add(ann, "create", "role missing", 400, 1);
        long bobId = deadLetters.add(delivery("e2", "bob", "news"), "create", "role missing", 400, 1);
        long cidId = deadLetters.add(delivery("e3", "cid", "blog"), "create", "role missing", 400, 1);
        applied.add(ann.idempotencyKey());
        assertEquals(Map.of("blog", 2L, "news", 1L), deadLetters.waitingByTarget());
        assertEquals(Map.of(), outbox.waitingByTarget(), "nothing waits: no lag");

        clock.now = clock.now.plus(Duration.ofMinutes(5));
        Map<Long, Long> queued = deadLetters.replayAll("blog", outbox, applied);

        assertEquals(List.of(annId, cidId), List.copyOf(queued.keySet()), "blog's, oldest first");
        assertEquals(Map.of("blog", new Waiting(2, clock.now)), outbox.waitingByTarget(), "news has nothing waiting");
        assertEquals(Map.of("news", 1L), deadLetters.waitingByTarget(), "news's dead letter " + bobId + " waits");
        assertFalse(applied.contains(ann.idempotencyKey()), "a replay is not taken for a duplicate");
        assertTrue(deadLetters.list("replayed", 10).stream().allMatch(d -> d.targetSite().equals("blog")));
        assertEquals(Map.of(), deadLetters.replayAll("blog", outbox, applied),
                "a replayed letter is not replayed again");
    }
}
