package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site with {@code autoSync: false} (manual mode) on real sites: site2 is not polled, a change found
 * on site1 by its poll does not go to site2 (audited skipped, with the reason), and only a sync asked
 * for (the dashboard's "sync now", {@code POST /api/sites/{id}/sync}) moves the user, both ways.
 */
class ManualModeIT {

    @TempDir
    Path workDir;

    @Test
    void aManualSiteIsNeitherPolledNorFedByPollsAndMovesOnlyWhenASyncIsAskedFor() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        String yaml = Configs.sitesYaml("  pollInterval: 2s\n", List.of(TestBed.site(1), TestBed.site(2)),
                Map.of(2, "    autoSync: false\n"), """
                links:
                  - between: [site1, site2]
                    direction: bidirectional
                """);
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        String login = Sync.uniqueLogin("manual");
        String email = Sync.email(login);
        String onB = Sync.uniqueLogin("manualb");
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, "usermesh.admin.token=" + token + "\n",
                List.of("site1"), MariaDb.create(), true)) {
            a.create(login, email, Map.of("first_name", "Mia"));
            runner.await(Duration.ofSeconds(30), "a skipped row for site2", () -> runner.logFor(email).stream()
                    .anyMatch(r -> "site2".equals(r.target()) && "skipped".equals(r.status())));
            SyncRunner.LogRow skipped = runner.logFor(email).stream().filter(r -> "site2".equals(r.target()))
                    .findFirst().orElseThrow();
            assertTrue(skipped.message().contains("target site2 syncs manually (autoSync: false)"),
                    skipped.message());
            assertTrue(b.byEmail(email).isEmpty(), "a poll of site1 fed the manual site2");

            // made on the manual site itself: no poll finds it
            b.create(onB, Sync.email(onB), Map.of("first_name", "Noa"));

            String api = "http://127.0.0.1:" + runner.httpPort() + "/api";
            com.fasterxml.jackson.databind.JsonNode sites = AdminApiIT.JSON.readTree(AdminApiIT.call("GET",
                    api + "/sites", token, null).body());
            assertEquals("true false", sites.get(0).path("autoSync").asText() + " " + sites.get(1).path("autoSync")
                    .asText(), "GET /api/sites shows manual mode: " + sites);
            HttpResponse<String> sync = AdminApiIT.call("POST", api + "/sites/site1/sync?user=" + email, token, null);
            assertEquals(200, sync.statusCode(), sync.body());
            runner.await(Duration.ofSeconds(30), "the user on site2", () -> b.byEmail(email).isPresent());
            assertEquals("Mia", b.byEmail(email).orElseThrow().path("first_name").asText());

            assertTrue(a.byEmail(Sync.email(onB)).isEmpty(),
                    "site2's own user moved without a sync (site2 was polled)");
            HttpResponse<String> back = AdminApiIT.call("POST", api + "/sites/site2/sync?user=" + Sync.email(onB),
                    token, null);
            assertEquals(200, back.statusCode(), back.body());
            runner.await(Duration.ofSeconds(30), "site2's user on site1", () -> a.byEmail(Sync.email(onB))
                    .isPresent());
            assertTrue(!runner.output().contains("site site2: baseline"), "site2 was polled:\n" + runner.output());
        }
    }
}
