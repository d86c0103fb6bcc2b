package io.usermesh.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Secret;
import io.usermesh.config.SitesConfig;
import io.usermesh.storage.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Scheduler;
import org.quartz.impl.jdbcjobstore.JobStoreTX;

/** The clustered Quartz job store on the embedded H2 database, one runner at a time. */
class SchedulingTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @TempDir
    Path dataDir;

    private Database db;
    private QuartzOptions options;

    @BeforeEach
    void openDatabase() {
        var settings = TestSettings.withDb("", "", Secret.EMPTY, dataDir);
        db = Database.open(settings);
        db.migrate();
        options = QuartzOptions.of(settings);
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    @Test
    void activeSitesFireFromTheClusteredJdbcJobStore() throws Exception {
        FiringRecorder recorder = new FiringRecorder("A", 0, null);
        SitesConfig sites = Sites.of().active("shop", ONE_SECOND).paused("blog", ONE_SECOND).config();
        try (PollNode node = PollNode.start(db.dataSource(), options, sites, recorder)) {
            awaitTrue(() -> recorder.count("shop") >= 2, Duration.ofSeconds(10), "shop fires twice");

            assertNotNull(node.camel().getRoute("poll-shop"));
            assertNull(node.camel().getRoute("poll-blog"), "a paused site is not polled");
            Scheduler scheduler = node.scheduler();
            assertEquals("usermesh", scheduler.getSchedulerName());
            assertTrue(scheduler.getMetaData().isJobStoreClustered());
            assertTrue(JobStoreTX.class.isAssignableFrom(scheduler.getMetaData().getJobStoreClass()));
            assertTrue(scheduler.getMetaData().isJobStoreSupportsPersistence());

            assertEquals(List.of("shop"), column("SELECT TRIGGER_NAME FROM QRTZ_TRIGGERS"
                    + " WHERE SCHED_NAME = 'usermesh' AND TRIGGER_GROUP = 'usermesh-poll'"));
            assertEquals(List.of("1000"), column("SELECT REPEAT_INTERVAL FROM QRTZ_SIMPLE_TRIGGERS"
                    + " WHERE SCHED_NAME = 'usermesh' AND TRIGGER_NAME = 'shop'"));
            assertEquals(List.of("1"), column("SELECT IS_NONCONCURRENT FROM QRTZ_JOB_DETAILS"
                    + " WHERE SCHED_NAME = 'usermesh' AND JOB_NAME = 'shop'"), "stateful=true: never concurrent");
            assertEquals(List.of(node.instanceId()), column("SELECT INSTANCE_NAME FROM QRTZ_SCHEDULER_STATE"
                    + " WHERE SCHED_NAME = 'usermesh'"));
        }
    }

    @Test
    void restartOnTheSameDatabaseKeepsTheJobAndTakesTheNewInterval() throws Exception {
        FiringRecorder first = new FiringRecorder("A", 0, null);
        try (PollNode node = PollNode.start(db.dataSource(), options,
                Sites.of().active("shop", ONE_SECOND).config(), first)) {
            awaitTrue(() -> first.count("shop") >= 1, Duration.ofSeconds(10), "first start fires");
            node.close();
            assertNull(node.scheduler(), "the scheduler is shut down with its context");
        }
        assertEquals(List.of("shop"), column("SELECT JOB_NAME FROM QRTZ_JOB_DETAILS"),
                "stopping a clustered runner leaves the job for the others");
        assertEquals(List.of("WAITING"), column("SELECT TRIGGER_STATE FROM QRTZ_TRIGGERS"),
                "a clean stop hands the reserved trigger back");
        assertEquals(List.of(), column("SELECT ENTRY_ID FROM QRTZ_FIRED_TRIGGERS"));

        FiringRecorder second = new FiringRecorder("A", 0, null);
        try (PollNode node = PollNode.start(db.dataSource(), options,
                Sites.of().active("shop", Duration.ofSeconds(2)).config(), second)) {
            awaitTrue(() -> second.count("shop") >= 2, Duration.ofSeconds(10), "the restarted runner fires");
            assertEquals(List.of("2000"), column("SELECT REPEAT_INTERVAL FROM QRTZ_SIMPLE_TRIGGERS"
                    + " WHERE TRIGGER_NAME = 'shop'"), "the new interval replaced the stored one");
            assertEquals(1, column("SELECT TRIGGER_NAME FROM QRTZ_TRIGGERS").size());
            List<Firing> firings = second.firings();
            long gap = firings.get(1).startedMs() - firings.get(0).startedMs();
            assertTrue(gap > 1_500, "fired 2 s apart, not 1 s: " + gap + " ms");
        }
    }

    @Test
    void removedAndPausedSitesLoseTheirStoredJobsOnStart() throws Exception {
        FiringRecorder first = new FiringRecorder("A", 0, null);
        try (PollNode node = PollNode.start(db.dataSource(), options, Sites.of().active("shop", ONE_SECOND)
                .active("blog", ONE_SECOND).active("forum", ONE_SECOND).config(), first)) {
            awaitTrue(() -> first.count("blog") >= 1, Duration.ofSeconds(10), "blog fires");
        }
        assertEquals(List.of("blog", "forum", "shop"), column("SELECT JOB_NAME FROM QRTZ_JOB_DETAILS ORDER BY 1"));

        FiringRecorder second = new FiringRecorder("A", 0, null);
        try (PollNode node = PollNode.start(db.dataSource(), options,
                Sites.of().active("shop", ONE_SECOND).paused("forum", ONE_SECOND).config(), second)) {
            assertEquals(List.of("shop"), column("SELECT JOB_NAME FROM QRTZ_JOB_DETAILS"));
            assertEquals(List.of("shop"), column("SELECT TRIGGER_NAME FROM QRTZ_TRIGGERS"));
            awaitTrue(() -> second.count("shop") >= 2, Duration.ofSeconds(10), "shop goes on firing");
            assertEquals(0, second.count("blog") + second.count("forum"));
        }
    }

    @Test
    void noActiveSiteStillClearsTheStoredJobs() throws Exception {
        FiringRecorder first = new FiringRecorder("A", 0, null);
        try (PollNode node = PollNode.start(db.dataSource(), options,
                Sites.of().active("shop", ONE_SECOND).config(), first)) {
            awaitTrue(() -> first.count("shop") >= 1, Duration.ofSeconds(10), "shop fires");
        }
        try (PollNode node = PollNode.start(db.dataSource(), options,
                Sites.of().paused("shop", ONE_SECOND).config(), new FiringRecorder("A", 0, null))) {
            assertEquals(List.of(), column("SELECT JOB_NAME FROM QRTZ_JOB_DETAILS"));
        }
    }

    @Test
    void aJobStoredByAContextOfAnotherNameIsTakenOver() throws Exception {
        FiringRecorder first = new FiringRecorder("A", 0, null);
        try (PollNode node = PollNode.start("older-name", db.dataSource(), options,
                Sites.of().active("shop", ONE_SECOND).config(), first, true, 30)) {
            awaitTrue(() -> first.count("shop") >= 1, Duration.ofSeconds(10), "shop fires");
        }
        FiringRecorder second = new FiringRecorder("A", 0, null);
        try (PollNode node = PollNode.start(db.dataSource(), options,
                Sites.of().active("shop", ONE_SECOND).config(), second)) {
            awaitTrue(() -> second.count("shop") >= 2, Duration.ofSeconds(10), "the renamed runner fires");
        }
    }

    @Test
    void aStatefulJobNeverRunsTwiceAtOnce() throws Exception {
        // a poll slower than its interval: the next firing waits for the running one
        FiringRecorder stateful = new FiringRecorder("A", 700, null);
        try (PollNode node = PollNode.start("usermesh", db.dataSource(), options,
                Sites.of().active("shop", Duration.ofMillis(200)).config(), stateful, true, 30)) {
            awaitTrue(() -> stateful.count("shop") >= 4, Duration.ofSeconds(10), "four polls");
        }
        assertEquals(List.of(), Firing.overlaps(stateful.firings()));
    }

    @Test
    void theOverlapCheckSeesConcurrentRunsWithoutStateful() throws Exception {
        // the control for the test above and for SchedulingIT: the same load without stateful=true overlaps
        FiringRecorder concurrent = new FiringRecorder("A", 700, null);
        try (PollNode node = PollNode.start("usermesh", db.dataSource(), options,
                Sites.of().active("shop", Duration.ofMillis(200)).config(), concurrent, false, 30)) {
            awaitTrue(() -> concurrent.count("shop") >= 4, Duration.ofSeconds(10), "four polls");
        }
        assertFalse(Firing.overlaps(concurrent.firings()).isEmpty());
    }

    @Test
    void aPollRunningAtStopIsRecordedAsFinished() throws Exception {
        // the poll finishes and its completion reaches the database: nothing is left BLOCKED or ACQUIRED
        // for the cluster to recover once it declares this runner dead
        FiringRecorder slow = new FiringRecorder("A", 1_000, null);
        PollNode node = PollNode.start(db.dataSource(), options, Sites.of().active("shop", ONE_SECOND).config(),
                slow);
        awaitTrue(() -> isExecuting(node), Duration.ofSeconds(10), "the poll is running");
        node.close();
        assertEquals(1, slow.count("shop"), "the running poll was let finish");
        assertEquals(List.of("WAITING"), column("SELECT TRIGGER_STATE FROM QRTZ_TRIGGERS"));
        assertEquals(List.of(), column("SELECT ENTRY_ID FROM QRTZ_FIRED_TRIGGERS"));
    }

    @Test
    void aStuckPollDoesNotHangTheShutdown() throws Exception {
        FiringRecorder stuck = new FiringRecorder("A", 60_000, null);
        PollNode node = PollNode.start("usermesh", db.dataSource(), options,
                Sites.of().active("shop", ONE_SECOND).config(), stuck, true, 1);
        awaitTrue(() -> isExecuting(node), Duration.ofSeconds(10), "the poll is running");
        long start = System.nanoTime();
        node.close();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        // Camel's graceful timeout (1 s here) plus the job store's wait for completions (5 s)
        assertTrue(tookMs < 10_000, "stop took " + tookMs + " ms");
    }

    @Test
    void aZeroPollIntervalIsRefused() {
        var zero = Sites.of().active("shop", Duration.ZERO).config();
        assertThrows(IllegalArgumentException.class,
                () -> PollNode.start(db.dataSource(), options, zero, new FiringRecorder("A", 0, null)));
    }

    private static boolean isExecuting(PollNode node) {
        try {
            return !node.scheduler().getCurrentlyExecutingJobs().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private List<String> column(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    static void awaitTrue(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(50);
        }
    }
}
