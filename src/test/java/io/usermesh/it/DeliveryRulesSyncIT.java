package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * What the deliverer decides on the target, on real sites, one runner for the class: site1 pushes
 * to site2 (the defaults: createOnEdit true, no roleMap) and to site3 ({@code createOnEdit: false},
 * {@code roleMap: {um_site1_only: subscriber}}). The role um_site1_only exists on site1 only: it is
 * added with WordPress's own add_role() through the PHP CLI (TestBed.php), because core WordPress
 * roles exist on every site and testbed/mu-plugins/ would load on every site.
 */
class DeliveryRulesSyncIT {

    static final Duration TWO_POLLS = Duration.ofSeconds(2 * 3 + 10);
    static final String SITE1_ONLY_ROLE = "um_site1_only";

    @TempDir
    static Path workDir;

    static SyncRunner runner;
    static final WpAdmin SITE1 = WpAdmin.of(1);
    static final WpAdmin SITE2 = WpAdmin.of(2);
    static final WpAdmin SITE3 = WpAdmin.of(3);

    /** Created on site1 before the runner starts: in site1's baseline, never synced. */
    static String baselineLogin;
    static long baselineId;
    /** Also in site1's baseline: an author with a first name and a bio. */
    static String wholeLogin;
    static long wholeId;

    @BeforeAll
    static void startRunner() throws Exception {
        String added = TestBed.php(1, "add_role('" + SITE1_ONLY_ROLE + "', 'Only on site 1', ['read' => true]);"
                + " echo wp_roles()->is_role('" + SITE1_ONLY_ROLE + "') ? 'present' : 'missing';");
        assertEquals("present", added.trim(), "role on site1");
        for (int site : List.of(2, 3)) {
            assertEquals("missing", TestBed.php(site, "echo wp_roles()->is_role('" + SITE1_ONLY_ROLE
                    + "') ? 'present' : 'missing';").trim(), "role " + SITE1_ONLY_ROLE + " must not exist on site" + site);
        }
        baselineLogin = Sync.uniqueLogin("baseline");
        baselineId = SITE1.create(baselineLogin, Sync.email(baselineLogin), Map.of("roles", List.of("author")))
                .path("id").asLong();
        wholeLogin = Sync.uniqueLogin("baseline-whole");
        wholeId = SITE1.create(wholeLogin, Sync.email(wholeLogin), Map.of("roles", List.of("author"),
                "first_name", "Ida", "description", "bio on site1")).path("id").asLong();

        String yaml = Configs.sitesYaml("  pollInterval: 3s\n",
                List.of(TestBed.site(1), TestBed.site(2), TestBed.site(3)),
                Map.of(3, "    createOnEdit: false\n    roleMap: {" + SITE1_ONLY_ROLE + ": subscriber}\n"),
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
        if (runner != null) {
            runner.close();
        }
    }

    /**
     * Scenario 4: an edit of a user that exists on site1 only creates it on site2 (createOnEdit true)
     * and not on site3 (createOnEdit false).
     */
    @Test
    void editOfAUserMissingOnTheTargetCreatesItOnlyWhereCreateOnEditIsOn() throws Exception {
        String email = Sync.email(baselineLogin);
        assertTrue(SITE2.byEmail(email).isEmpty() && SITE3.byEmail(email).isEmpty(), "starts on site1 only");

        SITE1.update(baselineId, Map.of("first_name", "Bea"));
        LogRow toSite2 = runner.awaitRow(TWO_POLLS, "row for site2", r -> r.userKey().equals(email)
                && "site2".equals(r.target()));
        LogRow toSite3 = runner.awaitRow(TWO_POLLS, "row for site3", r -> r.userKey().equals(email)
                && "site3".equals(r.target()));

        assertEquals("create", toSite2.action(), toSite2.toString());
        assertEquals("success", toSite2.status(), toSite2.toString());
        JsonNode onSite2 = SITE2.byEmail(email).orElseThrow(() -> new AssertionError("not created on site2"));
        assertEquals(baselineLogin, onSite2.path("username").asText());
        assertEquals("Bea", onSite2.path("first_name").asText());
        assertEquals("create", toSite3.action(), toSite3.toString());
        assertEquals("skipped", toSite3.status(), toSite3.toString());
        assertEquals("user is missing on site3 and createOnEdit is false", toSite3.message());
        assertTrue(SITE3.byEmail(email).isEmpty(), "not created on site3");
    }

    /**
     * Scenario 4, the whole user: a user created because of an edit is the user as site1 has it,
     * not only the fields of that edit. Here the edit touched the name only; the user is an author.
     */
    @Test
    void createOnEditCreatesTheWholeUserNotOnlyTheEditedFields() throws Exception {
        String email = Sync.email(wholeLogin);
        assertTrue(SITE2.byEmail(email).isEmpty(), "starts on site1 only");

        SITE1.update(wholeId, Map.of("last_name", "Lind"));
        LogRow row = runner.awaitRow(TWO_POLLS, "create on edit for site2", r -> r.userKey().equals(email)
                && "site2".equals(r.target()) && r.status().equals("success"));
        assertEquals("create", row.action(), row.toString());
        JsonNode onSite2 = SITE2.byEmail(email).orElseThrow();
        assertEquals("Lind", onSite2.path("last_name").asText(), "the edited field");
        assertEquals("Ida", onSite2.path("first_name").asText(), "a field the edit did not touch");
        assertEquals("bio on site1", onSite2.path("description").asText(), "a field the edit did not touch");
        assertEquals("[\"author\"]", onSite2.path("roles").toString(), "the user's role on site1");
    }

    /**
     * Scenario 6: a role site2 lacks fails that delivery with a reason naming the role and roleMap,
     * does not hold up later changes, and is mapped on site3 by its roleMap.
     */
    @Test
    void roleMissingOnTheTargetFailsWithAHintAndRoleMapMapsIt() throws Exception {
        String login = Sync.uniqueLogin("site1-role");
        String email = Sync.email(login);
        SITE1.create(login, email, Map.of("roles", List.of(SITE1_ONLY_ROLE)));

        LogRow failed = runner.awaitRow(TWO_POLLS, "row for site2", r -> r.userKey().equals(email)
                && "site2".equals(r.target()));
        assertEquals("failed", failed.status(), failed.toString());
        assertEquals("create", failed.action(), failed.toString());
        assertEquals(400, failed.httpStatus(), failed.toString());
        assertTrue(failed.message().startsWith("role " + SITE1_ONLY_ROLE + " does not exist on site2; add a roleMap"
                + " entry for site2"), failed.message());
        assertTrue(SITE2.byEmail(email).isEmpty(), "nothing created on site2");

        runner.await(TWO_POLLS, "user on site3", () -> SITE3.written(email).isPresent());
        assertEquals("[\"subscriber\"]", SITE3.written(email).orElseThrow().path("roles").toString(),
                "roleMap of site3 maps " + SITE1_ONLY_ROLE + " to subscriber");
        LogRow toSite3 = runner.awaitRow(TWO_POLLS, "row for site3", r -> r.userKey().equals(email)
                && "site3".equals(r.target()));
        assertEquals("create", toSite3.action());
        assertEquals("success", toSite3.status(), toSite3.toString());

        // the failure blocks nothing: a later change of another user reaches site2
        String nextLogin = Sync.uniqueLogin("after-failure");
        String next = Sync.email(nextLogin);
        SITE1.create(nextLogin, next, Map.of());
        runner.await(TWO_POLLS, "later user on site2", () -> SITE2.byEmail(next).isPresent());
        LogRow nextRow = runner.awaitRow(TWO_POLLS, "later user's row", r -> r.userKey().equals(next)
                && "site2".equals(r.target()));
        assertEquals("success", nextRow.status(), nextRow.toString());
    }

    /** Scenario 7: a stopped target fails its own delivery (unreachable) while the other target gets the user. */
    @Test
    void stoppedTargetFailsWhileTheOtherTargetSyncs() throws Exception {
        String login = Sync.uniqueLogin("site3-down");
        String email = Sync.email(login);
        TestBed.server("stop-site", 3);
        try {
            SITE1.create(login, email, Map.of());
            runner.await(TWO_POLLS, "user on site2", () -> SITE2.byEmail(email).isPresent());
            LogRow toSite2 = runner.awaitRow(TWO_POLLS, "row for site2", r -> r.userKey().equals(email)
                    && "site2".equals(r.target()));
            LogRow toSite3 = runner.awaitRow(TWO_POLLS, "row for site3", r -> r.userKey().equals(email)
                    && "site3".equals(r.target()));

            assertEquals("success", toSite2.status(), toSite2.toString());
            assertEquals("create", toSite2.action(), toSite2.toString());
            assertEquals("failed", toSite3.status(), toSite3.toString());
            assertNotNull(toSite3.message());
            assertTrue(toSite3.message().contains("site3") && toSite3.message().contains("unreachable"),
                    "the reason says site3 could not be reached: " + toSite3.message());
            assertEquals(null, toSite3.httpStatus(), "no HTTP answer: " + toSite3);
            // the action column names what was synced (create/edit/delete), not an internal step
            assertEquals("create", toSite3.action(), "the row names what was being synced: " + toSite3);
        } finally {
            TestBed.server("start-site", 3);
        }
        assertTrue(SITE3.byEmail(email).isEmpty(), "site3 did not get the user while it was down");
    }
}
