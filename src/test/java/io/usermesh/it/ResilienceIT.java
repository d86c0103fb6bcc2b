package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing lost: a dead target, a crash mid-burst, a change that fails for good. */
class ResilienceIT {

    /** A push link site1 -> site2 carrying every action (a link that lists none carries create, edit, roles). */
    static final String PUSH = """
            links:
              - between: [site1, site2]
                direction: push
                outgoing: %s
            """.formatted(Configs.ALL_ACTIONS);
    static final String FAST_RETRY = """
            usermesh.delivery.initialBackoff=1s
            usermesh.delivery.maxBackoff=8s
            usermesh.delivery.maxAttempts=100
            usermesh.delivery.circuitFailures=5
            usermesh.delivery.circuitProbe=4s
            """;

    @TempDir
    Path workDir;

    /** Hundreds of users per test: leave the shared test sites as they were found. */
    @org.junit.jupiter.api.AfterEach
    void removeUsers() {
        TestBed.server("reset-users", 1);
        TestBed.server("reset-users", 2);
    }

    static String yaml(String links) {
        return Configs.sitesYaml("  pollInterval: 3s\n", List.of(TestBed.site(1), TestBed.site(2)), links);
    }

    /** Users on a site whose login starts with the prefix (search is a substring match, so filter). */
    static Set<String> logins(WpAdmin site, String prefix) {
        Set<String> all = new java.util.TreeSet<>();
        for (int page = 1; page < 20; page++) {
            JsonNode list = site.send("GET", "/wp-json/wp/v2/users?context=edit&per_page=100&page=" + page
                    + "&search=" + prefix, null);
            if (list.isEmpty()) {
                break;
            }
            list.forEach(u -> {
                if (u.path("username").asText().startsWith(prefix)) {
                    all.add(u.path("username").asText());
                }
            });
        }
        return all;
    }

    @Test
    void changesMadeWhileTheTargetIsDownAllArriveWhenItIsBack() throws Exception {
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        String prefix = "down" + UUID.randomUUID().toString().substring(0, 6);
        try (SyncRunner runner = SyncRunner.start(workDir, yaml(PUSH), FAST_RETRY, List.of("site1", "site2"),
                MariaDb.create(), true)) {
            TestBed.server("stop-site", 2);
            long stoppedAt = System.nanoTime();
            try {
                for (int i = 0; i < 100; i++) {
                    a.create(prefix + i, prefix + i + "@example.test", Map.of());
                }
                runner.await(Duration.ofSeconds(60), "failed attempts against the stopped site",
                        () -> runner.log().stream().anyMatch(r -> "failed".equals(r.status())
                                && "site2".equals(r.target())));
                long left = Duration.ofMinutes(2).toNanos() - (System.nanoTime() - stoppedAt);
                Thread.sleep(Math.max(0, left / 1_000_000));
            } finally {
                TestBed.server("start-site", 2);
            }
            runner.await(Duration.ofSeconds(90), "all 100 users on site2", () -> logins(b, prefix).size() == 100);

            List<SyncRunner.LogRow> rows = runner.log().stream().filter(r -> "site2".equals(r.target())).toList();
            assertEquals(100, rows.stream().filter(r -> "success".equals(r.status())).count());
            assertTrue(rows.stream().anyMatch(r -> "failed".equals(r.status())
                    && r.message().startsWith("attempt ") && r.message().contains("unreachable")), rows.toString());
            assertEquals(0, rows.stream().filter(r -> "dead".equals(r.status())).count(), "nothing given up");
        }
    }

    @Test
    void aRunnerKilledMidBurstLosesAndDuplicatesNothing() throws Exception {
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        String prefix = "kill" + UUID.randomUUID().toString().substring(0, 6);
        MariaDb db = MariaDb.create();
        try {
            try (SyncRunner first = SyncRunner.start(workDir, yaml(PUSH), "", List.of("site1", "site2"), db, false)) {
                for (int i = 0; i < 300; i++) {
                    a.create(prefix + i, prefix + i + "@example.test", Map.of());
                    if (i == 150) {
                        first.await(Duration.ofSeconds(30), "deliveries under way",
                                () -> logins(b, prefix).size() > 10);
                    }
                }
                first.kill();
            }
            int before = logins(b, prefix).size();
            assertTrue(before < 300, "the kill came mid-burst: " + before + " of 300 had arrived");
            try (SyncRunner second = SyncRunner.start(workDir, yaml(PUSH), "", List.of("site1", "site2"), db,
                    false)) {
                second.await(Duration.ofSeconds(180), "all 300 users on site2",
                        () -> logins(b, prefix).size() == 300);
                // a delivery the kill cut off is claimed by the dead runner until its claim expires,
                // then repeated: as an "already up to date" edit when the account was created already
                second.await(Duration.ofSeconds(180), "a success row for every user", () -> second.log().stream()
                        .filter(r -> "success".equals(r.status()) && r.userKey().startsWith(prefix))
                        .map(SyncRunner.LogRow::userKey).distinct().count() == 300);
                List<JsonNode> onB = b.allWithEmailContaining(prefix);
                Map<String, Long> perEmail = onB.stream().collect(Collectors.groupingBy(
                        u -> u.path("email").asText(), Collectors.counting()));
                assertTrue(perEmail.values().stream().allMatch(n -> n == 1), "duplicates: " + perEmail);
                Set<String> delivered = second.log().stream()
                        .filter(r -> "success".equals(r.status()) && r.userKey().startsWith(prefix))
                        .map(SyncRunner.LogRow::userKey).collect(Collectors.toSet());
                assertEquals(300, delivered.size(), "every user has a success row");
            }
        } finally {
            db.close();
        }
    }

    @Test
    void aChangeThatFailsForGoodIsDeadLetteredAndReplayedAfterTheFix() throws Exception {
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        String login = "dead" + UUID.randomUUID().toString().substring(0, 6);
        String broken = Configs.sitesYaml("  pollInterval: 3s\n", List.of(TestBed.site(1), TestBed.site(2)),
                Map.of(2, "    roleMap: {author: ghostwriter}\n"), PUSH);
        MariaDb db = MariaDb.create();
        try {
            try (SyncRunner runner = SyncRunner.start(workDir, broken, "", List.of("site1", "site2"), db, false)) {
                a.create(login, login + "@example.test", Map.of("roles", List.of("author")));
                runner.await(Duration.ofSeconds(30), "dead letter", () -> runner.log().stream()
                        .anyMatch(r -> "dead".equals(r.status()) && r.userKey().startsWith(login)));
                SyncRunner.LogRow failed = runner.log().stream()
                        .filter(r -> "failed".equals(r.status()) && r.userKey().startsWith(login)).findFirst()
                        .orElseThrow();
                assertEquals(400, failed.httpStatus());
                assertTrue(failed.message().contains("role ghostwriter does not exist on site2"), failed.message());
                assertEquals(1, runner.log().stream().filter(r -> r.userKey().startsWith(login)
                        && "failed".equals(r.status())).count(), "a 400 is not retried");
            }
            JarProcess.Result list = JarProcess.run(workDir, SyncRunner.dbEnv(db), Duration.ofSeconds(60),
                    "dead-letters", "--config-dir", workDir.resolve("config").toString());
            assertEquals(0, list.exitCode(), list.output());
            String row = list.output().lines().filter(l -> l.contains(login)).findFirst().orElseThrow(
                    () -> new AssertionError(list.output()));
            String id = row.trim().split("\\s+")[0];
            assertTrue(row.contains("site2") && row.contains("ghostwriter"), row);

            String fixed = Configs.sitesYaml("  pollInterval: 3s\n", List.of(TestBed.site(1), TestBed.site(2)),
                    Map.of(2, "    roleMap: {author: editor}\n"), PUSH);
            try (SyncRunner runner = SyncRunner.start(workDir, fixed, "", List.of("site1", "site2"), db, false)) {
                JarProcess.Result replay = JarProcess.run(workDir, SyncRunner.dbEnv(db), Duration.ofSeconds(60),
                        "dead-letters", "--config-dir", workDir.resolve("config").toString(), "--replay", id);
                assertEquals(0, replay.exitCode(), replay.output());
                runner.await(Duration.ofSeconds(30), "replayed user on site2",
                        () -> b.written(login + "@example.test").isPresent());
                assertEquals("editor", b.written(login + "@example.test").orElseThrow().path("roles").get(0).asText(),
                        "the fixed roleMap applies to the replay");
            }
        } finally {
            db.close();
        }
    }
}
