package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one change costs the target, counted on the wire (a proxy in front of test-bed site 2): the
 * user is looked up in site2's snapshot, never with WordPress's search (a scan over all of its
 * users), so the cost does not grow with the target. Polls and health probes are not counted.
 */
class RequestsPerChangeIT {

    static final Duration SOON = Duration.ofSeconds(30);

    @TempDir
    Path workDir;

    @Test
    void aCreateAndADeleteAreOneRequestAnEditTwoAndNothingSearches() throws Exception {
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
                runner.await(SOON, "the create audited", () -> audited(runner, email, "create"));
                List<String> create = userRequests(p2, mark);
                assertEquals(1, create.size(), "a create: " + create);
                assertTrue(create.get(0).startsWith("POST /wp-json/wp/v2/users?"), create.toString());
                long onB = b.byEmail(email).orElseThrow().path("id").asLong();

                mark = p2.requests().size();
                a.update(id, Map.of("first_name", "Rita"));
                runner.await(SOON, "the edit audited", () -> audited(runner, email, "edit"));
                List<String> edit = userRequests(p2, mark);
                assertEquals(List.of("GET /wp-json/wp/v2/users/" + onB, "POST /wp-json/wp/v2/users/" + onB),
                        edit.stream().map(r -> r.substring(0, r.indexOf('?'))).toList(),
                        "an edit reads the user (for the conflict check), then writes: " + edit);

                mark = p2.requests().size();
                a.delete(id);
                runner.await(SOON, "the delete audited", () -> audited(runner, email, "delete"));
                List<String> delete = userRequests(p2, mark);
                assertEquals(1, delete.size(), "a delete of a linked user: " + delete);
                assertTrue(delete.get(0).startsWith("DELETE /wp-json/wp/v2/users/" + onB + "?"), delete.toString());
                assertTrue(p2.requests().stream().noneMatch(r -> r.contains("search=")), "a search reached site2");
            }
        }
    }

    private static boolean audited(SyncRunner runner, String email, String action) {
        return runner.logFor(email).stream().anyMatch(r -> "site2".equals(r.target()) && action.equals(r.action())
                && "success".equals(r.status()));
    }

    /** The requests since {@code mark} about users, without the polls' listings and the probes of /users/me. */
    private static List<String> userRequests(CountingProxy proxy, int mark) {
        List<String> all = proxy.requests();
        return all.subList(mark, all.size()).stream()
                .filter(r -> r.contains("/wp-json/wp/v2/users") && !r.matches(".*[?&]page=.*")
                        && !r.contains("/users/me"))
                .toList();
    }
}
