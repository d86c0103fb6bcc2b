package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain of push links site1 -> site2 -> site3: a change made on site1 travels on from site2 to
 * site3 as one event (both hops share the event id) and never comes back to site1.
 */
class ChainSyncIT {

    static final Duration POLL = Duration.ofSeconds(3);
    static final Duration TWO_POLLS = Duration.ofSeconds(2 * 3 + 10);

    @TempDir
    Path workDir;

    @Test
    void createAndEditOnSite1ReachSite3ThroughSite2() throws Exception {
        try (CountingProxy p1 = new CountingProxy(TestBed.site(1).url());
                CountingProxy p2 = new CountingProxy(TestBed.site(2).url());
                CountingProxy p3 = new CountingProxy(TestBed.site(3).url())) {
            List<TestBed.WpSite> sites = List.of(Sync.via(TestBed.site(1), p1), Sync.via(TestBed.site(2), p2),
                    Sync.via(TestBed.site(3), p3));
            String yaml = Configs.sitesYaml("  pollInterval: 3s\n", sites, """
                    links:
                      - between: [site1, site2]
                        direction: push
                      - between: [site2, site3]
                        direction: push
                    """);
            WpAdmin site1 = WpAdmin.of(1);
            WpAdmin site2 = WpAdmin.of(2);
            WpAdmin site3 = WpAdmin.of(3);
            String login = "chain-" + UUID.randomUUID().toString().substring(0, 8);
            String email = login + "@example.test";
            try (SyncRunner runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2", "site3"))) {
                long id = site1.create(login, email, Map.of("first_name", "Chris", "last_name", "Chain",
                        "roles", List.of("author"))).path("id").asLong();
                // a poll may list the user while WordPress is still adding its role: wait for the whole user
                Predicate<JsonNode> created = u -> u.path("username").asText().equals(login)
                        && u.path("first_name").asText().equals("Chris")
                        && u.path("last_name").asText().equals("Chain")
                        && u.path("roles").toString().equals("[\"author\"]");
                runner.await(TWO_POLLS, "user created on site1 reaches site3",
                        () -> site3.byEmail(email).map(created::test).orElse(false));
                assertTrue(created.test(site2.byEmail(email).orElseThrow()), "the user is on site2 too");
                runner.await(TWO_POLLS, "create hops audited", () -> hopsOfRow(runner, email, 0) == 2);
                String createEvent = runner.logFor(email).get(0).eventId();
                assertHops(rowsOf(runner, email, createEvent), "create");
                int beforeEdit = settledRowCount(runner, email);

                site1.update(id, Map.of("last_name", "Linked", "description", "edited on site1",
                        "roles", List.of("editor")));
                Predicate<JsonNode> edited = u -> u.path("last_name").asText().equals("Linked")
                        && u.path("description").asText().equals("edited on site1")
                        && u.path("roles").toString().equals("[\"editor\"]");
                runner.await(TWO_POLLS, "edit on site1 reaches site3",
                        () -> site3.byEmail(email).map(edited::test).orElse(false));
                assertTrue(edited.test(site2.byEmail(email).orElseThrow()), "the edit is on site2 too");
                runner.await(TWO_POLLS, "edit hops audited", () -> hopsOfRow(runner, email, beforeEdit) == 2);
                String editEvent = runner.logFor(email).get(beforeEdit).eventId();
                assertTrue(!editEvent.equals(createEvent), "the edit is a new event");
                List<SyncRunner.LogRow> edit = rowsOf(runner, email, editEvent);
                assertHops(edit, "edit");

                // let every site be polled again: what usermesh wrote on site2 and site3 is no new change
                Thread.sleep(POLL.multipliedBy(2).plusSeconds(1).toMillis());
                List<SyncRunner.LogRow> all = runner.logFor(email);
                assertTrue(all.stream().allMatch(r -> "success".equals(r.status())), all.toString());
                assertTrue(all.stream().noneMatch(r -> "site1".equals(r.target())), all.toString());
                Map<String, List<SyncRunner.LogRow>> byEvent = all.stream()
                        .collect(Collectors.groupingBy(SyncRunner.LogRow::eventId));
                byEvent.values().forEach(rows -> assertHops(rows, rows.get(0).action()));
                assertEquals(0, p1.writes(), "usermesh never writes to site1: " + p1.requests());
                assertEquals(byEvent.size(), p2.writes(), "each change written once to site2: " + p2.requests());
                assertEquals(byEvent.size(), p3.writes(), "each change written once to site3: " + p3.requests());
            }
        }
    }

    /** The rows of one event, in the order they were written. */
    private static List<SyncRunner.LogRow> rowsOf(SyncRunner runner, String email, String eventId) {
        return runner.logFor(email).stream().filter(r -> eventId.equals(r.eventId())).toList();
    }

    /** How many rows share the event of the user's row number {@code index}; 0 while there is no such row. */
    private static int hopsOfRow(SyncRunner runner, String email, int index) {
        List<SyncRunner.LogRow> rows = runner.logFor(email);
        return rows.size() <= index ? 0 : rowsOf(runner, email, rows.get(index).eventId()).size();
    }

    /** The number of rows once none has been added for a second (the hops of a change land ms apart). */
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

    private static void assertHops(List<SyncRunner.LogRow> rows, String action) {
        assertEquals(2, rows.size(), action + ": two hops: " + rows);
        SyncRunner.LogRow first = rows.get(0);
        SyncRunner.LogRow second = rows.get(1);
        assertEquals("site1->site2", first.source() + "->" + first.target(), action + " hop 1: " + rows);
        assertEquals("site2->site3", second.source() + "->" + second.target(), action + " hop 2: " + rows);
        assertEquals(first.eventId(), second.eventId(), action + " hops share the event id: " + rows);
        assertTrue(rows.stream().allMatch(r -> "poll".equals(r.origin())), rows.toString());
    }
}
