package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Polling through the companion plugin's changes feed on real sites (test-bed site1 runs the plugin;
 * its pushes are off): a poll every 5 s reads the feed, a change and a deletion are found by the
 * next poll without a listing, an expired cursor gives one audited full listing, and the periodic
 * full scan finds a change written straight into the database, which the feed cannot know of.
 * Site1 is reached through a counting proxy, so listings and feed reads are counted on the wire.
 */
class ChangesFeedIT {

    static final Duration SOON = Duration.ofSeconds(30);
    static final String FIVE_SECONDS = "  pollInterval: 5s\n";

    @TempDir
    Path workDir;

    final WpAdmin site1 = WpAdmin.of(1);
    final WpAdmin site2 = WpAdmin.of(2);
    CountingProxy proxy;

    @BeforeEach
    void pushesOff() throws Exception {
        // detection must come from polls: the plugin pushes nothing without a URL and a secret
        site1.send("POST", "/wp-json/usermesh/v1/settings", Map.of("url", "", "secret", ""));
        proxy = new CountingProxy(TestBed.site(1).url());
    }

    @AfterEach
    void close() throws Exception {
        TestBed.php(1, "delete_option('usermesh_changes_retention');");
        proxy.close();
    }

    /** Requests that list users page by page (a full scan), as opposed to reading named users. */
    long listings() {
        return proxy.requests().stream().filter(r -> r.startsWith("GET /wp-json/wp/v2/users?")
                && r.contains("page=1&") && !r.contains("include=")).count();
    }

    long feedReads() {
        return proxy.requests().stream().filter(r -> r.startsWith("GET /wp-json/usermesh/v1/changes")).count();
    }

    SyncRunner runner(String defaults) throws Exception {
        String yaml = Configs.sitesYaml(defaults, List.of(Sync.via(TestBed.site(1), proxy), TestBed.site(2)),
                Configs.PUSH_SITE1_TO_SITE2);
        SyncRunner runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2"));
        runner.await(SOON, "a poll through the feed", () -> feedReads() >= 2);
        return runner;
    }

    @Test
    void aChangeAndADeletionAreFoundByTheNextPollThroughTheFeed() throws Exception {
        String login = Sync.uniqueLogin("feed");
        String email = Sync.email(login);
        try (SyncRunner runner = runner(FIVE_SECONDS)) {
            long listed = listings();
            assertEquals(1, listed, "the first poll lists every user, and only the first");

            long id = site1.create(login, email, Map.of("first_name", "Fenna")).path("id").asLong();
            runner.await(SOON, "the new user on site2", () -> site2.byEmail(email).isPresent());
            site1.update(id, Map.of("first_name", "Fenja"));
            runner.await(SOON, "the edit on site2", () -> "Fenja".equals(
                    site2.byEmail(email).orElseThrow().path("first_name").asText()));
            site1.delete(id);
            runner.await(SOON, "the deletion on site2", () -> site2.byEmail(email).isEmpty());
            runner.await(SOON, "three deliveries audited", () -> runner.logFor(email).stream()
                    .filter(r -> "success".equals(r.status())).count() == 3);

            assertEquals(listed, listings(), "no listing after the first");
            assertTrue(runner.logFor(email).stream().allMatch(r -> "poll".equals(r.origin())),
                    runner.logFor(email).toString());
        } finally {
            site2.byEmail(email).ifPresent(u -> site2.delete(u.path("id").asLong()));
        }
    }

    @Test
    void aCursorOlderThanTheFeedsRetentionGivesOneAuditedFullListing() throws Exception {
        String login = Sync.uniqueLogin("feedold");
        String email = Sync.email(login);
        try (SyncRunner runner = runner(FIVE_SECONDS)) {
            long listed = listings();
            // the plugin keeps changes for 1 s: the next feed read prunes this one before the runner's
            // cursor has passed it (a change is passed only once it is 5 s old)
            TestBed.php(1, "update_option('usermesh_changes_retention', 1);");
            long id = site1.create(login, email, Map.of("first_name", "Olle")).path("id").asLong();
            runner.await(SOON, "the expired cursor audited", () -> runner.log().stream()
                    .anyMatch(r -> "poll".equals(r.action()) && "skipped".equals(r.status())));
            TestBed.php(1, "delete_option('usermesh_changes_retention');");
            runner.await(SOON, "the new user on site2", () -> site2.byEmail(email).isPresent());

            List<SyncRunner.LogRow> fallbacks = runner.log().stream().filter(r -> "poll".equals(r.action())).toList();
            assertEquals(1, fallbacks.size(), fallbacks.toString());
            assertEquals(410, fallbacks.get(0).httpStatus());
            assertTrue(fallbacks.get(0).message().contains("usermesh_cursor_expired"), fallbacks.get(0).message());
            assertEquals(listed + 1, listings(), "one full listing for the expired cursor");

            site1.update(id, Map.of("first_name", "Olga"));
            runner.await(SOON, "the next edit on site2", () -> "Olga".equals(
                    site2.byEmail(email).orElseThrow().path("first_name").asText()));
            assertEquals(listed + 1, listings(), "found through the feed again");
        } finally {
            site1.byEmail(email).ifPresent(u -> site1.delete(u.path("id").asLong()));
            site2.byEmail(email).ifPresent(u -> site2.delete(u.path("id").asLong()));
        }
    }

    @Test
    void theFullScanFindsAChangeMadeBehindThePluginsBack() throws Exception {
        String login = Sync.uniqueLogin("feedscan");
        String email = Sync.email(login);
        long id = 0;
        // a full listing every minute stands in for the daily default
        try (SyncRunner runner = runner(FIVE_SECONDS + "  fullScanInterval: 60s\n")) {
            id = site1.create(login, email, Map.of("first_name", "Dora")).path("id").asLong();
            runner.await(SOON, "the user on site2", () -> site2.byEmail(email).isPresent());
            // the feed hands out a change again until it is 5 s old (its settle window): a read of the
            // user then would see the edit below, which is fine but not what this test is about
            Thread.sleep(6_000);
            long listed = listings();
            // an import or another plugin writing the table: no WordPress hook runs, the feed learns nothing
            WpDatabase.of(1).setMeta(id, "first_name", "Direct");
            TestBed.php(1, "clean_user_cache(" + id + ");");
            Thread.sleep(12_000); // two feed polls
            assertEquals("Dora", site2.byEmail(email).orElseThrow().path("first_name").asText(),
                    "the feed polls do not see it");
            assertEquals(listed, listings(), "and no full listing ran meanwhile");

            runner.await(Duration.ofSeconds(60), "the drift on site2 after the full scan", () -> "Direct".equals(
                    site2.byEmail(email).orElseThrow().path("first_name").asText()));
            assertEquals(listed + 1, listings(), "found by the one full listing since");
        } finally {
            if (id > 0) {
                site1.delete(id);
            }
            site2.byEmail(email).ifPresent(u -> site2.delete(u.path("id").asLong()));
        }
    }
}
