package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the companion plugin adds, on real sites: test-bed site 1 runs WordPress 6.1 and site 2 runs
 * 6.8, both with the plugin; site 3 (6.1) has none. Changes are found by polling here (pushes are
 * CompanionPushIT's); each runner lets only its own test's users through (other tests change the
 * same sites meanwhile).
 */
class CompanionSyncIT {

    static final Duration SOON = Duration.ofSeconds(40);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    /** A custom-rules route that skips every user whose login does not start with {@code prefix}. */
    static Path onlyUsers(Path workDir, String prefix) throws Exception {
        return CustomRulesIT.routesWith(workDir.resolve("routes"), """
                - route:
                    id: custom-rules
                    from:
                      uri: direct:custom-rules
                      steps:
                        - filter:
                            simple: "${header.UsermeshLogin} !startsWith '%s'"
                            steps:
                              - setHeader:
                                  name: UsermeshSkip
                                  constant: another test's user
                """.formatted(prefix));
    }

    @Test
    void aPasswordSetOnOneVersionSignsInOnTheOtherAndNoHashReachesUsermesh() throws Exception {
        String login = Sync.uniqueLogin("cpw");
        String email = Sync.email(login);
        String first = "First-" + UUID.randomUUID();
        String second = "Second-" + UUID.randomUUID();
        String yaml = Configs.sitesYaml("  pollInterval: 2s\n", List.of(TestBed.site(1), TestBed.site(2),
                TestBed.site(3)), """
                links:
                  - between: [site1, site2]
                    direction: bidirectional
                    outgoing: [create, edit, roles, password]
                    incoming: [create, edit, roles, password]
                  - between: [site1, site3]
                    direction: push
                    outgoing: [create, edit, roles, password]
                """);
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        WpAdmin c = WpAdmin.of(3);
        List<String> hashes = new ArrayList<>();
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, "", List.of("site1", "site2", "site3"),
                MariaDb.create(), true, onlyUsers(workDir, login))) {
            // set on 6.1 (a phpass hash): the account on 6.8 takes that password
            long id = a.create(login, email, Map.of("password", first)).path("id").asLong();
            runner.await(SOON, "the user on site2", () -> b.byEmail(email).isPresent());
            long onB = b.byEmail(email).orElseThrow().path("id").asLong();
            hashes.add(hash(a, id));
            assertTrue(WpBrowser.signIn(2, login, first).isPresent(), "the password set on 6.1 signs in on 6.8");

            // changed on 6.8 (a $wp$2y$ bcrypt hash): 6.1 with the companion takes it, the old one is gone
            b.update(onB, Map.of("password", second));
            hashes.add(hash(b, onB));
            runner.await(SOON, "the new password on site1", () -> signsIn(1, login, second));
            assertFalse(signsIn(1, login, first), "the old password still signs in on site1");
            assertFalse(signsIn(2, login, first), "the old password still signs in on site2");
            hashes.add(hash(a, id));
            hashes.add(hash(b, onB));
            assertTrue(hash(a, id).startsWith("$wp$2y$"), "site1 holds 6.8's hash as is (no rehash)");

            // site3 has no companion: the user gets there (with a random password), the password change from
            // site2 goes on from site1 but not to site3, and the audit says why
            runner.await(SOON, "the user on site3", () -> c.byEmail(email).isPresent());
            runner.await(SOON, "the password skipped for site3", () -> runner.logFor(email).stream().anyMatch(r ->
                    "site3".equals(r.target()) && "password".equals(r.action()) && "skipped".equals(r.status())
                            && r.message().contains("companion plugin is not on site3")));
            assertFalse(signsIn(3, login, first) || signsIn(3, login, second), "site3 got a password");
            assertTrue(runner.logFor(email).stream().noneMatch(r -> "site3".equals(r.target())
                    && "failed".equals(r.status())), runner.logFor(email).toString());

            String stored = everyValue(runner.db());
            for (String secret : List.of(first, second)) {
                assertFalse(stored.contains(secret), "a plaintext password is in usermesh's tables");
                assertFalse(runner.output().contains(secret), "a plaintext password is in usermesh's log");
            }
            for (String hash : hashes) {
                assertFalse(stored.contains(hash), "a password hash is in usermesh's tables");
                assertFalse(runner.output().contains(hash), "a password hash is in usermesh's log");
            }
            assertTrue(runner.output().contains("link site1-site3 lists password, but site site3 has no companion"),
                    "the start-up warning for the link that cannot carry passwords");
        }
    }

    @Test
    void customerMetaTravelsByThePresetAndNeverSyncedOrUnlistedKeysDoNot() throws Exception {
        String login = Sync.uniqueLogin("cmeta");
        String email = Sync.email(login);
        String yaml = Configs.sitesYaml("  pollInterval: 2s\n", List.of(TestBed.site(1), TestBed.site(2)), """
                links:
                  - between: [site1, site2]
                    direction: bidirectional
                    outgoing: [create, edit, roles, metadata]
                    incoming: [create, edit, roles, metadata]
                    metaKeys: [woocommerce, session_tokens, wp_capabilities, wp_user-settings]
                """);
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, "", List.of("site1", "site2"),
                MariaDb.create(), true, onlyUsers(workDir, login))) {
            assertTrue(runner.output().contains("meta key 'session_tokens' is never synced"), runner.output());
            long id = a.create(login, email, Map.of("roles", List.of("customer"))).path("id").asLong();
            runner.await(SOON, "the customer on site2", () -> b.byEmail(email).isPresent());
            long onB = b.byEmail(email).orElseThrow().path("id").asLong();
            // keys that must stay on site1, written straight into its table (the plugin refuses them)
            try (Connection db = WpDatabase.of(1).connect(); Statement s = db.createStatement()) {
                s.executeUpdate("INSERT INTO wp_usermeta (user_id, meta_key, meta_value) VALUES (" + id
                        + ", 'wp_user-settings', 'mfold=o'), (" + id + ", 'session_tokens', 'a:0:{}')");
            }
            // as WooCommerce saves a customer: update_user_meta (the plugin's meta route calls it)
            a.send("PUT", "/wp-json/usermesh/v1/users/" + id + "/meta", Map.of("meta",
                    Map.of("billing_city", "Lyon", "billing_phone", "+33 1 23", "shoe_size", "44")));
            runner.await(SOON, "billing_city on site2", () -> "Lyon".equals(meta(b, onB, "billing_city")));
            assertEquals("+33 1 23", meta(b, onB, "billing_phone"));
            assertEquals(List.of("customer"), roles(b.byEmail(email).orElseThrow()), "the customer role maps");
            assertEquals(null, meta(b, onB, "shoe_size"), "a key outside metaKeys travelled");
            try (Connection db = WpDatabase.of(2).connect(); Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("SELECT meta_key FROM wp_usermeta WHERE user_id = " + onB
                            + " AND meta_key IN ('wp_user-settings', 'session_tokens')")) {
                assertFalse(rs.next(), "a never-synced key travelled");
            }
            assertEquals("customer", roles(b.byEmail(email).orElseThrow()).get(0));
            assertTrue(runner.logFor(email).stream().noneMatch(r -> "failed".equals(r.status())),
                    runner.logFor(email).toString());
        }
    }

    @Test
    void profileScreenTogglesAreTheApisFlagsBothWays() throws Exception {
        String login = Sync.uniqueLogin("ctog");
        String email = Sync.email(login);
        String token = "tok-" + UUID.randomUUID();
        String yaml = Configs.sitesYaml("  pollInterval: 2s\n", List.of(TestBed.site(1), TestBed.site(2)), """
                links:
                  - between: [site1, site2]
                    direction: bidirectional
                """);
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, "usermesh.admin.token=" + token + "\n",
                List.of("site1", "site2"), MariaDb.create(), true, onlyUsers(workDir, login))) {
            String api = "http://127.0.0.1:" + runner.httpPort() + "/api/users/";
            long id = a.create(login, email, Map.of("first_name", "Tia")).path("id").asLong();
            runner.await(SOON, "the user on site2", () -> b.byEmail(email).isPresent());
            long onB = b.byEmail(email).orElseThrow().path("id").asLong();

            // "Sync protection" ticked on site2's profile screen (6.8): site1's edits no longer land there
            WpBrowser admin2 = WpBrowser.signIn(2, "admin", TestBed.adminPassword(2)).orElseThrow();
            HttpResponse<String> saved = admin2.saveProfile(onB, Map.of("usermesh_protected", true));
            assertEquals(302, saved.statusCode(), "wp-admin saved the profile");
            runner.await(SOON, "protected on site2 in the API", () -> flag(api, token, "site2", email, "protected"));
            a.update(id, Map.of("first_name", "Tina"));
            runner.await(SOON, "the edit refused for site2", () -> runner.logFor(email).stream().anyMatch(r ->
                    "skipped".equals(r.status()) && r.message().contains("protected on site2")));
            assertEquals("Tia", b.byEmail(email).orElseThrow().path("first_name").asText());

            // "Sync propagation" off on site1's screen (6.1): its user's changes stay there
            WpBrowser admin1 = WpBrowser.signIn(1, "admin", TestBed.adminPassword(1)).orElseThrow();
            assertEquals(302, admin1.saveProfile(id, Map.of("usermesh_propagation_off", true)).statusCode());
            runner.await(SOON, "propagation off on site1 in the API", () ->
                    flag(api, token, "site1", email, "propagationOff"));

            // and the other way: the API clears protection on site2; its profile screen shows it
            HttpResponse<String> put = AdminApiIT.call("PUT", api + "site2/" + email + "/flags", token,
                    "{\"protected\": false}");
            assertEquals(200, put.statusCode(), put.body());
            assertEquals("written", JSON.readTree(put.body()).path("onSite").asText(), put.body());
            assertFalse(admin2.profileForm(onB).containsKey("usermesh_protected"), "site2's screen still ticks it");
            AdminApiIT.call("PUT", api + "site1/" + email + "/flags", token, "{\"protected\": true}");
            assertTrue(admin1.profileForm(id).containsKey("usermesh_protected"), "site1's screen does not tick it");
            assertTrue(admin1.profileForm(id).containsKey("usermesh_propagation_off"));
            Thread.sleep(5000); // a few polls: the site's toggles must not undo what the API set
            assertFalse(flag(api, token, "site2", email, "protected"));
            assertTrue(flag(api, token, "site1", email, "protected"));
        }
    }

    @Test
    void aBurstOfPushedChangesInBothDirectionsSettlesWithoutEcho() throws Exception {
        String secret = "whsec-" + UUID.randomUUID();
        String login = Sync.uniqueLogin("cburst");
        String email = Sync.email(login);
        String yaml = Configs.sitesYaml("  pollInterval: 1h\n", List.of(TestBed.site(1), TestBed.site(2)),
                Map.of(1, Configs.webhook(secret, TestBed.site(1)), 2, Configs.webhook(secret, TestBed.site(2))), """
                links:
                  - between: [site1, site2]
                    direction: bidirectional
                """);
        WpAdmin admin1 = WpAdmin.of(1);
        WpAdmin admin2 = WpAdmin.of(2);
        // people's application passwords: usermesh's own ("usermesh-…") push nothing
        JsonNode own1 = admin1.send("POST", "/wp-json/wp/v2/users/me/application-passwords", Map.of("name", "it-" + login));
        JsonNode own2 = admin2.send("POST", "/wp-json/wp/v2/users/me/application-passwords", Map.of("name", "it-" + login));
        WpAdmin a = admin1.withAppPassword(own1.path("password").asText());
        WpAdmin b = admin2.withAppPassword(own2.path("password").asText());
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, "", List.of("site1", "site2"), MariaDb.create(), true,
                onlyUsers(workDir, login))) {
            String hooks = "http://127.0.0.1:" + runner.httpPort() + "/hooks/";
            admin1.send("POST", "/wp-json/usermesh/v1/settings", Map.of("url", hooks + "site1", "secret", secret));
            admin2.send("POST", "/wp-json/usermesh/v1/settings", Map.of("url", hooks + "site2", "secret", secret));
            long id = a.create(login, email, Map.of()).path("id").asLong();
            runner.await(SOON, "the user on site2", () -> b.byEmail(email).isPresent());
            long onB = b.byEmail(email).orElseThrow().path("id").asLong();
            for (int i = 1; i <= 4; i++) { // no waiting: both sides change the user while deliveries run
                a.update(id, Map.of("first_name", "Ann" + i));
                b.update(onB, Map.of("description", "b" + i));
            }
            long rows = -1;
            for (int tries = 0; tries < 15 && rows != runner.logFor(email).size(); tries++) {
                rows = runner.logFor(email).size();
                Thread.sleep(4000);
            }
            Thread.sleep(6000);
            assertEquals(rows, runner.logFor(email).size(), "the audit still grows: " + runner.logFor(email));
            assertTrue(rows <= 2 * 9, "more rows than two per change: " + runner.logFor(email));
            String pushes = "SELECT COUNT(*) FROM push_event WHERE site_id = ? AND wp_user_id = ?";
            assertEquals(5, runner.count(pushes, "site1", id), "site1 pushed its own 5 changes, none of usermesh's");
            assertEquals(4, runner.count(pushes, "site2", onB), "site2 pushed its own 4 changes, none of usermesh's");
        } finally {
            admin1.send("POST", "/wp-json/usermesh/v1/settings", Map.of("url", "", "secret", ""));
            admin2.send("POST", "/wp-json/usermesh/v1/settings", Map.of("url", "", "secret", ""));
            admin1.send("DELETE", "/wp-json/wp/v2/users/me/application-passwords/" + own1.path("uuid").asText(), null);
            admin2.send("DELETE", "/wp-json/wp/v2/users/me/application-passwords/" + own2.path("uuid").asText(), null);
        }
    }

    private static boolean flag(String api, String token, String site, String email, String name) {
        try {
            HttpResponse<String> got = AdminApiIT.call("GET", api + site + "/" + email + "/flags", token, null);
            return JSON.readTree(got.body()).path(name).asBoolean();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean signsIn(int site, String login, String password) {
        try {
            return WpBrowser.signIn(site, login, password).isPresent();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored hash, read through the companion plugin as an administrator (to look for it elsewhere). */
    private static String hash(WpAdmin admin, long id) {
        return admin.send("GET", "/wp-json/usermesh/v1/users/" + id + "/password", null).path("hash").asText();
    }

    private static String meta(WpAdmin admin, long id, String key) {
        JsonNode value = admin.send("GET", "/wp-json/usermesh/v1/users/" + id + "/meta?keys=" + key, null)
                .path("meta").path(key);
        return value.isMissingNode() ? null : value.asText();
    }

    private static List<String> roles(JsonNode user) {
        List<String> roles = new ArrayList<>();
        user.path("roles").forEach(r -> roles.add(r.asText()));
        return roles;
    }

    /** Every value of every table of usermesh's database, as text. */
    static String everyValue(MariaDb db) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SHOW TABLES")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM `" + table + "`")) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            all.append(rs.getString(i)).append('\n');
                        }
                    }
                }
            }
        }
        return all.toString();
    }
}
