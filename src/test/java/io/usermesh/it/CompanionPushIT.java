package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
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
 * replayed push gets a 4xx and an audit row, and queues nothing.
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
}
