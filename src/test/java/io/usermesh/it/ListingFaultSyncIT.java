package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.it.SyncRunner.LogRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user listing that breaks after its first page must never be read as "the other users are gone".
 * site1 has more than 100 users (two pages; filler users "bulk-…@bulk.test" are created once and
 * kept on the test bed for later runs) and is reached through a proxy that can break page 2; it
 * pushes to site2, which is reached through a counting proxy so that "no delete" is checked on the wire.
 */
class ListingFaultSyncIT {

    static final Duration TWO_POLLS = Duration.ofSeconds(2 * 3 + 10);
    /** The second page of usermesh's listing (its query is context, per_page, page, orderby, …). */
    static final String PAGE_2 = "&page=2&";
    static final int FAILED_POLLS = 3;

    @TempDir
    static Path workDir;

    static CountingProxy site1Wire;
    static CountingProxy site2Wire;
    static SyncRunner runner;
    static final WpAdmin SITE1 = WpAdmin.of(1);
    static final WpAdmin SITE2 = WpAdmin.of(2);

    @BeforeAll
    static void startRunner() throws Exception {
        ensureUsers(SITE1, 110);
        site1Wire = new CountingProxy(TestBed.site(1).url());
        site2Wire = new CountingProxy(TestBed.site(2).url());
        // site1 runs the companion plugin: fullScanInterval shorter than pollInterval makes every poll a
        // full listing, the poll this test breaks (otherwise polls after the first read its changes feed)
        String yaml = Configs.sitesYaml("  pollInterval: 3s\n  fullScanInterval: 1s\n",
                List.of(Sync.via(TestBed.site(1), site1Wire), Sync.via(TestBed.site(2), site2Wire)), """
                links:
                  - between: [site1, site2]
                    direction: push
                    outgoing: [create, edit, delete, password, roles, metadata]
                """);
        runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2"));
        assertTrue(site1Wire.requests().stream().anyMatch(r -> r.contains(PAGE_2)),
                "the baseline read page 2: " + site1Wire.requests());
    }

    @AfterAll
    static void stopRunner() throws Exception {
        Sync.closeAll(runner, site1Wire, site2Wire);
    }

    /** Scenario 8: page 2 answers 500 while a user is deleted on site1: nothing is deleted until it reads whole. */
    @Test
    void failingSecondPageDeletesNothing() throws Exception {
        String email = syncedUser("page-500");
        long onSite1 = SITE1.byEmail(email).orElseThrow().path("id").asLong();
        long onSite2 = SITE2.byEmail(email).orElseThrow().path("id").asLong();
        int site2Before = site2Wire.requests().size();

        site1Wire.fail(PAGE_2, 500, "{\"code\":\"internal_server_error\",\"message\":\"injected by the test\"}");
        try {
            SITE1.delete(onSite1);
            int faultedBefore = site1Wire.faulted().size();
            runner.await(Duration.ofSeconds(FAILED_POLLS * 3 + 10), FAILED_POLLS + " polls with page 2 failing",
                    () -> site1Wire.faulted().size() >= faultedBefore + FAILED_POLLS);

            assertTrue(SITE2.byEmail(email).isPresent(), "the user is still on site2");
            assertEquals(List.of("create:success"), rows(email), "no delete was attempted: " + runner.logFor(email));
            List<String> seen = site2Wire.requests();
            List<String> toSite2 = seen.subList(site2Before, seen.size());
            assertTrue(toSite2.stream().noneMatch(r -> r.startsWith("DELETE ")), "no DELETE reached site2: " + toSite2);
            assertTrue(runner.output().contains("poll of poll-site1 failed, nothing changed"),
                    "the runner says why nothing happened");
        } finally {
            site1Wire.heal();
        }

        runner.await(TWO_POLLS, "delete on site2 once the listing reads whole", () -> SITE2.byEmail(email).isEmpty());
        LogRow deleted = runner.awaitRow(TWO_POLLS, "delete row", r -> r.userKey().equals(email)
                && r.action().equals("delete"));
        assertEquals("success", deleted.status(), deleted.toString());
        assertEquals("site2", deleted.target());
        assertTrue(deleted.message().startsWith("deleted user " + onSite2 + " on site2"), deleted.message());
        assertEquals(List.of("create:success", "delete:success"), rows(email));
    }

    /**
     * A page cut short (200 with no users) is worse than an error: the listing looks complete but
     * misses users. usermesh compares with X-WP-Total and infers no deletion, and says so in sync_log.
     */
    @Test
    void secondPageCutShortDeletesNothing() throws Exception {
        String email = syncedUser("page-empty");
        long onSite1 = SITE1.byEmail(email).orElseThrow().path("id").asLong();
        int total = SITE1.total();
        int site2Before = site2Wire.requests().size();

        site1Wire.fail(PAGE_2, 200, "[]");
        List<LogRow> heldBack;
        try {
            SITE1.delete(onSite1);
            int faultedBefore = site1Wire.faulted().size();
            runner.await(Duration.ofSeconds(FAILED_POLLS * 3 + 10), FAILED_POLLS + " polls with page 2 empty",
                    () -> site1Wire.faulted().size() >= faultedBefore + FAILED_POLLS
                            && !heldBack().isEmpty());
            heldBack = heldBack();

            assertTrue(SITE2.byEmail(email).isPresent(), "the user is still on site2");
            assertEquals(List.of("create:success"), rows(email), "no delete was attempted: " + runner.logFor(email));
            List<String> seen = site2Wire.requests();
            List<String> toSite2 = seen.subList(site2Before, seen.size());
            assertTrue(toSite2.stream().noneMatch(r -> r.startsWith("DELETE ")), "no DELETE reached site2: " + toSite2);
        } finally {
            site1Wire.heal();
        }
        LogRow row = heldBack.get(heldBack.size() - 1);
        assertEquals("skipped", row.status(), row.toString());
        assertEquals("site1", row.source(), row.toString());
        assertEquals("listing returned 100 of " + (total - 1) + " users; deletions are not inferred from an"
                + " incomplete listing", row.message());

        runner.await(TWO_POLLS, "delete on site2 once the listing reads whole", () -> SITE2.byEmail(email).isEmpty());
        LogRow deleted = runner.awaitRow(TWO_POLLS, "delete row", r -> r.userKey().equals(email)
                && r.action().equals("delete"));
        assertEquals("success", deleted.status(), deleted.toString());
    }

    /** A user created on site1 and already synced to site2; returns its email. */
    private static String syncedUser(String prefix) throws InterruptedException {
        String login = Sync.uniqueLogin(prefix);
        String email = Sync.email(login);
        SITE1.create(login, email, Map.of());
        runner.await(TWO_POLLS, "user on site2", () -> SITE2.byEmail(email).isPresent()
                && rows(email).equals(List.of("create:success")));
        return email;
    }

    private static List<LogRow> heldBack() {
        return runner.log().stream().filter(r -> "site1".equals(r.source()) && r.target() == null
                && "delete".equals(r.action())).toList();
    }

    private static List<String> rows(String userKey) {
        return runner.logFor(userKey).stream().map(r -> r.action() + ":" + r.status()).toList();
    }

    /** Tops the site up to at least {@code count} users, four requests at a time. */
    static void ensureUsers(WpAdmin site, int count) throws Exception {
        int missing = count - site.total();
        if (missing <= 0) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < missing; i++) {
                String login = Sync.uniqueLogin("bulk");
                created.add(pool.submit(() -> site.create(login, login + "@bulk.test", Map.of())));
            }
            for (Future<?> f : created) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
