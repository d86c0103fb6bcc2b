package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.usermesh.model.UserState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bidirectional site1 <-> site2: the same field of a synced user changed to different values on
 * both sites between two polls. Both sites end with one value, and sync_log has a conflict row that
 * names both fingerprints; the change that lost is not applied.
 */
class ConflictIT {

    static final Duration POLL = Duration.ofSeconds(3);
    static final Duration TWO_POLLS = Duration.ofSeconds(2 * 3 + 10);
    static final Pattern CONFLICT = Pattern.compile(
            "later change on (site[12]) \\(fingerprint ([0-9a-f]{12})\\) wins over the one from (site[12])"
                    + " \\(fingerprint ([0-9a-f]{12})\\)");

    @TempDir
    Path workDir;

    @Test
    void sameFieldChangedOnBothSidesConvergesToOneValueAndIsAuditedAsConflict() throws Exception {
        String yaml = Configs.sitesYaml("  pollInterval: 3s\n", List.of(TestBed.site(1), TestBed.site(2)), """
                links:
                  - between: [site1, site2]
                    direction: bidirectional
                """);
        WpAdmin site1 = WpAdmin.of(1);
        WpAdmin site2 = WpAdmin.of(2);
        String login = "conflict-" + UUID.randomUUID().toString().substring(0, 8);
        String email = login + "@example.test";
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2"))) {
            long id1 = site1.create(login, email, Map.of("first_name", "Original", "roles", List.of("author")))
                    .path("id").asLong();
            // the whole user, role included: a poll may list it while WordPress is still adding the role
            runner.await(TWO_POLLS, "user synced to site2", () -> site2.byEmail(email)
                    .map(u -> u.path("first_name").asText().equals("Original")
                            && u.path("roles").toString().equals("[\"author\"]")).orElse(false));
            long id2 = site2.byEmail(email).orElseThrow().path("id").asLong();
            runner.await(TWO_POLLS, "create audited", () -> !runner.logFor(email).isEmpty());
            int before = settledRowCount(runner, email);

            // both admins change first_name at the same moment: no poll can pass one on before the other
            CompletableFuture<JsonNode> on1 = CompletableFuture.supplyAsync(
                    () -> site1.update(id1, Map.of("first_name", "Alpha")));
            CompletableFuture<JsonNode> on2 = CompletableFuture.supplyAsync(
                    () -> site2.update(id2, Map.of("first_name", "Beta")));
            Map<String, String> fingerprints = Map.of("site1", shortFingerprint(on1.get()),
                    "site2", shortFingerprint(on2.get()));
            Map<String, String> values = Map.of("site1", "Alpha", "site2", "Beta");

            runner.await(TWO_POLLS.multipliedBy(2), "both sites agree on first_name", () -> {
                String a = site1.byEmail(email).orElseThrow().path("first_name").asText();
                String b = site2.byEmail(email).orElseThrow().path("first_name").asText();
                return a.equals(b) && values.containsValue(a);
            });
            runner.await(TWO_POLLS, "conflict audited", () -> runner.logFor(email).stream()
                    .anyMatch(r -> "conflict".equals(r.status())));
            // two quiet poll intervals: the outcome holds and nothing more is sent (counted once the rows
            // settled: the winning write reaches the site a moment before its audit row is committed)
            int rowsBefore = settledRowCount(runner, email);
            Thread.sleep(POLL.multipliedBy(2).plusSeconds(1).toMillis());
            assertEquals(rowsBefore, runner.logFor(email).size(), "quiet after convergence: " + runner.log());

            List<SyncRunner.LogRow> all = runner.logFor(email);
            assertEquals("create", all.get(0).action(), all.toString());
            List<SyncRunner.LogRow> rows = all.subList(before, all.size());
            List<SyncRunner.LogRow> conflicts = rows.stream().filter(r -> "conflict".equals(r.status())).toList();
            assertEquals(1, conflicts.size(), rows.toString());
            SyncRunner.LogRow conflict = conflicts.get(0);
            Matcher m = CONFLICT.matcher(conflict.message());
            assertTrue(m.find(), "conflict message names winner, loser and their fingerprints: " + conflict);
            String winner = m.group(1);
            String loser = m.group(3);
            assertEquals(conflict.target(), winner, "the target's own change wins: " + conflict);
            assertEquals(conflict.source(), loser, conflict.toString());
            assertEquals(fingerprints.get(winner), m.group(2), "winner fingerprint: " + fingerprints);
            assertEquals(fingerprints.get(loser), m.group(4), "loser fingerprint: " + fingerprints);
            assertEquals("edit", conflict.action());

            String value = values.get(winner);
            assertEquals(value, site1.byEmail(email).orElseThrow().path("first_name").asText(), "site1");
            assertEquals(value, site2.byEmail(email).orElseThrow().path("first_name").asText(), "site2");
            List<SyncRunner.LogRow> edits = rows.stream()
                    .filter(r -> "edit".equals(r.action()) && "success".equals(r.status())).toList();
            assertEquals(1, edits.size(), "only the winning change is applied: " + rows);
            assertEquals(winner + "->" + loser, edits.get(0).source() + "->" + edits.get(0).target(), rows.toString());
            assertEquals(2, rows.size(), "after the two edits: the conflict and the winning edit: " + all);
        }
    }

    /** The number of rows once none has been added for a second. */
    private static int settledRowCount(SyncRunner runner, String email) throws InterruptedException {
        int count = runner.logFor(email).size();
        for (int i = 0; i < 10; i++) {
            Thread.sleep(1000);
            int now = runner.logFor(email).size();
            if (now == count) {
                return count;
            }
            count = now;
        }
        throw new AssertionError("sync_log keeps growing for " + email + ": " + runner.logFor(email));
    }

    /** The first 12 hex digits of usermesh's fingerprint of the user as the site shows it (companion fields included). */
    private static String shortFingerprint(JsonNode user) {
        return UserState.of(io.usermesh.wordpress.WpUser.fromJson(user)).fingerprint().substring(0, 12);
    }
}
