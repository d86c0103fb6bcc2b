package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runners on one MariaDB: they share the work, one dies, nothing is applied twice or lost. */
class TwoRunnersIT {

    @TempDir
    Path workDir;

    /** A runner of the cluster on {@code db}, in its own work dir; the database outlives it. */
    private SyncRunner runner(String name, String yaml, MariaDb db) throws Exception {
        return SyncRunner.start(Files.createDirectories(workDir.resolve(name)), yaml, "", List.of("site1", "site2"),
                db, false);
    }

    @org.junit.jupiter.api.AfterEach
    void removeUsers() {
        TestBed.server("reset-users", 1);
        TestBed.server("reset-users", 2);
    }

    @Test
    void twoRunnersShareTheWorkAndSurviveTheLossOfOne() throws Exception {
        String yaml = ResilienceIT.yaml(ResilienceIT.PUSH);
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        String prefix = "two" + UUID.randomUUID().toString().substring(0, 6);
        MariaDb db = MariaDb.create();
        try (SyncRunner first = runner("one", yaml, db); SyncRunner second = runner("two", yaml, db)) {
            assertEquals(2, first.count("SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE WHERE SCHED_NAME = 'usermesh'"),
                    "both runners checked in to the cluster");
            for (int i = 0; i < 40; i++) {
                a.create(prefix + i, prefix + i + "@example.test", Map.of());
                if (i == 20) {
                    first.kill();
                }
            }
            second.await(Duration.ofSeconds(120), "all 40 users on site2",
                    () -> ResilienceIT.logins(b, prefix).size() == 40);
            // a delivery cut off by the kill stays claimed by the dead runner until the claim expires
            second.await(Duration.ofSeconds(180), "a success row for every user", () -> second.log().stream()
                    .filter(r -> r.userKey().startsWith(prefix) && "success".equals(r.status()))
                    .map(SyncRunner.LogRow::userKey).distinct().count() == 40);

            List<SyncRunner.LogRow> successes = second.log().stream()
                    .filter(r -> r.userKey().startsWith(prefix) && "success".equals(r.status())).toList();
            assertEquals(40, successes.stream().map(SyncRunner.LogRow::userKey).distinct().count(),
                    "every user has its success row");
            // a delivery cut off by the kill is repeated as an "already up to date" edit, never a second create
            Map<String, Long> creates = successes.stream().filter(r -> "create".equals(r.action()))
                    .collect(Collectors.groupingBy(SyncRunner.LogRow::userKey, Collectors.counting()));
            assertTrue(creates.values().stream().allMatch(n -> n == 1), "no user created twice: " + creates);
            assertEquals(40, b.allWithEmailContaining(prefix).size(), "no duplicate account on site2");
        } finally {
            db.close();
        }
    }

    /** usermesh_deliveries_total is per runner: summed over the two runners, it is the number of creates. */
    @Test
    void theDeliveriesCounterSummedOverTheRunnersIsTheNumberOfCreates() throws Exception {
        String yaml = ResilienceIT.yaml(ResilienceIT.PUSH);
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        String prefix = "sum" + UUID.randomUUID().toString().substring(0, 6);
        MariaDb db = MariaDb.create();
        try (SyncRunner first = runner("one", yaml, db); SyncRunner second = runner("two", yaml, db)) {
            for (int i = 0; i < 12; i++) {
                a.create(prefix + i, prefix + i + "@example.test", Map.of());
            }
            second.await(Duration.ofSeconds(120), "all 12 users on site2",
                    () -> ResilienceIT.logins(b, prefix).size() == 12);
            double sum = 0;
            for (SyncRunner runner : List.of(first, second)) {
                sum += MetricsIT.value(MetricsIT.scrape("http://127.0.0.1:" + runner.managementPort()
                        + "/observe/metrics"), "usermesh_deliveries_total", "action", "create", "source", "site1",
                        "status", "success", "target", "site2");
            }
            assertEquals(12.0, sum, "the creates, counted once, by the runner that delivered each");
        } finally {
            db.close();
        }
    }
}
