package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * What polling costs an idle big site with the companion plugin: test-bed site4 with 20,000 extra
 * users, polled every 5 s for 10 minutes ({@code -Dusermesh.it.idleMinutes} to change it), through a
 * counting proxy. After the first poll's full listing, each poll is one request to the changes feed;
 * no user is listed or read. The only other requests are the health probe's, once a minute.
 *
 * <p>It waits most of the time, on a site no other test uses, so it runs beside the other tests
 * (junit-platform.properties) instead of adding its 10 minutes to theirs.
 */
@Execution(ExecutionMode.CONCURRENT)
class IdleFeedIT {

    static final int SITE = 4;
    static final int EXTRA_USERS = 20_000;
    static final Duration POLL = Duration.ofSeconds(5);

    @TempDir
    Path workDir;

    @Test
    void anIdleTwentyThousandUserSiteGetsOneRequestPerPollAndNoListing() throws Exception {
        Duration watched = Duration.ofMinutes(Long.getLong("usermesh.it.idleMinutes", 10));
        String prefix = "idle" + java.util.UUID.randomUUID().toString().substring(0, 6);
        WpDatabase wp = WpDatabase.of(SITE);
        WpAdmin.of(SITE).send("POST", "/wp-json/usermesh/v1/settings", Map.of("url", "", "secret", ""));
        wp.insertUsers(prefix, EXTRA_USERS);
        try (CountingProxy proxy = new CountingProxy(TestBed.site(SITE).url());
                SyncRunner runner = SyncRunner.start(workDir, Configs.sitesYaml("  pollInterval: 5s\n",
                        List.of(Sync.via(TestBed.site(SITE), proxy)), "links: []\n"), List.of())) {
            // listing 20,000 users takes a while, longer with the other tests running beside this one
            runner.await(Duration.ofMinutes(3), "the baseline of site" + SITE, () -> runner.count(
                    "SELECT COUNT(*) FROM user_snapshot WHERE site_id = ?", "site" + SITE) > EXTRA_USERS);
            runner.await(Duration.ofSeconds(60), "the first poll through the feed", () -> feedReads(proxy.requests()) > 1);
            int from = proxy.requests().size();
            Thread.sleep(watched.toMillis());
            List<String> during = proxy.requests().subList(from, proxy.requests().size());

            long feed = feedReads(during);
            long expected = watched.dividedBy(POLL);
            assertTrue(feed >= expected * 9 / 10 && feed <= expected + 2,
                    feed + " feed reads in " + watched + ", polls every " + POLL);
            List<String> users = during.stream().filter(r -> r.startsWith("GET /wp-json/wp/v2/users?")).toList();
            assertEquals(0, users.size(), "no listing and no user read while nothing changes; " + users.size()
                    + " of them, the first: " + users.stream().limit(3).toList());
            List<String> others = during.stream().filter(r -> !r.startsWith("GET /wp-json/usermesh/v1/changes"))
                    .filter(r -> !isHealthProbe(r)).toList();
            assertEquals(0, others.size(), "besides the feed, only the health probe asks the site; the first others: "
                    + others.stream().limit(3).toList());
            System.out.printf("IdleFeedIT: %d requests in %s: %d feed reads, %d health probe requests%n",
                    during.size(), watched, feed, during.size() - feed);
        } finally {
            wp.deleteUsers(prefix);
        }
    }

    static long feedReads(List<String> requests) {
        return requests.stream().filter(r -> r.startsWith("GET /wp-json/usermesh/v1/changes")).count();
    }

    /**
     * SiteChecker's requests: the REST index, the sync user, the companion's settings and its read of
     * the sync user's own password hash (which proves that feature works).
     */
    static boolean isHealthProbe(String request) {
        return request.startsWith("GET /wp-json/ ") || request.equals("GET /wp-json/")
                || request.startsWith("GET /wp-json/?") || request.startsWith("GET /wp-json/wp/v2/users/me")
                || request.startsWith("GET /wp-json/usermesh/v1/settings")
                || request.matches("GET /wp-json/usermesh/v1/users/\\d+/password\\?.*");
    }
}
