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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts on a real runner, posted to a Slack-compatible webhook (a local receiver). site1 (real) pushes to
 * site3 (real) and to "gone", an address that answers nothing. site3 is stopped past the threshold: one
 * post, and one "recovered" post when it runs again. gone's change waits past the lag threshold, then
 * dies: a lag alert (recovered once the change is a dead letter) and a dead-letter alert. Each once.
 */
class AlertsIT {

    private static final Pattern NOTICE = Pattern.compile("usermesh (alert|recovered) \\(([a-z-]+:[a-z0-9-]+)\\): .*",
            Pattern.DOTALL);

    @TempDir
    Path workDir;

    @Test
    void aStoppedSiteAWaitingChangeAndADeadLetterArePostedOnceAndRecoveredOnce() throws Exception {
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
        String yaml = Configs.sitesYaml("  pollInterval: 2s\n", List.of(TestBed.site(1), TestBed.site(3)), """
                  - id: gone
                    url: http://127.0.0.1:%d
                    username: admin
                    applicationPassword: "xxxx xxxx xxxx xxxx xxxx xxxx"
                links:
                  - between: [site1, site3]
                    direction: push
                  - between: [site1, gone]
                    direction: push
                """.formatted(SyncRunner.freePort()));
        String properties = "usermesh.admin.token=" + token + "\n"
                + "usermesh.alerts.webhookUrl=http://127.0.0.1:" + receiver.getAddress().getPort() + secretPath + "\n"
                + "usermesh.alerts.period=1s\nusermesh.alerts.siteDownAfter=2s\nusermesh.alerts.lagThreshold=3s\n"
                + "usermesh.siteHealth.period=1s\n"
                // gone's change waits past lagThreshold, then dies (1 + 2 + 4 + 8 s of backoff)
                + "usermesh.delivery.maxAttempts=5\nusermesh.delivery.initialBackoff=1s\n"
                + "usermesh.delivery.circuitFailures=100\n";
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, properties, List.of("site1"), MariaDb.create(),
                true)) {
            TestBed.server("stop-site", 3);
            try {
                runner.await(Duration.ofSeconds(30), "site3's alert", () -> count(posted, "alert", "site-down:site3")
                        > 0);
            } finally {
                TestBed.server("start-site", 3);
            }
            String login = Sync.uniqueLogin("alert");
            WpAdmin.of(1).create(login, Sync.email(login), Map.of());
            runner.await(Duration.ofSeconds(60), "site3 recovered, gone's dead letter",
                    () -> count(posted, "recovered", "site-down:site3") > 0
                            && count(posted, "alert", "dead-letters:gone") > 0
                            && count(posted, "recovered", "lag:gone") > 0);
            runner.await(Duration.ofSeconds(30), "the user on site3 once it runs again",
                    () -> WpAdmin.of(3).byEmail(Sync.email(login)).isPresent());
            Thread.sleep(3000); // three more checks: nothing is posted again
            for (String key : List.of("site-down:site3", "site-down:gone", "lag:gone", "dead-letters:gone")) {
                assertEquals(1, count(posted, "alert", key), key + " posted once: " + posted);
            }
            assertEquals(1, count(posted, "recovered", "site-down:site3"), "site3 recovered once: " + posted);
            assertEquals(1, count(posted, "recovered", "lag:gone"), "the change no longer waits once it is dead");
            assertEquals(0, count(posted, "alert", "lag:site3"), "site3 ran again before its change was late");
            assertEquals(6, posted.size(), "nothing else: " + posted);
            assertTrue(posted.stream().anyMatch(p -> p.contains("site site3 (" + TestBed.site(3).url()
                    + ") has been DOWN since")), posted.toString());

            String api = "http://127.0.0.1:" + runner.httpPort() + "/api";
            JsonNode listed = AdminApiIT.JSON.readTree(AdminApiIT.call("GET", api + "/alerts", token, null).body());
            assertEquals(List.of("dead-letters:gone", "site-down:gone"), activeKeys(listed), listed.toString());
            assertFalse(runner.output().contains(secretPath), "the webhook URL is a secret: never logged");
            assertTrue(runner.output().contains("usermesh alert (site-down:site3)"), "the log has every alert too");
        } finally {
            receiver.stop(0);
        }
    }

    /** The posts of this kind (alert, recovered) for this alert key; every post must be Slack's {"text": ...}. */
    private static long count(List<String> posted, String kind, String key) {
        return posted.stream().map(body -> {
            try {
                Matcher m = NOTICE.matcher(AdminApiIT.JSON.readTree(body).path("text").asText());
                if (!m.matches()) {
                    throw new AssertionError("not a usermesh notice: " + body);
                }
                return m.group(1) + " " + m.group(2);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }).filter((kind + " " + key)::equals).count();
    }

    private static List<String> activeKeys(JsonNode alerts) {
        List<String> keys = new ArrayList<>();
        alerts.forEach(a -> {
            if (a.path("resolvedAt").isNull()) {
                keys.add(a.path("key").asText());
            }
        });
        return keys.stream().sorted().toList();
    }
}
