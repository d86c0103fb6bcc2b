package io.usermesh.it;

import static io.usermesh.it.AdminApiIT.JSON;
import static io.usermesh.it.AdminApiIT.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /api/sites/{id}/pause|resume|sync on a running runner over real sites: a target paused
 * through the API keeps its changes queued and gets them once resumed, without a restart; a
 * paused source is not polled, and its changes are found once it is resumed; sync repairs one
 * user's drift on the linked sites now.
 */
class PauseResumeSyncIT {

    @TempDir
    Path workDir;

    @Test
    void pausedThroughTheApiWaitsAndResumesWithoutARestart() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        String tag = "pause" + UUID.randomUUID().toString().substring(0, 6);
        String yaml = Configs.sitesYaml("  pollInterval: 2s\n", List.of(TestBed.site(1), TestBed.site(2),
                TestBed.site(3)), Map.of(3, "    status: paused\n"), ResilienceIT.PUSH);
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, "usermesh.admin.token=" + token + "\n",
                List.of("site1", "site2"), MariaDb.create(), true)) {
            String api = "http://127.0.0.1:" + runner.httpPort() + "/api";

            // the target: paused, its change waits in the outbox; resumed, it arrives
            JsonNode paused = ok(call("POST", api + "/sites/site2/pause", token, null));
            assertEquals("paused", paused.path("status").asText());
            assertTrue(paused.path("changed").asBoolean());
            assertFalse(ok(call("POST", api + "/sites/site2/pause", token, null)).path("changed").asBoolean(),
                    "pausing twice changes nothing");
            JsonNode site2 = siteView(ok(call("GET", api + "/sites", token, null)), "site2");
            assertEquals("paused", site2.path("status").asText());
            assertEquals("api", site2.path("pausedBy").asText());

            String first = tag + "-t";
            a.create(first, first + "@example.test", Map.of("first_name", "Tara"));
            runner.await(Duration.ofSeconds(20), "the change queued for paused site2", () -> runner.count(
                    "SELECT COUNT(*) FROM outbox WHERE target_site = 'site2' AND status = 'pending' AND user_key = ?",
                    first + "@example.test") == 1);
            Thread.sleep(5_000); // more polls and dispatch rounds: still nothing may be written
            assertTrue(b.byEmail(first + "@example.test").isEmpty(), "nothing is written to a paused site");
            assertEquals(1, siteView(ok(call("GET", api + "/sites", token, null)), "site2").path("pending").asInt());

            JsonNode resumed = ok(call("POST", api + "/sites/site2/resume", token, null));
            assertEquals("active", resumed.path("status").asText());
            runner.await(Duration.ofSeconds(20), "the queued change delivered after resume",
                    () -> b.byEmail(first + "@example.test").isPresent());
            assertEquals("Tara", b.byEmail(first + "@example.test").orElseThrow().path("first_name").asText());

            // the source: paused, it is not polled; resumed, the change made meanwhile is found
            ok(call("POST", api + "/sites/site1/pause", token, null));
            Thread.sleep(3_000); // a poll that started before the pause may still be running
            String second = tag + "-s";
            a.create(second, second + "@example.test", Map.of("first_name", "Sam"));
            Thread.sleep(6_000); // three poll intervals
            assertEquals(0, runner.count("SELECT COUNT(*) FROM user_snapshot WHERE site_id = 'site1' AND email = ?",
                    second + "@example.test"), "a paused source is not polled");
            assertTrue(b.byEmail(second + "@example.test").isEmpty());
            ok(call("POST", api + "/sites/site1/resume", token, null));
            runner.await(Duration.ofSeconds(20), "the change made while paused arrives after resume",
                    () -> b.byEmail(second + "@example.test").isPresent());

            // sync: drift made behind usermesh's back on site2 is repaired now
            long onB = b.byEmail(first + "@example.test").orElseThrow().path("id").asLong();
            b.update(onB, Map.of("first_name", "Drifted"));
            // (of this user only: the shared test-bed sites hold other tests' users)
            HttpResponse<String> sync = call("POST", api + "/sites/site1/sync?user=" + first + "@example.test",
                    token, null);
            JsonNode plan = ok(sync);
            assertEquals(1, plan.path("queued").asInt(), sync.body());
            runner.await(Duration.ofSeconds(20), "sync repairs the drift", () -> "Tara".equals(
                    b.byEmail(first + "@example.test").orElseThrow().path("first_name").asText()));
            // the audit row follows the write to the site
            runner.await(Duration.ofSeconds(10), "the sync audited with origin reconcile", () -> runner
                    .logFor(first + "@example.test").stream().anyMatch(r -> "reconcile".equals(r.origin())
                            && "success".equals(r.status())));

            // refusals: a site paused in sites.yaml is resumed only there; unknown sites are 404
            HttpResponse<String> refused = call("POST", api + "/sites/site3/resume", token, null);
            assertEquals(409, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("paused in sites.yaml"), refused.body());
            assertEquals(409, call("POST", api + "/sites/site3/sync", token, null).statusCode());
            assertEquals("sites.yaml", siteView(ok(call("GET", api + "/sites", token, null)), "site3")
                    .path("pausedBy").asText());
            assertEquals(404, call("POST", api + "/sites/nosuch/pause", token, null).statusCode());
            assertEquals(401, call("POST", api + "/sites/site1/pause", null, null).statusCode());
        }
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode siteView(JsonNode sites, String id) {
        for (JsonNode site : sites) {
            if (id.equals(site.path("id").asText())) {
                return site;
            }
        }
        throw new AssertionError("no site " + id + " in " + sites);
    }
}
