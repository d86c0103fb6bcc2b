package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bidirectional site1 <-> site2: 25 real changes on each side (5 creates, then 20 edits over four
 * rounds) converge, each applied exactly once to the other site, with no echo and no conflict, and
 * nothing more happens once both sides agree.
 */
class BidirectionalSyncIT {

    static final Duration POLL = Duration.ofSeconds(3);
    static final Duration TWO_POLLS = Duration.ofSeconds(2 * 3 + 10);
    static final int USERS_PER_SIDE = 5;
    static final int ROUNDS = 4;
    static final List<String> FIELDS = List.of("first_name", "last_name", "nickname", "description", "url", "name",
            "roles");
    static final List<String> ROLES = List.of("author", "editor", "contributor", "subscriber");

    @TempDir
    Path workDir;

    /** One change made by hand on one site: it must reach the other site exactly once. */
    record RealChange(String email, String source, String action) {
    }

    @Test
    void twentyFiveChangesOnEachSideConvergeWithoutEcho() throws Exception {
        try (CountingProxy p1 = new CountingProxy(TestBed.site(1).url());
                CountingProxy p2 = new CountingProxy(TestBed.site(2).url())) {
            List<TestBed.WpSite> sites = List.of(Sync.via(TestBed.site(1), p1), Sync.via(TestBed.site(2), p2));
            String yaml = Configs.sitesYaml("  pollInterval: 3s\n", sites, """
                    links:
                      - between: [site1, site2]
                        direction: bidirectional
                    """);
            WpAdmin site1 = WpAdmin.of(1);
            WpAdmin site2 = WpAdmin.of(2);
            Map<String, WpAdmin> admins = Map.of("site1", site1, "site2", site2);
            String tag = "bidi-" + UUID.randomUUID().toString().substring(0, 8);
            List<String> emails = new ArrayList<>();
            Map<String, Map<String, Long>> ids = new HashMap<>(); // email -> site -> WordPress id
            Map<String, Map<String, Object>> expected = new LinkedHashMap<>(); // email -> synced fields
            List<RealChange> changes = new ArrayList<>();

            try (SyncRunner runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2"))) {
                // 5 creates on each side
                for (int i = 0; i < 2 * USERS_PER_SIDE; i++) {
                    String side = i < USERS_PER_SIDE ? "site1" : "site2";
                    String login = tag + "-u" + i;
                    String email = login + "@example.test";
                    JsonNode created = admins.get(side).create(login, email, Map.of("first_name", "First" + i,
                            "last_name", "Last" + i, "roles", List.of("author")));
                    emails.add(email);
                    ids.computeIfAbsent(email, e -> new HashMap<>()).put(side, created.path("id").asLong());
                    expected.put(email, synced(created));
                    changes.add(new RealChange(email, side, "create"));
                }
                awaitConverged(runner, site1, site2, tag, expected, "the 10 creates");
                for (String email : emails) {
                    for (String side : List.of("site1", "site2")) {
                        ids.get(email).putIfAbsent(side, admins.get(side).byEmail(email).orElseThrow()
                                .path("id").asLong());
                    }
                }

                // 4 rounds: each side edits 5 users (the other side the other 5), one field each
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < emails.size(); i++) {
                        String email = emails.get(i);
                        String side = (i + round) % 2 == 0 ? "site1" : "site2";
                        String field = FIELDS.get((round * 3 + i) % FIELDS.size());
                        Object value;
                        if (field.equals("roles")) {
                            String current = expected.get(email).get("roles").toString();
                            value = List.of(ROLES.stream().filter(r -> !current.equals(List.of(r).toString()))
                                    .findFirst().orElseThrow());
                        } else if (field.equals("url")) {
                            value = "https://" + side + "-r" + round + "-u" + i + ".example.test";
                        } else {
                            value = field + " " + side + " r" + round + " u" + i;
                        }
                        JsonNode updated = admins.get(side).update(ids.get(email).get(side), Map.of(field, value));
                        Map<String, Object> now = synced(updated);
                        assertTrue(!now.equals(expected.get(email)), "edit " + field + " is a real change");
                        expected.put(email, now);
                        changes.add(new RealChange(email, side, "edit"));
                    }
                    awaitConverged(runner, site1, site2, tag, expected, "round " + (round + 1) + " of edits");
                }
                assertEquals(50, changes.size());

                // every real change audited once; then two quiet poll intervals change nothing
                runner.await(TWO_POLLS, "one success row per real change", () -> runner.log().stream()
                        .filter(r -> "success".equals(r.status())).count() >= changes.size());
                long writes1 = p1.writes();
                long writes2 = p2.writes();
                int rows = runner.log().size();
                Thread.sleep(POLL.multipliedBy(2).plusSeconds(1).toMillis());
                assertEquals(writes1, p1.writes(), "no write to site1 once converged: " + p1.requests());
                assertEquals(writes2, p2.writes(), "no write to site2 once converged: " + p2.requests());
                assertEquals(rows, runner.log().size(), "no audit row once converged: " + runner.log());
                assertConverged(site1, site2, tag, expected);

                try {
                    assertAppliedOnceEach(runner, p1, p2, changes);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nsync_log:\n" + runner.log().stream()
                            .map(Object::toString).collect(Collectors.joining("\n")) + "\nrunner log:\n"
                            + runner.output(), e);
                }
            }
        }
    }

    /** Each real change applied once to the other site, never back to where it came from. */
    private static void assertAppliedOnceEach(SyncRunner runner, CountingProxy p1, CountingProxy p2,
            List<RealChange> changes) {
        List<SyncRunner.LogRow> log = runner.log();
        assertEquals(0, log.stream().filter(r -> "conflict".equals(r.status())).count(), "no conflict rows");
        assertTrue(log.stream().noneMatch(r -> r.target().equals(r.source())), "no row back to its source");
        Map<String, Long> rowsPerEvent = log.stream()
                .collect(Collectors.groupingBy(SyncRunner.LogRow::eventId, Collectors.counting()));
        assertTrue(rowsPerEvent.values().stream().allMatch(n -> n == 1),
                "one row per event: no change went on from the site it was applied to");
        List<String> wanted = changes.stream().map(c -> c.email() + " " + c.source() + "->"
                + other(c.source()) + " " + c.action() + " success").sorted().toList();
        List<String> audited = log.stream().map(r -> r.userKey() + " " + r.source() + "->" + r.target() + " "
                + r.action() + " " + r.status()).sorted().toList();
        if (!wanted.equals(audited)) {
            List<String> extra = new ArrayList<>(audited);
            wanted.forEach(extra::remove);
            List<String> missing = new ArrayList<>(wanted);
            audited.forEach(missing::remove);
            throw new AssertionError("exactly one success row per real change, but extra rows " + extra
                    + " and missing rows " + missing + " (an extra 'updated roles' edit in the same direction"
                    + " right after a create or role edit means a poll listed the user half-written by WordPress)");
        }
        assertTrue(log.stream().allMatch(r -> r.httpStatus() != null && r.httpStatus() / 100 == 2),
                "every success row is a real write");
        long fromSite1 = changes.stream().filter(c -> c.source().equals("site1")).count();
        long fromSite2 = changes.size() - fromSite1;
        assertEquals(fromSite2, p1.writes(), "writes to site1 = changes made on site2: " + writes(p1));
        assertEquals(fromSite1, p2.writes(), "writes to site2 = changes made on site1: " + writes(p2));
    }

    /** The fields usermesh syncs, as a site shows them. */
    static Map<String, Object> synced(JsonNode user) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("username", user.path("username").asText());
        fields.put("email", user.path("email").asText().toLowerCase(java.util.Locale.ROOT));
        for (String f : List.of("name", "first_name", "last_name", "nickname", "url", "description")) {
            fields.put(f, user.path(f).asText());
        }
        List<String> roles = new ArrayList<>();
        user.path("roles").forEach(r -> roles.add(r.asText()));
        fields.put("roles", roles.stream().sorted().toList());
        return fields;
    }

    static Map<String, Map<String, Object>> usersOf(WpAdmin site, String tag) {
        Map<String, Map<String, Object>> users = new HashMap<>();
        for (JsonNode u : site.allWithEmailContaining(tag)) {
            users.put(u.path("email").asText().toLowerCase(java.util.Locale.ROOT), synced(u));
        }
        return users;
    }

    private static void awaitConverged(SyncRunner runner, WpAdmin site1, WpAdmin site2, String tag,
            Map<String, Map<String, Object>> expected, String what) throws InterruptedException {
        runner.await(TWO_POLLS, what + " on both sites", throttled(() -> usersOf(site1, tag).equals(expected)
                && usersOf(site2, tag).equals(expected)));
    }

    private static void assertConverged(WpAdmin site1, WpAdmin site2, String tag,
            Map<String, Map<String, Object>> expected) {
        assertEquals(expected, usersOf(site1, tag), "site1");
        assertEquals(expected, usersOf(site2, tag), "site2");
    }

    /** Checks at most every 750 ms, so waiting does not crowd the sites' PHP workers. */
    static BooleanSupplier throttled(BooleanSupplier check) {
        long[] last = {0};
        return () -> {
            long now = System.nanoTime();
            if (now - last[0] < 750_000_000L) {
                return false;
            }
            last[0] = now;
            return check.getAsBoolean();
        };
    }

    private static String other(String site) {
        return site.equals("site1") ? "site2" : "site1";
    }

    private static List<String> writes(CountingProxy proxy) {
        return proxy.requests().stream().filter(r -> !r.startsWith("GET ")).toList();
    }
}
