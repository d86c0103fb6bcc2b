package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Link actions and per-user flags on real sites, one runner for the class:
 * site1 → site2 is a push link with {@code outgoing: [create]} only, site1 → site3 a push link that
 * lists no actions (so: create, edit and roles). site2 and site3 are reached through counting proxies, so "not written" is checked
 * on the wire too.
 */
class FilterSyncIT {

    static final Duration TWO_POLLS = Duration.ofSeconds(2 * 3 + 10);

    @TempDir
    static Path workDir;

    static CountingProxy site2Wire;
    static CountingProxy site3Wire;
    static SyncRunner runner;
    static final WpAdmin SITE1 = WpAdmin.of(1);
    static final WpAdmin SITE2 = WpAdmin.of(2);
    static final WpAdmin SITE3 = WpAdmin.of(3);

    @BeforeAll
    static void startRunner() throws Exception {
        site2Wire = new CountingProxy(TestBed.site(2).url());
        site3Wire = new CountingProxy(TestBed.site(3).url());
        String yaml = Configs.sitesYaml("  pollInterval: 3s\n",
                List.of(TestBed.site(1), Sync.via(TestBed.site(2), site2Wire), Sync.via(TestBed.site(3), site3Wire)),
                """
                links:
                  - between: [site1, site2]
                    direction: push
                    outgoing: [create]
                  - between: [site1, site3]
                    direction: push
                """);
        runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2", "site3"));
    }

    @AfterAll
    static void stopRunner() throws Exception {
        Sync.closeAll(runner, site2Wire, site3Wire);
    }

    /** Scenario 1: a link that allows create only creates the user, and never carries a later edit. */
    @Test
    void linkWithOnlyCreateCreatesTheUserButCarriesNoEdit() throws Exception {
        String login = Sync.uniqueLogin("create-only");
        String email = Sync.email(login);
        long id = SITE1.create(login, email, Map.of("first_name", "Cleo")).path("id").asLong();

        LogRow created = runner.awaitRow(TWO_POLLS, "create row for site2", r -> r.userKey().equals(email)
                && "site2".equals(r.target()) && r.action().equals("create"));
        assertEquals("success", created.status(), created.toString());
        assertTrue(SITE2.byEmail(email).isPresent(), "the user is created on site2");
        long onSite2 = SITE2.byEmail(email).orElseThrow().path("id").asLong();

        SITE1.update(id, Map.of("last_name", "Edited-on-site1"));
        LogRow skipped = runner.awaitRow(TWO_POLLS, "edit row for site2", r -> r.userKey().equals(email)
                && "site2".equals(r.target()) && r.action().equals("edit"));
        // the same edit does travel the other link, so it was detected and delivered where allowed
        runner.await(TWO_POLLS, "edit on site3", () -> SITE3.byEmail(email)
                .map(u -> u.path("last_name").asText().equals("Edited-on-site1")).orElse(false));

        assertEquals("skipped", skipped.status(), skipped.toString());
        assertTrue(skipped.message().contains("link site1->site2 does not allow") && skipped.message().contains("edit"),
                "the reason names the link and the action it lacks: " + skipped.message());
        assertEquals("", SITE2.byEmail(email).orElseThrow().path("last_name").asText(),
                "the edit did not reach site2");
        assertFalse(Sync.wroteTo(site2Wire, onSite2), "usermesh sent no write for the user to site2: "
                + site2Wire.requests());
        assertEquals(List.of("create:success", "edit:skipped"), rowsTo(email, "site2"));
    }

    /** The safe default: a link that lists no actions carries create, edit and roles, never a deletion. */
    @Test
    void aLinkThatListsNoActionsDeletesNothing() throws Exception {
        String login = Sync.uniqueLogin("no-actions");
        String email = Sync.email(login);
        long id = SITE1.create(login, email, Map.of()).path("id").asLong();
        runner.await(TWO_POLLS, "the user on site3", () -> SITE3.byEmail(email).isPresent());
        long onSite3 = SITE3.byEmail(email).orElseThrow().path("id").asLong();

        SITE1.delete(id);
        LogRow deletion = runner.awaitRow(TWO_POLLS, "delete row for site3", r -> r.userKey().equals(email)
                && "site3".equals(r.target()) && r.action().equals("delete"));
        assertEquals("skipped", deletion.status(), deletion.toString());
        assertTrue(deletion.message().contains("link site1->site3 does not allow")
                && deletion.message().contains("delete"), deletion.message());
        assertTrue(SITE3.byEmail(email).isPresent(), "the account stays on site3");
        assertTrue(site3Wire.requests().stream().noneMatch(r -> r.startsWith("DELETE ")),
                "no DELETE reached site3: " + site3Wire.requests());
        SITE3.delete(onSite3);
    }

    /** Scenario 5a: "propagation off" on site1 keeps that user's edits on site1; other users still sync. */
    @Test
    void propagationOffKeepsTheUsersEditsOnTheSource() throws Exception {
        String loginX = Sync.uniqueLogin("prop-off");
        String loginW = Sync.uniqueLogin("prop-on");
        String x = Sync.email(loginX);
        String w = Sync.email(loginW);
        long idX = SITE1.create(loginX, x, Map.of()).path("id").asLong();
        long idW = SITE1.create(loginW, w, Map.of()).path("id").asLong();
        runner.await(TWO_POLLS, "both users on site3",
                () -> SITE3.byEmail(x).isPresent() && SITE3.byEmail(w).isPresent());
        long xOnSite3 = SITE3.byEmail(x).orElseThrow().path("id").asLong();

        runner.setUserFlags("site1", x, true, false);
        SITE1.update(idX, Map.of("last_name", "Private"));
        SITE1.update(idW, Map.of("last_name", "Public"));

        runner.await(TWO_POLLS, "the other user's edit on site3", () -> SITE3.byEmail(w)
                .map(u -> u.path("last_name").asText().equals("Public")).orElse(false));
        LogRow toSite3 = runner.awaitRow(TWO_POLLS, "X's skipped edit for site3", r -> r.userKey().equals(x)
                && "site3".equals(r.target()) && r.action().equals("edit"));
        LogRow toSite2 = runner.awaitRow(TWO_POLLS, "X's skipped edit for site2", r -> r.userKey().equals(x)
                && "site2".equals(r.target()) && r.action().equals("edit"));

        for (LogRow row : List.of(toSite3, toSite2)) {
            assertEquals("skipped", row.status(), row.toString());
            assertEquals("propagation is off for this user on site1", row.message(), row.toString());
        }
        assertEquals("", SITE3.byEmail(x).orElseThrow().path("last_name").asText(), "X's edit stayed on site1");
        assertFalse(Sync.wroteTo(site3Wire, xOnSite3), "no write for X on site3: " + site3Wire.requests());
        assertEquals(List.of("create:success", "edit:success"), rowsTo(w, "site3"));
    }

    /** Scenario 5b: "protected" on site3 keeps site3's copy of the user as it is; other users still sync. */
    @Test
    void protectedUserIsNotWrittenOnTheTarget() throws Exception {
        String loginY = Sync.uniqueLogin("protected");
        String loginZ = Sync.uniqueLogin("unprotected");
        String y = Sync.email(loginY);
        String z = Sync.email(loginZ);
        long idY = SITE1.create(loginY, y, Map.of()).path("id").asLong();
        long idZ = SITE1.create(loginZ, z, Map.of()).path("id").asLong();
        runner.await(TWO_POLLS, "both users on site3",
                () -> SITE3.byEmail(y).isPresent() && SITE3.byEmail(z).isPresent());
        long yOnSite3 = SITE3.byEmail(y).orElseThrow().path("id").asLong();

        runner.setUserFlags("site3", y, false, true);
        SITE1.update(idY, Map.of("description", "changed on site1"));
        SITE1.update(idZ, Map.of("description", "changed on site1"));

        runner.await(TWO_POLLS, "Z's edit on site3", () -> SITE3.byEmail(z)
                .map(u -> u.path("description").asText().equals("changed on site1")).orElse(false));
        LogRow row = runner.awaitRow(TWO_POLLS, "Y's skipped edit for site3", r -> r.userKey().equals(y)
                && "site3".equals(r.target()) && r.action().equals("edit"));

        assertEquals("skipped", row.status(), row.toString());
        assertEquals("user is protected on site3", row.message(), row.toString());
        JsonNode yThere = SITE3.byEmail(y).orElseThrow();
        assertEquals("", yThere.path("description").asText(), "Y on site3 is untouched");
        assertFalse(Sync.wroteTo(site3Wire, yOnSite3), "no write for Y on site3: " + site3Wire.requests());
        assertEquals(List.of("create:success", "edit:success"), rowsTo(z, "site3"));
    }

    private static List<String> rowsTo(String userKey, String target) {
        return runner.logFor(userKey).stream().filter(r -> target.equals(r.target()))
                .map(r -> r.action() + ":" + r.status()).toList();
    }
}
