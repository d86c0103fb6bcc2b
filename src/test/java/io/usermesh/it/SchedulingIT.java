package io.usermesh.it;

import io.usermesh.testing.TestSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Secret;
import io.usermesh.config.SitesConfig;
import io.usermesh.config.UsermeshSettings;
import io.usermesh.scheduling.ClusterNode;
import io.usermesh.scheduling.Firing;
import io.usermesh.scheduling.FiringRecorder;
import io.usermesh.scheduling.PollNode;
import io.usermesh.scheduling.QuartzOptions;
import io.usermesh.scheduling.Sites;
import io.usermesh.storage.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runners clustered on one MariaDB database: this JVM and a second one. Each adds the poll routes of the
 * same two sites; every poll takes longer than the interval, so a site's job would overlap itself at once if
 * the cluster let two runners (or two threads) run it together.
 */
class SchedulingIT {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final long WORK_MS = 1_300;
    private static final Duration CHECKIN = Duration.ofSeconds(1);
    private static final List<String> SITES = List.of("shop", "blog");

    @TempDir
    Path dataDir;

    @Test
    void twoRunnersShareThePollJobsAndOneCarriesOnAlone() throws Exception {
        SitesConfig sites = Sites.of().active("shop", INTERVAL).active("blog", INTERVAL).config();
        try (MariaDb mariaDb = MariaDb.create()) {
            var settings = TestSettings.withDb(mariaDb.url(), MariaDb.USER, Secret.of(MariaDb.PASSWORD), dataDir);
            run(mariaDb, settings, sites);
        }
    }

    private void run(MariaDb mariaDb, UsermeshSettings settings, SitesConfig sites) throws Exception {
        try (Database db = Database.open(settings)) {
            db.migrate();
            FiringRecorder.createTable(db.dataSource());
            QuartzOptions options = QuartzOptions.of(settings).withClusterCheckinInterval(CHECKIN);

            // B starts alone and takes both sites' jobs; A joins; B stops and A must carry on with both.
            try (ClusterNode b = ClusterNode.launch(dataDir.resolve("node-b.log"), mariaDb.url(), MariaDb.USER,
                    MariaDb.PASSWORD, "B", WORK_MS, CHECKIN, INTERVAL, sites)) {
                try {
                    awaitTrue(() -> SITES.stream().allMatch(site -> firedOn(db.dataSource(), "B", site)),
                            Duration.ofSeconds(30), "B polls both sites");
                    try (PollNode a = PollNode.start(db.dataSource(), options, sites,
                            new FiringRecorder("A", WORK_MS, db.dataSource()))) {
                        awaitTrue(() -> instances(db.dataSource()).size() == 2, Duration.ofSeconds(10),
                                "both runners check in");
                        Set<String> instances = instances(db.dataSource());
                        assertTrue(instances.contains(a.instanceId()), "A checked in: " + instances);
                        Thread.sleep(6_000);

                        assertEquals(0, b.stop(Duration.ofSeconds(30)), "B stops cleanly");
                        long bStopped = System.currentTimeMillis();
                        Thread.sleep(12_000);

                        List<Firing> firings = FiringRecorder.readTable(db.dataSource());
                        System.out.println("firings per runner and site: " + firings.stream().collect(
                                Collectors.groupingBy(f -> f.node() + "/" + f.site(), Collectors.counting())));
                        assertEquals(List.of(), Firing.overlaps(firings), "no site polled twice at the same time");
                        assertTrue(instances.containsAll(firings.stream().map(Firing::instanceId).toList()),
                                "every firing came from a checked-in runner");
                        for (String site : SITES) {
                            List<Firing> aloneOnA = firings.stream().filter(f -> f.site().equals(site)
                                    && f.node().equals("A") && f.startedMs() > bStopped).toList();
                            assertTrue(aloneOnA.size() >= 3,
                                    site + " fired " + aloneOnA.size() + " times on A after B stopped");
                            System.out.println(site + ": first firing on A " + (aloneOnA.get(0).startedMs()
                                    - bStopped) + " ms after B stopped");
                        }
                    }
                } catch (AssertionError | Exception e) {
                    System.out.println("node B output:\n" + b.output());
                    throw e;
                }
            }
        }
    }

    private static boolean firedOn(DataSource dataSource, String node, String site) {
        try {
            return FiringRecorder.readTable(dataSource).stream()
                    .anyMatch(f -> f.node().equals(node) && f.site().equals(site));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> instances(DataSource dataSource) {
        Set<String> names = new TreeSet<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT INSTANCE_NAME FROM QRTZ_SCHEDULER_STATE WHERE SCHED_NAME = 'usermesh'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    private static void awaitTrue(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(100);
        }
    }
}
