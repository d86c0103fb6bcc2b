package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adaptive per-target concurrency on a real site behind a proxy: a target answering 503 has its
 * limit halved (shown by GET /api/sites), and once it answers again the change is delivered and the
 * limit rises again.
 */
class TargetConcurrencyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SOON = Duration.ofSeconds(30);

    @TempDir
    Path workDir;

    @Test
    void anOverloadedTargetGetsFewerWritesAtOnceAndMoreOnceItKeepsUp() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        try (CountingProxy p2 = new CountingProxy(TestBed.site(2).url())) {
            String yaml = Configs.sitesYaml("  pollInterval: 2s\n", List.of(TestBed.site(1),
                    Sync.via(TestBed.site(2), p2)), """
                    links:
                      - between: [site1, site2]
                        direction: push
                    """);
            String properties = "usermesh.admin.token=" + token + "\nusermesh.delivery.concurrency=2\n"
                    + "usermesh.delivery.maxConcurrency=4\nusermesh.delivery.initialBackoff=1s\n";
            try (SyncRunner runner = SyncRunner.start(workDir, yaml, properties, List.of("site1", "site2"),
                    MariaDb.create(), true)) {
                String api = "http://127.0.0.1:" + runner.httpPort() + "/api/sites";
                assertEquals(Map.of("current", 2, "max", 4), limitOf(api, token));

                p2.fail("POST /wp-json/wp/v2/users", 503, "{\"code\":\"overloaded\",\"message\":\"try later\"}");
                String login = Sync.uniqueLogin("aimd");
                String email = Sync.email(login);
                WpAdmin.of(1).create(login, email, Map.of("first_name", "Ada"));
                runner.await(SOON, "a 503 answered", () -> !p2.faulted().isEmpty());
                runner.await(SOON, "the limit halved", () -> limitOf(api, token).get("current") == 1);

                p2.heal();
                runner.await(Duration.ofSeconds(60), "the create delivered after all", () -> runner.logFor(email)
                        .stream().anyMatch(r -> "site2".equals(r.target()) && "success".equals(r.status())));
                assertTrue(WpAdmin.of(2).byEmail(email).isPresent(), "on site2");
                runner.await(SOON, "the limit rising again", () -> limitOf(api, token).get("current") >= 2);
            }
        }
    }

    private static Map<String, Integer> limitOf(String api, String token) {
        try {
            JsonNode sites = JSON.readTree(AdminApiIT.call("GET", api, token, null).body());
            for (JsonNode site : sites) {
                if ("site2".equals(site.path("id").asText())) {
                    JsonNode c = site.path("concurrency");
                    return Map.of("current", c.path("current").asInt(), "max", c.path("max").asInt());
                }
            }
            throw new AssertionError("no site2 in " + sites);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
