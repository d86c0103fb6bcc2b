package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.it.SyncRunner.LogRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source rule and a target rule on real sites, one runner for the class: site1 has
 * {@code syncRoles: [editor]} and pushes to site2 and to site3; site3 has {@code prohibitIncoming: true}
 * and is reached through a counting proxy, so "nothing written" is checked on the wire.
 */
class SourceAndTargetRulesSyncIT {

    static final Duration TWO_POLLS = Duration.ofSeconds(2 * 3 + 10);

    @TempDir
    static Path workDir;

    static CountingProxy site3Wire;
    static SyncRunner runner;
    static final WpAdmin SITE1 = WpAdmin.of(1);
    static final WpAdmin SITE2 = WpAdmin.of(2);
    static final WpAdmin SITE3 = WpAdmin.of(3);

    @BeforeAll
    static void startRunner() throws Exception {
        site3Wire = new CountingProxy(TestBed.site(3).url());
        String yaml = Configs.sitesYaml("  pollInterval: 3s\n",
                List.of(TestBed.site(1), TestBed.site(2), Sync.via(TestBed.site(3), site3Wire)),
                Map.of(1, "    syncRoles: [editor]\n", 3, "    prohibitIncoming: true\n"),
                """
                links:
                  - between: [site1, site2]
                    direction: push
                  - between: [site1, site3]
                    direction: push
                """);
        runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2", "site3"));
    }

    @AfterAll
    static void stopRunner() throws Exception {
        Sync.closeAll(runner, site3Wire);
    }

    /** Scenario 2: with syncRoles [editor] on site1, an editor is synced and a subscriber is not. */
    @Test
    void syncRolesOfTheSourceLetOnlyThoseRolesThrough() throws Exception {
        String editorLogin = Sync.uniqueLogin("roles-editor");
        String subscriberLogin = Sync.uniqueLogin("roles-subscriber");
        String editor = Sync.email(editorLogin);
        String subscriber = Sync.email(subscriberLogin);
        SITE1.create(editorLogin, editor, Map.of("roles", List.of("editor")));
        SITE1.create(subscriberLogin, subscriber, Map.of("roles", List.of("subscriber")));

        runner.await(TWO_POLLS, "editor on site2", () -> SITE2.byEmail(editor).isPresent());
        // the audit row is written just after the write to the site
        runner.await(TWO_POLLS, "editor's row for site2", () -> !rowsTo(editor, "site2").isEmpty());
        LogRow skipped = runner.awaitRow(TWO_POLLS, "subscriber's row for site2", r -> r.userKey().equals(subscriber)
                && "site2".equals(r.target()));

        assertEquals("editor", SITE2.byEmail(editor).orElseThrow().path("roles").get(0).asText());
        assertEquals(List.of("create:success"), rowsTo(editor, "site2"));
        assertEquals("skipped", skipped.status(), skipped.toString());
        assertEquals("create", skipped.action(), skipped.toString());
        assertEquals("user roles [subscriber] include none of syncRoles [editor] of site1", skipped.message());
        assertTrue(SITE2.byEmail(subscriber).isEmpty(), "the subscriber is not on site2");
        assertEquals(List.of("create:skipped"), rowsTo(subscriber, "site2"));
    }

    /** Scenario 3: site3 with prohibitIncoming accepts nothing, not even a create; site2 gets everything. */
    @Test
    void prohibitIncomingTargetIsNeverWritten() throws Exception {
        String login = Sync.uniqueLogin("no-incoming");
        String email = Sync.email(login);
        long id = SITE1.create(login, email, Map.of("roles", List.of("editor"))).path("id").asLong();
        runner.await(TWO_POLLS, "user on site2", () -> SITE2.byEmail(email).isPresent());
        SITE1.update(id, Map.of("last_name", "Edited"));
        runner.await(TWO_POLLS, "edit on site2", () -> SITE2.byEmail(email)
                .map(u -> u.path("last_name").asText().equals("Edited")).orElse(false));
        runner.await(TWO_POLLS, "two rows for site3", () -> rowsTo(email, "site3").size() == 2);
        runner.await(TWO_POLLS, "two rows for site2", () -> rowsTo(email, "site2").size() == 2);

        assertTrue(SITE3.byEmail(email).isEmpty(), "the user is not on site3");
        assertEquals(List.of("create:skipped", "edit:skipped"), rowsTo(email, "site3"));
        for (LogRow row : runner.logFor(email).stream().filter(r -> "site3".equals(r.target())).toList()) {
            assertEquals("target site3 has prohibitIncoming set", row.message(), row.toString());
        }
        assertEquals(List.of("create:success", "edit:success"), rowsTo(email, "site2"));
        assertEquals(0, site3Wire.writes(), "usermesh never wrote to site3: " + site3Wire.requests());
    }

    private static List<String> rowsTo(String userKey, String target) {
        return runner.logFor(userKey).stream().filter(r -> target.equals(r.target()))
                .map(r -> r.action() + ":" + r.status()).toList();
    }
}
