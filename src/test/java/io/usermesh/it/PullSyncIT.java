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

/**
 * pull: {@code between: [site1, site2]} with direction pull brings site2's changes to site1 and
 * never sends site1's changes to site2; usermesh never writes to site2.
 */
class PullSyncIT {

    static final Duration POLL = Duration.ofSeconds(3);
    static final Duration TWO_POLLS = Duration.ofSeconds(2 * 3 + 10);
    /** "A little more than two poll intervals": long enough for two polls of each site and a delivery. */
    static final Duration QUIET = POLL.multipliedBy(2).plusSeconds(3);

    @TempDir
    Path workDir;

    @Test
    void changesOnTheRemoteArriveAndLocalChangesStayLocal() throws Exception {
        try (CountingProxy b = new CountingProxy(TestBed.site(2).url())) {
            List<TestBed.WpSite> sites = List.of(TestBed.site(1), Sync.via(TestBed.site(2), b));
            String yaml = Configs.sitesYaml("  pollInterval: 3s\n", sites, """
                    links:
                      - between: [site1, site2]
                        direction: pull
                    """);
            WpAdmin site1 = WpAdmin.of(1);
            WpAdmin site2 = WpAdmin.of(2);
            String tag = UUID.randomUUID().toString().substring(0, 8);
            String remoteLogin = "pull-r-" + tag;
            String remoteEmail = remoteLogin + "@example.test";
            String localLogin = "pull-l-" + tag;
            String localEmail = localLogin + "@example.test";
            try (SyncRunner runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2"))) {
                // created on site2 -> reaches site1
                long remoteId = site2.create(remoteLogin, remoteEmail,
                        Map.of("first_name", "Rita", "last_name", "Remote", "roles", List.of("author")))
                        .path("id").asLong();
                // a poll may list the user while WordPress is still adding its role: wait for the whole user
                runner.await(TWO_POLLS, "user created on site2 appears on site1", () -> site1.byEmail(remoteEmail)
                        .map(u -> u.path("roles").toString().equals("[\"author\"]")).orElse(false));
                JsonNode onSite1 = site1.byEmail(remoteEmail).orElseThrow();
                assertEquals(remoteLogin, onSite1.path("username").asText());
                assertEquals("Rita", onSite1.path("first_name").asText());
                assertEquals("Remote", onSite1.path("last_name").asText());

                // edited on site2 -> the edit reaches site1
                site2.update(remoteId, Map.of("last_name", "Pulled", "description", "edited on site2",
                        "roles", List.of("editor")));
                runner.await(TWO_POLLS, "edit made on site2 appears on site1", () -> site1.byEmail(remoteEmail)
                        .map(u -> u.path("last_name").asText().equals("Pulled")
                                && u.path("description").asText().equals("edited on site2")
                                && u.path("roles").toString().equals("[\"editor\"]"))
                        .orElse(false));

                // created on site1 -> never reaches site2, and the audit says why
                long localCreated = System.nanoTime();
                site1.create(localLogin, localEmail, Map.of("first_name", "Lars", "roles", List.of("author")));
                runner.await(TWO_POLLS, "skipped row for site1 -> site2", () -> runner.logFor(localEmail).stream()
                        .anyMatch(r -> "skipped".equals(r.status()) && "site2".equals(r.target())));
                long waited = Duration.ofNanos(System.nanoTime() - localCreated).toMillis();
                Thread.sleep(Math.max(0, QUIET.toMillis() - waited));
                assertTrue(site2.byEmail(localEmail).isEmpty(), "a user created on site1 must not reach site2");

                // one skipped row for the create (a second, for an edit, if a poll caught the user half-created)
                List<SyncRunner.LogRow> local = runner.logFor(localEmail);
                assertEquals("create", local.get(0).action(), local.toString());
                for (SyncRunner.LogRow skipped : local) {
                    assertEquals("skipped", skipped.status(), local.toString());
                    assertEquals("site1->site2", skipped.source() + "->" + skipped.target(), local.toString());
                    assertEquals("poll", skipped.origin());
                    String why = skipped.message() == null ? "" : skipped.message();
                    assertTrue(why.contains("pull") && why.contains("site1") && why.contains("site2"),
                            "the skip says the link is pull and site1's changes do not go to site2: " + why);
                }

                List<SyncRunner.LogRow> remote = runner.logFor(remoteEmail);
                assertEquals("create", remote.get(0).action(), remote.toString());
                assertTrue(remote.stream().skip(1).allMatch(r -> "edit".equals(r.action())), remote.toString());
                assertTrue(remote.stream().allMatch(r -> "success".equals(r.status()) && "site2".equals(r.source())
                        && "site1".equals(r.target()) && "poll".equals(r.origin())), remote.toString());

                assertEquals(0, b.writes(), "usermesh never writes to the pull source site2: " + b.requests());
                assertTrue(b.requests().stream().anyMatch(r -> r.startsWith("GET /wp-json/wp/v2/users")),
                        "site2 is polled through the proxy: " + b.requests());
            }
        }
    }
}
