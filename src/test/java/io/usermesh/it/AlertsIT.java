package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts on a real runner: site1 (real) pushes to "gone", a site whose address answers nothing. gone is
 * DOWN, the change for it waits and then dies: three alerts, each posted once to a Slack-compatible
 * webhook (a local receiver), listed by GET /api/alerts, and resolved once when gone is paused.
 */
class AlertsIT {

    @TempDir
    Path workDir;

    @Test
    void aSiteDownAChangeWaitingAndADeadLetterArePostedOnceEachAndResolvedOnce() throws Exception {
        List<String> posted = new CopyOnWriteArrayList<>();
        String secretPath = "/hook/T" + UUID.randomUUID().toString().replace("-", "");
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(secretPath, exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String token = "tok-" + UUID.randomUUID();
        String yaml = Configs.sitesYaml("  pollInterval: 2s\n", List.of(TestBed.site(1)), """
                  - id: gone
                    url: http://127.0.0.1:%d
                    username: admin
                    applicationPassword: "xxxx xxxx xxxx xxxx xxxx xxxx"
                links:
                  - between: [site1, gone]
                    direction: push
                """.formatted(SyncRunner.freePort()));
        String properties = "usermesh.admin.token=" + token + "\n"
                + "usermesh.alerts.webhookUrl=http://127.0.0.1:" + receiver.getAddress().getPort() + secretPath + "\n"
                + "usermesh.alerts.period=1s\nusermesh.alerts.siteDownAfter=2s\nusermesh.alerts.lagThreshold=3s\n"
                + "usermesh.siteHealth.period=1s\n"
                // the change for gone waits past lagThreshold, then dies (1 + 2 + 4 + 8 s of backoff)
                + "usermesh.delivery.maxAttempts=5\nusermesh.delivery.initialBackoff=1s\n"
                + "usermesh.delivery.circuitFailures=100\n";
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, properties, List.of("site1"), MariaDb.create(),
                true)) {
            String login = Sync.uniqueLogin("alert");
            WpAdmin.of(1).create(login, Sync.email(login), Map.of());
            runner.await(Duration.ofSeconds(60), "three alerts posted", () -> raised(posted).size() >= 3);
            Thread.sleep(3000); // three more checks: nothing is posted again
            List<String> raised = raised(posted);
            assertEquals(3, raised.size(), "each alert once: " + raised);
            assertTrue(raised.stream().anyMatch(t -> t.contains("site gone (http://127.0.0.1:")
                    && t.contains("has been DOWN since")), raised.toString());
            assertTrue(raised.stream().anyMatch(t -> t.contains("change(s) for site gone are waiting")), raised.toString());
            assertTrue(raised.stream().anyMatch(t -> t.contains("1 change(s) for site gone failed for good")),
                    raised.toString());

            String api = "http://127.0.0.1:" + runner.httpPort() + "/api";
            JsonNode listed = AdminApiIT.JSON.readTree(AdminApiIT.call("GET", api + "/alerts", token, null).body());
            assertEquals(List.of("dead-letters:gone", "site-down:gone"), keys(listed),
                    "active; the change no longer waits once it is a dead letter: " + listed);
            assertEquals(List.of("usermesh resolved: 1 change(s) for site gone are waiting"), resolved(posted).stream()
                    .map(t -> t.substring(0, t.indexOf(", the oldest"))).toList());

            assertEquals(200, AdminApiIT.call("POST", api + "/sites/gone/pause", token, null).statusCode());
            runner.await(Duration.ofSeconds(30), "the other two resolved", () -> resolved(posted).size() >= 3);
            Thread.sleep(3000);
            assertEquals(3, resolved(posted).size(), "each resolved once: " + posted);
            assertFalse(runner.output().contains(secretPath), "the webhook URL is a secret: never logged");
            assertTrue(runner.output().contains("usermesh alert: site gone"), "the log has every alert too");
        } finally {
            receiver.stop(0);
        }
    }

    private static List<String> texts(List<String> posted, String prefix) {
        return posted.stream().map(body -> {
            try {
                return AdminApiIT.JSON.readTree(body).path("text").asText();
            } catch (Exception e) {
                throw new AssertionError("not Slack-compatible JSON: " + body, e);
            }
        }).filter(t -> t.startsWith(prefix)).toList();
    }

    private static List<String> raised(List<String> posted) {
        return texts(posted, "usermesh alert: ");
    }

    private static List<String> resolved(List<String> posted) {
        return texts(posted, "usermesh resolved: ");
    }

    private static List<String> keys(JsonNode alerts) {
        List<String> keys = new java.util.ArrayList<>();
        alerts.forEach(a -> {
            if (a.path("resolvedAt").isNull()) {
                keys.add(a.path("key").asText());
            }
        });
        return keys.stream().sorted().toList();
    }
}
