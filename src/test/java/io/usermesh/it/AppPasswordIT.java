package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code usermesh app-password} on a real site: one login with the admin password, a working application password. */
class AppPasswordIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String CHUNKED = "([A-Za-z0-9]{4} ){5}[A-Za-z0-9]{4}";

    @TempDir
    Path workDir;

    @Test
    void createsAWorkingApplicationPasswordAndShowsNoPassword() throws Exception {
        TestBed.WpSite site = TestBed.site(1);
        String admin = TestBed.adminPassword(1);
        String tag = "usermesh-it-" + UUID.randomUUID().toString().substring(0, 6);
        Path config = Configs.write(workDir, Configs.sitesYaml(List.of(site)), "");
        Path file = workDir.resolve("site1.app-password");
        try {
            JarProcess.Result toFile = appPassword(config, admin + "\n", "site1", "--out", file.toString(),
                    "--name", tag);
            assertEquals(0, toFile.exitCode(), toFile.output());
            String written = Files.readString(file);
            assertTrue(written.matches(CHUNKED), "as WordPress shows it, six groups of four: " + written.length());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertTrue(toFile.output().contains("applicationPassword: ${file:" + file.toAbsolutePath() + "}"),
                    toFile.output());
            assertEquals(200, me(site, written).statusCode(), "the new application password logs in");
            assertTrue(me(site, written).body().contains("\"administrator\""));

            JarProcess.Result printed = appPassword(config, admin + "\n", "site1", "--name", tag + "-b");
            assertEquals(0, printed.exitCode(), printed.output());
            List<String> passwords = printed.output().lines().filter(l -> l.matches(CHUNKED)).toList();
            assertEquals(1, passwords.size(), printed.output());
            assertEquals(200, me(site, passwords.get(0)).statusCode());

            JarProcess.Result duplicate = appPassword(config, admin + "\n", "site1", "--name", tag);
            assertEquals(1, duplicate.exitCode(), duplicate.output());
            assertTrue(duplicate.output().contains("named \"" + tag + "\" exists already"), duplicate.output());

            String wrong = "not-" + admin;
            JarProcess.Result refused = appPassword(config, wrong + "\n", "site1", "--name", tag + "-c");
            assertEquals(1, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("site1: login as admin on " + site.url()
                    + " failed: wrong username or password"), refused.output());

            JarProcess.Result unknown = appPassword(config, admin + "\n", "nosuch");
            assertEquals(2, unknown.exitCode(), unknown.output());

            for (JarProcess.Result r : List.of(toFile, printed, duplicate, refused, unknown)) {
                assertFalse(r.output().contains(admin), "the admin password is never printed");
            }
            assertFalse(refused.output().contains(wrong));
            assertFalse(toFile.output().contains(written), "with --out the application password goes only to the file");
        } finally {
            TestBed.php(1, "foreach (WP_Application_Passwords::get_user_application_passwords(1) as $p) {"
                    + " if (strpos($p['name'], '" + tag + "') === 0) {"
                    + " WP_Application_Passwords::delete_application_password(1, $p['uuid']); } }");
        }
    }

    /**
     * The first run: sites.yaml already names the file the application password will be in, and the
     * file does not exist yet. app-password still works, writes it there, and check then logs in with it.
     */
    @Test
    void worksBeforeTheApplicationPasswordItMakesExistsAndCheckThenPasses() throws Exception {
        TestBed.WpSite site = TestBed.site(1);
        String tag = "usermesh-it-" + UUID.randomUUID().toString().substring(0, 6);
        Path file = workDir.resolve("site1-first.app-password");
        String yaml = Configs.sitesYaml(List.of(site)).replace("applicationPassword: \"" + site.appPassword() + "\"",
                "applicationPassword: ${file:" + file + "}");
        Path config = Configs.write(workDir, yaml, "");
        try {
            JarProcess.Result check = JarProcess.run(workDir, Map.of(), Duration.ofSeconds(60), "check",
                    "--config-dir", config.toString());
            assertEquals(2, check.exitCode(), "the password is not there yet: " + check.output());

            JarProcess.Result made = appPassword(config, TestBed.adminPassword(1) + "\n", "site1", "--out",
                    file.toString(), "--name", tag);
            assertEquals(0, made.exitCode(), made.output());
            check = JarProcess.run(workDir, Map.of(), Duration.ofSeconds(60), "check", "--config-dir",
                    config.toString());
            assertEquals(0, check.exitCode(), check.output());
            assertFalse(check.output().contains(Files.readString(file)), "check never shows the password");
        } finally {
            TestBed.php(1, "foreach (WP_Application_Passwords::get_user_application_passwords(1) as $p) {"
                    + " if (strpos($p['name'], '" + tag + "') === 0) {"
                    + " WP_Application_Passwords::delete_application_password(1, $p['uuid']); } }");
        }
    }

    /**
     * {@code app-password --rotate} under a running runner: a new password, verified, written to the file
     * sites.yaml reads it from, the old one revoked by its uuid; the runner reads the file again and goes on
     * polling site1 with the new one, without a restart.
     */
    @Test
    void rotatesThePasswordARunningRunnerUsesWithoutARestart() throws Exception {
        TestBed.WpSite site = TestBed.site(1);
        String tag = "usermesh-it-" + UUID.randomUUID().toString().substring(0, 6);
        Path file = workDir.resolve("site1-rotated.app-password");
        try {
            Path first = Configs.write(workDir.resolve("first"), Configs.sitesYaml(List.of(site)), "");
            JarProcess.Result made = appPassword(first, TestBed.adminPassword(1) + "\n", "site1", "--out",
                    file.toString(), "--name", tag);
            assertEquals(0, made.exitCode(), made.output());
            String old = Files.readString(file);
            String yaml = Configs.pushSite1ToSite2("2s").replace("applicationPassword: \"" + site.appPassword()
                    + "\"", "applicationPassword: ${file:" + file + "}");
            try (SyncRunner runner = SyncRunner.start(workDir, yaml, "", List.of("site1"), MariaDb.create(), true)) {
                JarProcess.Result rotated = JarProcess.run(workDir, Map.of(), Duration.ofSeconds(90), "app-password",
                        "--rotate", "--site", "site1", "--grace", "8", "--name", tag, "--config-dir",
                        workDir.resolve("config").toString());
                assertEquals(0, rotated.exitCode(), rotated.output());
                String fresh = Files.readString(file);
                assertTrue(fresh.matches(CHUNKED) && !fresh.equals(old), "a new password in the file");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                assertEquals(200, me(site, fresh).statusCode(), "the new one logs in");
                assertEquals(401, me(site, old).statusCode(), "the old one is revoked");
                assertEquals("1", TestBed.php(1, "$n = 0; foreach (WP_Application_Passwords::"
                        + "get_user_application_passwords(1) as $p) { if (strpos($p['name'], '" + tag + "') === 0) {"
                        + " $n++; } } echo $n;").trim(), "exactly one application password of this name is left");
                assertTrue(rotated.output().contains("revoked"), rotated.output());
                assertFalse(rotated.output().contains(fresh) || rotated.output().contains(old), "no password shown");

                String login = Sync.uniqueLogin("rotated");
                WpAdmin.of(1).create(login, Sync.email(login), Map.of());
                runner.await(Duration.ofSeconds(60), "a user made after the rotation, polled from site1 with the"
                        + " new password", () -> WpAdmin.of(2).byEmail(Sync.email(login)).isPresent());
                assertTrue(runner.output().contains("sites.yaml reloaded (file changed)"), "read without a restart");
                assertFalse(runner.output().contains(fresh), "the runner never logs the password");
            }
        } finally {
            TestBed.php(1, "foreach (WP_Application_Passwords::get_user_application_passwords(1) as $p) {"
                    + " if (strpos($p['name'], '" + tag + "') === 0) {"
                    + " WP_Application_Passwords::delete_application_password(1, $p['uuid']); } }");
        }
    }

    private JarProcess.Result appPassword(Path config, String stdin, String siteId, String... options)
            throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("app-password", "--config-dir", config.toString(),
                "--site", siteId, "--username", "admin"));
        args.addAll(List.of(options));
        return JarProcess.runWithInput(workDir, Map.of(), Duration.ofSeconds(60), stdin, args.toArray(String[]::new));
    }

    private static HttpResponse<String> me(TestBed.WpSite site, String appPassword) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("admin:" + appPassword).getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(site.url() + "/wp-json/wp/v2/users/me?context=edit"))
                .header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
