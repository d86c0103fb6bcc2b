package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /hooks/site1 as the companion plugin signs it ("timestamp.body", X-Usermesh-*), on real sites
 * with polling every hour: a signed push brings site1's change to site2 at once; a forged, stale or
 * replayed push gets a 4xx and an audit row, and queues nothing. Then the real plugin
 * (wordpress/usermesh-companion, a must-use plugin on test-bed site1) sends those pushes itself.
 */
class CompanionPushIT {

    static final Duration SOON = Duration.ofSeconds(20);

    @TempDir
    Path workDir;

    @Test
    void aSignedPushSyncsAtOnceAndForgedStaleOrReplayedOnesAreRefused() throws Exception {
        String secret = "whsec-" + UUID.randomUUID();
        String site1Url = TestBed.site(1).url();
        String yaml = Configs.sitesYaml("  pollInterval: 1h\n", List.of(TestBed.site(1), TestBed.site(2)),
                Map.of(1, """
                    webhook:
                      secret: "%s"
                      allowIps: [127.0.0.1/32]
                      allowSources: [%s]
                """.formatted(secret, site1Url)), ResilienceIT.PUSH);
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        String login = "comp" + UUID.randomUUID().toString().substring(0, 6);
        String email = login + "@example.test";
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2"))) {
            String hook = "http://127.0.0.1:" + runner.httpPort() + "/hooks/site1";
            long id = a.create(login, email, Map.of("first_name", "Cora")).path("id").asLong();
            String event = UUID.randomUUID().toString();
            String body = "{\"event\":\"" + event + "\",\"topic\":\"user.created\",\"id\":" + id
                    + ",\"source\":\"" + site1Url + "\"}";
            String fresh = body.replace(event, UUID.randomUUID().toString()); // an event id never seen
            long now = Instant.now().getEpochSecond();

            HttpResponse<String> pushed = Pushes.companion(hook, secret, now, body);
            assertEquals(202, pushed.statusCode(), pushed.body());
            runner.await(SOON, "the pushed creation on site2", () -> b.byEmail(email).isPresent());
            assertEquals("Cora", b.byEmail(email).orElseThrow().path("first_name").asText());

            long queued = runner.count("SELECT COUNT(*) FROM push_event");
            HttpResponse<String> replayed = Pushes.companion(hook, secret, now + 1, body);
            assertEquals(409, replayed.statusCode(), replayed.body());
            HttpResponse<String> stale = Pushes.companion(hook, secret, now - 600, fresh);
            assertEquals(401, stale.statusCode(), stale.body());
            assertTrue(stale.body().contains("X-Usermesh-Timestamp"), stale.body());
            HttpResponse<String> forged = Pushes.companion(hook, "wrong", now, fresh);
            assertEquals(401, forged.statusCode(), forged.body());

            assertEquals(queued, runner.count("SELECT COUNT(*) FROM push_event"), "a refused push queues nothing");
            runner.await(SOON, "the refusals audited", () -> runner.log().stream().filter(r -> "push".equals(r.action())
                    && "failed".equals(r.status())).map(r -> r.httpStatus()).toList().containsAll(List.of(409, 401)));
            assertEquals(1, runner.logFor(email).stream().filter(r -> "success".equals(r.status())).count(),
                    "one write to site2, for the one good push");
            assertFalse(runner.output().contains(secret), "the webhook secret reached the log");
        }
    }

    @Test
    void theCompanionPluginPushesItsSitesChangesAtOnceAndNotUsermeshsOwnWrites() throws Exception {
        String secret = "whsec-" + UUID.randomUUID();
        String prefix = "plug" + UUID.randomUUID().toString().substring(0, 6);
        String webhook = """
                    webhook:
                      secret: "%s"
                      allowIps: [127.0.0.0/8]
                      allowSources: [%s]
                """;
        String yaml = Configs.sitesYaml("  pollInterval: 1h\n", List.of(TestBed.site(1), TestBed.site(2)),
                Map.of(1, webhook.formatted(secret, TestBed.site(1).url()), 2,
                        webhook.formatted(secret, TestBed.site(2).url())), """
                links:
                  - between: [site1, site2]
                    direction: bidirectional
                    outgoing: [create, edit, roles, delete]
                    incoming: [create, edit, roles]
                """);
        // other tests change these sites meanwhile, and while it is set up here the plugin pushes those
        // too: this runner lets only this test's users through
        Path routes = CompanionSyncIT.onlyUsers(workDir, prefix);
        // the test's own edits use application passwords that are not usermesh's, as a person's would
        WpAdmin admin1 = WpAdmin.of(1);
        WpAdmin admin2 = WpAdmin.of(2);
        JsonNode own1 = admin1.send("POST", "/wp-json/wp/v2/users/me/application-passwords",
                Map.of("name", "it-" + prefix));
        JsonNode own2 = admin2.send("POST", "/wp-json/wp/v2/users/me/application-passwords",
                Map.of("name", "it-" + prefix));
        WpAdmin a = admin1.withAppPassword(own1.path("password").asText());
        WpAdmin b = admin2.withAppPassword(own2.path("password").asText());
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, "", List.of("site1", "site2"), MariaDb.create(),
                true, routes)) {
            String hooks = "http://127.0.0.1:" + runner.httpPort() + "/hooks/";
            admin1.send("POST", "/wp-json/usermesh/v1/settings", Map.of("url", hooks + "site1", "secret", secret));
            admin2.send("POST", "/wp-json/usermesh/v1/settings", Map.of("url", hooks + "site2", "secret", secret));
            String email = prefix + "@example.test";

            long id = a.create(prefix, email, Map.of("first_name", "Pia")).path("id").asLong();
            runner.await(SOON, "site1's new user on site2", () -> b.byEmail(email).isPresent());
            a.update(id, Map.of("first_name", "Pina"));
            runner.await(SOON, "site1's edit on site2", () -> "Pina".equals(
                    b.byEmail(email).orElseThrow().path("first_name").asText()));
            long onB = b.byEmail(email).orElseThrow().path("id").asLong();
            b.update(onB, Map.of("last_name", "Berg"));
            runner.await(SOON, "site2's edit on site1", () -> "Berg".equals(
                    a.send("GET", "/wp-json/wp/v2/users/" + id + "?context=edit", null).path("last_name").asText()));
            runner.await(SOON, "three deliveries audited", () -> runner.logFor(email).stream()
                    .filter(r -> "success".equals(r.status())).count() == 3);
            Thread.sleep(3000); // time for an echo, were there one

            String pushes = "SELECT COUNT(*) FROM push_event WHERE site_id = ? AND wp_user_id = ?";
            assertEquals(2, runner.count(pushes, "site1", id), "site1 pushed the create and the edit made there,"
                    + " not usermesh's write of site2's edit");
            assertEquals(1, runner.count(pushes, "site2", onB), "site2 pushed the edit made there, not usermesh's"
                    + " create and edit");
            assertTrue(runner.logFor(email).stream().allMatch(r -> "webhook".equals(r.origin())),
                    runner.logFor(email).toString());
            assertEquals(3, runner.logFor(email).stream().filter(r -> "success".equals(r.status())).count(),
                    "nothing echoed: " + runner.logFor(email));
            // check names the plugin's version and where it pushes
            Path config = Configs.write(Files.createDirectories(workDir.resolve("check")),
                    Configs.sitesYaml(List.of(TestBed.site(1))), "");
            JarProcess.Result check = JarProcess.run(workDir, Map.of(), Duration.ofSeconds(60), "check",
                    "--config-dir", config.toString());
            assertTrue(check.output().contains("0.3.0, push to " + hooks + "site1"), check.output());
            JsonNode settings = admin1.send("GET", "/wp-json/usermesh/v1/settings", null);
            assertTrue(settings.path("secretSet").asBoolean(), settings.toString());
            assertFalse(settings.toString().contains(secret), "the plugin never shows the secret");
            assertFalse(runner.output().contains(secret), "the webhook secret reached the log");

            a.delete(id); // read back as a user the site no longer has
            runner.await(SOON, "site1's deletion on site2", () -> b.byEmail(email).isEmpty());
            // the deletion reaches site2 a moment before its audit row commits
            runner.await(SOON, "the deletion audited as pushed", () -> runner.logFor(email).stream()
                    .anyMatch(r -> "delete".equals(r.action()) && "success".equals(r.status())
                            && "webhook".equals(r.origin())));
        } finally {
            admin1.send("POST", "/wp-json/usermesh/v1/settings", Map.of("url", "", "secret", ""));
            admin2.send("POST", "/wp-json/usermesh/v1/settings", Map.of("url", "", "secret", ""));
            admin1.send("DELETE", "/wp-json/wp/v2/users/me/application-passwords/" + own1.path("uuid").asText(),
                    null);
            admin2.send("DELETE", "/wp-json/wp/v2/users/me/application-passwords/" + own2.path("uuid").asText(),
                    null);
        }
    }
}
