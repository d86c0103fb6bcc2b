package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one change costs the target, counted on the wire (a proxy in front of the target): the user is
 * looked up in the target's snapshot, never with WordPress's search (a scan over all of its users), and
 * an update is written without a read before it, so a change is one request whatever the target's size.
 * Polls and health probes are not counted. And what that costs in safety: nothing, shown below.
 */
class RequestsPerChangeIT {

    static final Duration SOON = Duration.ofSeconds(30);

    @TempDir
    Path workDir;

    @Test
    void aCreateAnEditARoleChangeAndADeleteAreOneRequestEachAndNothingSearches() throws Exception {
        try (CountingProxy p2 = new CountingProxy(TestBed.site(2).url())) {
            String yaml = Configs.sitesYaml("  pollInterval: 2s\n", List.of(TestBed.site(1),
                    Sync.via(TestBed.site(2), p2)), """
                    links:
                      - between: [site1, site2]
                        direction: push
                        outgoing: [create, edit, roles, delete]
                    """);
            WpAdmin a = WpAdmin.of(1);
            WpAdmin b = WpAdmin.of(2);
            String login = Sync.uniqueLogin("rpc");
            String email = Sync.email(login);
            try (SyncRunner runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2"))) {
                int mark = p2.requests().size();
                long id = a.create(login, email, Map.of("first_name", "Rui")).path("id").asLong();
                runner.await(SOON, "the create audited", () -> audited(runner, email, "create") == 1);
                List<String> create = userRequests(p2, mark);
                assertEquals(1, create.size(), "a create: " + create);
                assertTrue(create.get(0).startsWith("POST /wp-json/wp/v2/users?"), create.toString());
                long onB = b.byEmail(email).orElseThrow().path("id").asLong();

                mark = p2.requests().size();
                a.update(id, Map.of("first_name", "Rita"));
                runner.await(SOON, "the edit audited", () -> audited(runner, email, "edit") == 1);
                assertEquals(List.of("POST /wp-json/wp/v2/users/" + onB), paths(userRequests(p2, mark)),
                        "an edit: one write, the target's snapshot is the before");
                assertEquals("Rita", b.byEmail(email).orElseThrow().path("first_name").asText());

                mark = p2.requests().size();
                a.update(id, Map.of("roles", List.of("editor")));
                runner.await(SOON, "the role change audited", () -> audited(runner, email, "edit") == 2);
                assertEquals(List.of("POST /wp-json/wp/v2/users/" + onB), paths(userRequests(p2, mark)),
                        "a role change");
                assertEquals("[\"editor\"]", b.byEmail(email).orElseThrow().path("roles").toString());

                mark = p2.requests().size();
                a.delete(id);
                runner.await(SOON, "the delete audited", () -> audited(runner, email, "delete") == 1);
                List<String> delete = userRequests(p2, mark);
                assertEquals(1, delete.size(), "a delete of a linked user: " + delete);
                assertTrue(delete.get(0).startsWith("DELETE /wp-json/wp/v2/users/" + onB + "?"), delete.toString());
                assertTrue(p2.requests().stream().noneMatch(r -> r.contains("search=")), "a search reached site2");
            }
        }
    }

    /**
     * Site2 runs the companion and is not polled again during the test: a field changed there meanwhile
     * is unknown to usermesh. An edit of another field goes through and leaves it; an edit of the same
     * field is refused by the site (the update's expect) and audited as a conflict, never overwriting it.
     */
    @Test
    void aFieldChangedOnACompanionTargetSinceItsPollIsNeverOverwrittenByAnOlderChange() throws Exception {
        try (CountingProxy p2 = new CountingProxy(TestBed.site(2).url())) {
            String yaml = Configs.sitesYaml("  pollInterval: 2s\n", List.of(TestBed.site(1),
                    Sync.via(TestBed.site(2), p2)), Map.of(2, "    pollInterval: 10m\n"), """
                    links:
                      - between: [site1, site2]
                        direction: push
                    """);
            WpAdmin a = WpAdmin.of(1);
            WpAdmin b = WpAdmin.of(2);
            String login = Sync.uniqueLogin("cas");
            String email = Sync.email(login);
            try (SyncRunner runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2"))) {
                long id = a.create(login, email, Map.of("first_name", "Rui", "last_name", "Ramos")).path("id").asLong();
                runner.await(SOON, "the create audited", () -> audited(runner, email, "create") == 1);
                long onB = b.byEmail(email).orElseThrow().path("id").asLong();
                b.update(onB, Map.of("last_name", "Bravo")); // on site2, after its last poll

                int mark = p2.requests().size();
                a.update(id, Map.of("first_name", "Rita"));
                runner.await(SOON, "the edit audited", () -> audited(runner, email, "edit") == 1);
                assertEquals(List.of("POST /wp-json/wp/v2/users/" + onB), paths(userRequests(p2, mark)));
                JsonNode onSite2 = b.byEmail(email).orElseThrow();
                assertEquals("Rita", onSite2.path("first_name").asText(), "the edit arrived");
                assertEquals("Bravo", onSite2.path("last_name").asText(), "site2's own change is left alone");

                mark = p2.requests().size();
                a.update(id, Map.of("last_name", "Alves"));
                runner.await(SOON, "a conflict audited", () -> runner.logFor(email).stream()
                        .anyMatch(r -> "conflict".equals(r.status())));
                assertEquals("Bravo", b.byEmail(email).orElseThrow().path("last_name").asText(),
                        "site2's later change stands");
                SyncRunner.LogRow conflict = runner.logFor(email).stream().filter(r -> "conflict".equals(r.status()))
                        .findFirst().orElseThrow();
                assertEquals(409, conflict.httpStatus(), conflict.toString());
                assertTrue(conflict.message().contains("the later change on site2") && conflict.message()
                        .contains("last_name"), conflict.message());
                assertEquals(List.of("POST /wp-json/wp/v2/users/" + onB, "GET /wp-json/wp/v2/users/" + onB),
                        paths(userRequests(p2, mark)), "the refused write, then a read for the conflict row");
            }
        }
    }

    /**
     * Site3 has no companion, so a write cannot be refused: an edit of another field goes through with
     * one request and leaves site3's own change, which usermesh has not seen yet. That change is not
     * taken for usermesh's write: the next poll of site3 (by a runner restarted with a short interval)
     * finds it and sends it to site1.
     */
    @Test
    void aTargetsOwnChangeUnseenAtTheWriteIsFoundByItsNextPollNotTakenForTheWrite() throws Exception {
        MariaDb db = MariaDb.create();
        String links = """
                links:
                  - between: [site1, site3]
                    direction: bidirectional
                """;
        String login = Sync.uniqueLogin("own");
        String email = Sync.email(login);
        WpAdmin a = WpAdmin.of(1);
        WpAdmin c = WpAdmin.of(3);
        try (CountingProxy p3 = new CountingProxy(TestBed.site(3).url())) {
            List<TestBed.WpSite> sites = List.of(TestBed.site(1), Sync.via(TestBed.site(3), p3));
            String slowSite3 = Configs.sitesYaml("  pollInterval: 2s\n", sites, Map.of(3, "    pollInterval: 10m\n"),
                    links);
            try (SyncRunner runner = SyncRunner.start(workDir, slowSite3, "", List.of("site1", "site3"), db, false)) {
                long id = a.create(login, email, Map.of("first_name", "Rui")).path("id").asLong();
                runner.await(SOON, "the create audited", () -> audited(runner, email, "create") == 1);
                long onC = c.byEmail(email).orElseThrow().path("id").asLong();
                c.update(onC, Map.of("description", "Written on site3")); // no poll of site3 follows

                int mark = p3.requests().size();
                a.update(id, Map.of("first_name", "Rita"));
                runner.await(SOON, "the edit audited", () -> audited(runner, email, "edit") == 1);
                assertEquals(List.of("POST /wp-json/wp/v2/users/" + onC), paths(userRequests(p3, mark)));
                JsonNode onSite3 = c.byEmail(email).orElseThrow();
                assertEquals("Rita", onSite3.path("first_name").asText());
                assertEquals("Written on site3", onSite3.path("description").asText());
            }
            String quickSite3 = Configs.sitesYaml("  pollInterval: 2s\n", sites, links);
            try (SyncRunner runner = SyncRunner.start(workDir, quickSite3, "", List.of("site1", "site3"), db, false)) {
                runner.await(SOON, "site3's own change on site1", () -> "Written on site3".equals(
                        a.byEmail(email).orElseThrow().path("description").asText()));
                assertEquals("Rita", a.byEmail(email).orElseThrow().path("first_name").asText());
            }
        } finally {
            db.close();
        }
    }

    /**
     * Connections are reused: in front of site2 a keep-alive front (what a web server before php-fpm
     * does; the test bed's PHP server closes every connection itself) counts the TCP connections
     * usermesh opens. 100 users created at once on site1 reach site2 over no more connections than
     * the deliveries that run at once (usermesh.delivery.maxConcurrency, 8) and the poll use.
     */
    @Test
    void aHundredDeliveriesReuseAHandfulOfConnections() throws Exception {
        try (KeepAliveFront front = new KeepAliveFront(TestBed.site(2).url())) {
            // the users are inserted straight into site1's tables, which its companion's changes feed
            // cannot know of: every poll of site1 is a full listing here
            String yaml = Configs.sitesYaml("  pollInterval: 2s\n  fullScanInterval: 1s\n", List.of(TestBed.site(1),
                    Sync.via(TestBed.site(2), front.url())), Map.of(2, "    pollInterval: 10m\n"), """
                    links:
                      - between: [site1, site2]
                        direction: push
                    """);
            String prefix = Sync.uniqueLogin("reuse").replace("-", "");
            try (SyncRunner runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2"))) {
                int connections = front.connections();
                int requests = front.requests();
                WpDatabase.of(1).insertUsers(prefix, 100);
                runner.await(Duration.ofMinutes(3), "100 creates on site2", () -> runner.count("SELECT COUNT(*)"
                        + " FROM sync_log WHERE target_site = 'site2' AND status = 'success' AND user_key LIKE ?",
                        prefix + "%") == 100);
                int opened = front.connections() - connections;
                int sent = front.requests() - requests;
                System.out.printf("RequestsPerChangeIT: %d TCP connections for %d requests to site2%n", opened, sent);
                assertTrue(sent >= 100, "requests to site2: " + sent);
                assertTrue(opened <= 10, opened + " TCP connections for " + sent + " requests to site2");
            } finally {
                WpDatabase.of(1).deleteUsers(prefix); // the other tests page through these sites' users
                WpDatabase.of(2).deleteUsers(prefix);
            }
        }
    }

    private static List<String> paths(List<String> requests) {
        return requests.stream().map(r -> r.contains("?") ? r.substring(0, r.indexOf('?')) : r).toList();
    }

    private static long audited(SyncRunner runner, String email, String action) {
        return runner.logFor(email).stream().filter(r -> action.equals(r.action()) && "success".equals(r.status()))
                .count();
    }

    /**
     * The requests since {@code mark} about users, without the polls' reads (listing pages, and the users
     * the companion's changes feed names, usermesh's own writes among them: {@code include=}) and the
     * probes of /users/me.
     */
    private static List<String> userRequests(CountingProxy proxy, int mark) {
        List<String> all = proxy.requests();
        return all.subList(mark, all.size()).stream()
                .filter(r -> r.contains("/wp-json/wp/v2/users") && !r.matches(".*[?&]page=.*")
                        && !r.contains("include=") && !r.contains("/users/me"))
                .toList();
    }
}
