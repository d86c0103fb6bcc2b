package io.usermesh.reconcile;

import static io.usermesh.reconcile.Fixtures.CLOCK;
import static io.usermesh.reconcile.Fixtures.config;
import static io.usermesh.reconcile.Fixtures.link;
import static io.usermesh.reconcile.Fixtures.site;
import static io.usermesh.reconcile.Fixtures.user;
import static io.usermesh.reconcile.Fixtures.users;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Direction;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.Json;
import io.usermesh.delivery.Outbox;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.model.Origin;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.Delivery;
import io.usermesh.testing.PipelineRoutes;
import io.usermesh.config.UsermeshConfig;
import io.usermesh.pipeline.UserFlags;
import io.usermesh.reconcile.ReconcilePlan.Op;
import io.usermesh.storage.Database;
import io.usermesh.storage.Jdbc;
import io.usermesh.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queueing a plan through the real outbox and pipeline (user flags included) on the embedded database. */
class ApplierTest {

    @TempDir
    Path dataDir;

    Database db;
    Jdbc jdbc;
    SitesConfig config = config(List.of(site("a"), site("b"), site("c")), List.of(
            link("a", "b", Direction.PUSH), link("a", "c", Direction.PUSH)));

    @BeforeEach
    void open() {
        db = Database.open(TestSettings.h2(dataDir));
        db.migrate();
        jdbc = new Jdbc(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    UsermeshConfig runnerConfig() {
        return new UsermeshConfig(dataDir, TestSettings.h2(dataDir), config);
    }

    ReconcilePlan plan(SiteUsers... listed) {
        Map<String, SiteUsers> byId = new LinkedHashMap<>();
        for (SiteUsers u : listed) {
            byId.put(u.siteId(), u);
        }
        return new Planner(config, Reconciler.gate(config, db.dataSource(), CLOCK),
                Bookkeeping.stored(db.dataSource()).apply(byId.keySet()), CLOCK)
                .plan("run2", config.links(), byId, List.of());
    }

    @Test
    void queuesEachChangeForItsOneTargetAndRefreshesAStaleTargetSnapshot() throws Exception {
        SnapshotStore snapshots = new SnapshotStore(db.dataSource());
        UserState ann = user("ann", "Ann");
        UserState annSeenOnB = user("ann", "Annette");
        UserState annNowOnB = user("ann", "Anne"); // edited on b behind usermesh's back
        snapshots.recordBaseline("b", 10, annSeenOnB, CLOCK.instant().minusSeconds(60));
        new UserFlags(db.dataSource()).set("b", "bob@example.test", new UserFlags.Flags(false, true));

        ReconcilePlan plan = plan(users("a", 1, ann, 2, user("bob", "Bob")),
                users("b", 10, annNowOnB), users("c", 20, ann, 21, user("bob", "Bob")));
        assertEquals(List.of("b update ann@example.test <a profile",
                "b skip bob@example.test <a user is protected on b"), PlannerTest.lines(plan));

        try (PipelineRoutes routes = PipelineRoutes.start(runnerConfig(), db.dataSource())) {
            Applier applier = new Applier(db.dataSource(), routes.entry(), snapshots, CLOCK);
            assertEquals(1, applier.queue(plan));
        }

        List<String> rows = jdbc.query("SELECT target_site, event_id, status, payload FROM outbox",
                rs -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
        assertEquals(1, rows.size(), rows.toString());
        assertTrue(rows.get(0).startsWith("b rc-run2-"), rows.get(0));
        Delivery delivery = Json.read(jdbc.query("SELECT payload FROM outbox", rs -> rs.getString(1)).get(0),
                Delivery.class);
        assertEquals(Origin.RECONCILE, delivery.change().origin());
        assertEquals(ann, delivery.change().state());
        assertEquals(0L, jdbc.query("SELECT COUNT(*) FROM sync_log", rs -> rs.getLong(1)).get(0),
                "nothing refused on the way in");
        assertEquals(annNowOnB.fingerprint(), snapshots.find("b", 10).orElseThrow().fingerprint(),
                "delivery compares the target with what the reconciliation listed, not an older snapshot");
    }

    @Test
    void theOutcomeFollowsTheOutboxRowsOfTheRun() throws Exception {
        ReconcilePlan plan = plan(users("a", 1, user("ann", "Ann"), 2, user("bob", "Bob")), users("b"),
                users("c", 20, user("ann", "Ann"), 21, user("bob", "Bob")));
        assertEquals(2, plan.changes().size());
        assertTrue(plan.changes().stream().allMatch(i -> i.op() == Op.CREATE));
        Outbox outbox = new Outbox(db.dataSource(), CLOCK);
        PipelineRoutes routes = PipelineRoutes.start(runnerConfig(), db.dataSource());
        Applier applier = new Applier(db.dataSource(), routes.entry(), new SnapshotStore(db.dataSource()), CLOCK);
        applier.queue(plan);
        routes.close();

        Applier.Outcome waiting = applier.await(plan, Duration.ofMillis(300), Duration.ofSeconds(1));
        assertEquals(2, waiting.waiting());
        assertFalse(waiting.ok());

        List<Long> ids = jdbc.query("SELECT id FROM outbox ORDER BY id", rs -> rs.getLong(1));
        outbox.done(ids.get(0));
        outbox.giveUp(ids.get(1), "create on b failed: 500 server error");
        Applier.Outcome outcome = applier.await(plan, Duration.ofSeconds(5), Duration.ofSeconds(1));
        assertEquals(1, outcome.applied());
        assertEquals(1, outcome.failed());
        assertEquals(0, outcome.waiting());
        assertFalse(outcome.ok());
        assertTrue(outcome.problems().get(0).contains("failed: create on b failed: 500 server error"),
                outcome.problems().toString());
    }
}
