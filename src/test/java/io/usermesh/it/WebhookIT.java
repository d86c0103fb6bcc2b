package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /hooks/site1 as WooCommerce's customer.* webhooks send it, on real sites with polling
 * every hour: only the pushes can bring site1's changes to site2 in time. Bad pushes get a 4xx
 * and an audit row, and queue nothing.
 */
class WebhookIT {

    static final Duration SOON = Duration.ofSeconds(20);

    @TempDir
    Path workDir;

    @Test
    void signedPushesSyncAtOnceAndBadOnesAreRefusedAndAudited() throws Exception {
        String secret = "whsec-" + UUID.randomUUID();
        String site1Url = TestBed.site(1).url();
        String yaml = Configs.sitesYaml("  pollInterval: 1h\n", List.of(TestBed.site(1), TestBed.site(2),
                TestBed.site(3)), Map.of(1, """
                    webhook:
                      secret: "%s"
                      allowIps: [127.0.0.1/32]
                      allowSources: [%s]
                """.formatted(secret, site1Url), 2, """
                    webhook:
                      secret: "%s"
                      allowIps: [192.0.2.0/24]
                """.formatted(secret)), ResilienceIT.PUSH);
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        String login = "hook" + UUID.randomUUID().toString().substring(0, 6);
        String email = login + "@example.test";
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2"))) {
            String hooks = "http://127.0.0.1:" + runner.httpPort() + "/hooks/";

            // created, updated, deleted on site1: each push brings it to site2 at once
            long id = a.create(login, email, Map.of("first_name", "Hana")).path("id").asLong();
            HttpResponse<String> created = Pushes.push(hooks + "site1", secret, "customer.created", site1Url + "/",
                    "{\"id\":" + id + ",\"email\":\"" + email + "\"}");
            assertEquals(202, created.statusCode(), created.body());
            runner.await(SOON, "the pushed creation on site2", () -> b.byEmail(email).isPresent());
            assertEquals("Hana", b.byEmail(email).orElseThrow().path("first_name").asText());
            // the audit row follows the write to the site
            runner.await(SOON, "the pushed creation audited", () -> runner.logFor(email).stream().anyMatch(r ->
                    "webhook".equals(r.origin()) && "create".equals(r.action()) && "success".equals(r.status())));

            a.update(id, Map.of("first_name", "Hanna"));
            String updatedBody = "{\"id\":" + id + ",\"first_name\":\"Hanna\"}";
            assertEquals(202, Pushes.push(hooks + "site1", secret, "customer.updated", site1Url + "/", updatedBody)
                    .statusCode());
            runner.await(SOON, "the pushed edit on site2", () -> "Hanna".equals(
                    b.byEmail(email).orElseThrow().path("first_name").asText()));

            // the same push again (WooCommerce may deliver twice): nothing new is queued or written
            runner.await(SOON, "the pushed edit audited", () -> successes(runner, email) == 2);
            long successes = successes(runner, email);
            String outboxRows = "SELECT COUNT(*) FROM outbox WHERE user_key = ?";
            long queuedForUser = runner.count(outboxRows, email);
            assertEquals(202, Pushes.push(hooks + "site1", secret, "customer.updated", site1Url + "/", updatedBody)
                    .statusCode());
            runner.await(SOON, "the repeated push handled", () -> runner.count(
                    "SELECT COUNT(*) FROM push_event WHERE status = 'pending'") == 0);
            assertEquals(queuedForUser, runner.count(outboxRows, email), "a repeated push queues nothing");
            assertEquals(successes, successes(runner, email), "a repeated push writes nothing");

            a.delete(id);
            assertEquals(202, Pushes.push(hooks + "site1", secret, "customer.deleted", site1Url + "/",
                    "{\"id\":" + id + "}").statusCode());
            runner.await(SOON, "the pushed deletion on site2", () -> b.byEmail(email).isEmpty());

            // refusals: 4xx, nothing queued, an audit row for the first of each site and status in a minute
            // (the unsigned push is the second 401 of site1: it goes into that minute's summary row)
            long queued = runner.count("SELECT COUNT(*) FROM push_event");
            long refusedRows = refusals(runner);
            String body = "{\"id\":1}";
            HttpResponse<String> forged = Pushes.send(hooks + "site1", Map.of("X-WC-Webhook-Signature",
                    Pushes.sign("wrong", body), "X-WC-Webhook-Topic", "customer.updated", "X-WC-Webhook-Source",
                    site1Url + "/"), body);
            assertEquals(401, forged.statusCode(), forged.body());
            assertTrue(forged.body().contains("signature"), forged.body());
            HttpResponse<String> unsigned = Pushes.send(hooks + "site1", Map.of("X-WC-Webhook-Topic",
                    "customer.updated"), body);
            assertEquals(401, unsigned.statusCode());
            HttpResponse<String> otherSource = Pushes.push(hooks + "site1", secret, "customer.updated",
                    "http://127.0.0.9:8081/", body);
            assertEquals(403, otherSource.statusCode(), otherSource.body());
            assertTrue(otherSource.body().contains("allowSources"), otherSource.body());
            HttpResponse<String> otherAddress = Pushes.push(hooks + "site2", secret, "customer.updated", null, body);
            assertEquals(403, otherAddress.statusCode(), otherAddress.body());
            assertTrue(otherAddress.body().contains("127.0.0.1 is not in webhook.allowIps"), otherAddress.body());
            assertEquals(404, Pushes.push(hooks + "site3", secret, "customer.updated", null, body).statusCode(),
                    "site3 has no webhook block");
            assertEquals(404, Pushes.push(hooks + "nosuch", secret, "customer.updated", null, body).statusCode());
            assertEquals(400, Pushes.push(hooks + "site1", secret, "customer.updated", site1Url + "/", "not json")
                    .statusCode());
            runner.await(SOON, "six refusals audited", () -> refusals(runner) == refusedRows + 6);
            assertEquals(queued, runner.count("SELECT COUNT(*) FROM push_event"), "a refused push queues nothing");
            assertTrue(runner.log().stream().anyMatch(r -> "push".equals(r.action()) && Integer.valueOf(401).equals(r.httpStatus())
                    && r.message().contains("signature")), runner.log().toString());

            // WooCommerce's unsigned ping when a webhook is saved: 200, nothing queued
            HttpResponse<String> ping = Pushes.HTTP.send(HttpRequest.newBuilder(URI.create(hooks + "site1"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("webhook_id=7")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ping.statusCode(), ping.body());
            assertEquals(queued, runner.count("SELECT COUNT(*) FROM push_event"));

            assertFalse(runner.output().contains(secret), "the webhook secret reached the log");
            assertTrue(runner.log().stream().noneMatch(r -> r.message() != null && r.message().contains(secret)));
        }
    }

    private static long successes(SyncRunner runner, String email) {
        return runner.logFor(email).stream().filter(r -> "success".equals(r.status())).count();
    }

    private static long refusals(SyncRunner runner) {
        return runner.log().stream().filter(r -> "push".equals(r.action()) && "failed".equals(r.status())).count();
    }
}
