package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** push site1 -> site2 on real sites: create, edit, role change and delete arrive; site1 is not written. */
class PushSyncIT {

    static final Duration TWO_POLLS = Duration.ofSeconds(2 * 3 + 10);

    @TempDir
    Path workDir;

    @Test
    void createEditRolesAndDeleteFlowFromAToB() throws Exception {
        try (CountingProxy a = new CountingProxy(TestBed.site(1).url())) {
            List<TestBed.WpSite> sites = List.of(Sync.via(TestBed.site(1), a), TestBed.site(2));
            String yaml = Configs.sitesYaml("  pollInterval: 3s\n", sites, """
                    links:
                      - between: [site1, site2]
                        direction: push
                        outgoing: [create, edit, delete, password, roles, metadata]
                    """);
            WpAdmin siteA = WpAdmin.of(1);
            WpAdmin siteB = WpAdmin.of(2);
            String login = "push-" + UUID.randomUUID().toString().substring(0, 8);
            String email = login + "@example.test";
            try (SyncRunner runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2"))) {
                long id = siteA.create(login, email, Map.of("first_name", "Ann", "roles", List.of("author")))
                        .path("id").asLong();
                runner.await(TWO_POLLS, "user created on site2", () -> siteB.written(email).isPresent());
                JsonNode onB = siteB.written(email).orElseThrow();
                assertEquals("Ann", onB.path("first_name").asText());
                assertEquals("author", onB.path("roles").get(0).asText());

                siteA.update(id, Map.of("name", "Ann Lee", "last_name", "Lee", "url", "https://ann.example",
                        "description", "bio", "email", "new-" + email));
                String newEmail = "new-" + email;
                runner.await(TWO_POLLS, "edit on site2", () -> siteB.byEmail(newEmail)
                        .map(u -> u.path("last_name").asText().equals("Lee")
                                && u.path("url").asText().equals("https://ann.example")
                                && u.path("description").asText().equals("bio")
                                && u.path("name").asText().equals("Ann Lee"))
                        .orElse(false));

                siteA.update(id, Map.of("roles", List.of("editor")));
                runner.await(TWO_POLLS, "role change on site2", () -> siteB.byEmail(newEmail)
                        .map(u -> u.path("roles").toString().equals("[\"editor\"]")).orElse(false));

                siteA.delete(id);
                runner.await(TWO_POLLS, "delete on site2", () -> siteB.byEmail(newEmail).isEmpty());

                assertEquals(0, a.writes(), "usermesh never writes to the push source: " + a.requests());
                // the audit row follows the write to the site
                runner.await(Duration.ofSeconds(10), "the delete audited", () -> runner.log().stream()
                        .anyMatch(r -> "delete".equals(r.action()) && "success".equals(r.status())));
                List<SyncRunner.LogRow> rows = runner.log().stream()
                        .filter(r -> "success".equals(r.status()) && "site2".equals(r.target())).toList();
                assertEquals(List.of("create", "edit", "edit", "delete"),
                        rows.stream().map(SyncRunner.LogRow::action).toList(), rows.toString());
                assertTrue(rows.stream().allMatch(r -> "poll".equals(r.origin())));
            }
        }
    }
}
