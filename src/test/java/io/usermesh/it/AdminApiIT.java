package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API on a running runner: bearer token, sites, logs, flags, dead letters. */
class AdminApiIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    static HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersOnlyWithTheTokenAndNeverShowsIt() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        String yaml = Configs.sitesYaml("  pollInterval: 3s\n", List.of(TestBed.site(1), TestBed.site(2)), """
                links:
                  - between: [site1, site2]
                    direction: push
                """);
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, "usermesh.admin.token=" + token + "\n",
                List.of("site1", "site2"), MariaDb.create(), true)) {
            String api = "http://127.0.0.1:" + runner.httpPort() + "/api";
            assertEquals(401, call("GET", api + "/sites", null, null).statusCode());
            HttpResponse<String> wrong = call("GET", api + "/dead-letters", "nope", null);
            assertEquals(401, wrong.statusCode());
            assertTrue(wrong.body().contains("missing or wrong bearer token"), wrong.body());

            JsonNode sites = JSON.readTree(call("GET", api + "/sites", token, null).body());
            assertEquals("site1", sites.get(0).path("id").asText());
            assertEquals(2, sites.size());

            WpAdmin a = WpAdmin.of(1);
            String login = "api" + UUID.randomUUID().toString().substring(0, 6);
            a.create(login, login + "@example.test", Map.of());
            runner.await(Duration.ofSeconds(20), "success row", () -> runner.log().stream()
                    .anyMatch(r -> "success".equals(r.status()) && r.userKey().startsWith(login)));
            JsonNode logs = JSON.readTree(call("GET", api + "/logs?site=site2&status=success&user=" + login
                    + "@example.test", token, null).body());
            assertEquals(1, logs.size(), logs.toString());
            assertEquals("create", logs.get(0).path("action").asText());
            assertEquals(400, call("GET", api + "/logs?status=bogus", token, null).statusCode());

            String flagsUrl = api + "/users/site1/" + login + "@example.test/flags";
            HttpResponse<String> put = call("PUT", flagsUrl, token, "{\"propagationOff\": true}");
            assertEquals(200, put.statusCode(), put.body());
            JsonNode flags = JSON.readTree(call("GET", flagsUrl, token, null).body());
            assertTrue(flags.path("propagationOff").asBoolean());
            assertFalse(flags.path("protected").asBoolean());

            // the user on every site: both accounts, linked as one person, the flag, the audit row
            JsonNode found = JSON.readTree(call("GET", api + "/users?q=" + login.toUpperCase() + "@Example.test",
                    token, null).body());
            JsonNode on1 = found.path("sites").get(0);
            JsonNode on2 = found.path("sites").get(1);
            assertEquals(List.of("site1", "site2"), List.of(on1.path("site").asText(), on2.path("site").asText()));
            assertTrue(on1.path("exists").asBoolean() && on2.path("exists").asBoolean(), found.toString());
            assertEquals(a.byEmail(login + "@example.test").orElseThrow().path("id").asLong(), on1.path("id").asLong());
            assertEquals(login, on2.path("login").asText());
            assertFalse(on1.path("person").isNull(), found.toString());
            assertEquals(on1.path("person").asText(), on2.path("person").asText(), "linked as one person");
            assertTrue(on1.path("propagationOff").asBoolean() && !on2.path("propagationOff").asBoolean(),
                    found.toString());
            assertTrue(found.path("rows").findValuesAsText("action").contains("create"), found.toString());
            JsonNode nobody = JSON.readTree(call("GET", api + "/users?q=nobody-" + login, token, null).body());
            assertFalse(nobody.path("sites").get(0).path("exists").asBoolean(true), nobody.toString());
            assertEquals(400, call("GET", api + "/users", token, null).statusCode());

            assertEquals("[]", call("GET", api + "/dead-letters", token, null).body());
            HttpResponse<String> plan = call("POST", api + "/reconcile?dryRun=true", token, null);
            assertEquals(200, plan.statusCode(), plan.body());
            assertEquals(0, JSON.readTree(plan.body()).path("queued").asInt(), "a dry run queues nothing");
            assertEquals(404, call("POST", api + "/dead-letters/999/replay", token, null).statusCode());
            assertEquals(404, call("POST", api + "/sites/nosuch/check", token, null).statusCode());

            assertFalse(runner.output().contains(token), "the token reached the log");
        }
    }

    @Test
    void refusesEverythingWithoutAConfiguredToken() throws Exception {
        try (SyncRunner runner = SyncRunner.start(workDir, Configs.sitesYaml(List.of(TestBed.site(1))), "",
                List.of("site1"), MariaDb.create(), true)) {
            HttpResponse<String> response = call("GET", "http://127.0.0.1:" + runner.httpPort() + "/api/sites",
                    "anything", null);
            assertEquals(403, response.statusCode());
            assertTrue(response.body().contains("usermesh.admin.token"), response.body());
        }
    }
}
