package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code usermesh sync --site ID [--user X] [--to ID]} on real sites, without a running runner. */
class SyncCommandIT {

    @TempDir
    Path workDir;

    @Test
    void syncsOneUserNowAndLeavesTheOthers() throws Exception {
        WpAdmin site1 = WpAdmin.of(1);
        WpAdmin site2 = WpAdmin.of(2);
        String tag = "sync" + UUID.randomUUID().toString().substring(0, 6);
        String ann = tag + "-ann@example.test";
        String bob = tag + "-bob@example.test";
        for (String email : List.of(ann, bob)) {
            String login = email.substring(0, email.indexOf('@'));
            site1.create(login, email, Map.of("first_name", "Right"));
            site2.create(login, email, Map.of("first_name", "Wrong"));
        }
        Path config = Configs.write(workDir, Configs.sitesYaml("", List.of(TestBed.site(1), TestBed.site(2),
                TestBed.site(3)), ResilienceIT.PUSH), "");
        try (MariaDb db = MariaDb.create()) {
            Map<String, String> env = SyncRunner.dbEnv(db);

            JarProcess.Result dry = sync(env, config, "--site", "site1", "--to", "site2", "--user", ann, "--dry-run");
            assertEquals(0, dry.exitCode(), dry.output());
            assertTrue(dry.output().contains("site2  update  " + ann + "  (profile)  from site1"), dry.output());
            assertEquals("Wrong", firstName(site2, ann), "a dry run changes nothing");

            JarProcess.Result done = sync(env, config, "--site", "site1", "--user", ann);
            assertEquals(0, done.exitCode(), done.output());
            assertTrue(done.output().contains("applied 1 of 1 change(s)"), done.output());
            assertEquals("Right", firstName(site2, ann));
            assertEquals("Wrong", firstName(site2, bob), "only the named user is synced");
            assertEquals("Right", firstName(site1, ann), "the source is not written");

            JarProcess.Result again = sync(env, config, "--site", "site1", "--user", ann);
            assertEquals(0, again.exitCode(), again.output());
            assertTrue(again.output().contains("nothing to change"), again.output());

            assertEquals(2, sync(env, config, "--site", "nosuch").exitCode());
            assertEquals(2, sync(env, config, "--site", "site1", "--to", "site1").exitCode());
            JarProcess.Result unlinked = sync(env, config, "--site", "site1", "--to", "site3", "--user", bob);
            assertEquals(0, unlinked.exitCode(), unlinked.output());
            assertTrue(unlinked.output().contains("no active link with site3"), unlinked.output());
            assertEquals("Wrong", firstName(site2, bob));
        }
    }

    private JarProcess.Result sync(Map<String, String> env, Path config, String... options) throws Exception {
        String[] args = new String[options.length + 3];
        args[0] = "sync";
        args[1] = "--config-dir";
        args[2] = config.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return JarProcess.run(workDir, env, Duration.ofMinutes(3), args);
    }

    private static String firstName(WpAdmin site, String email) {
        return site.byEmail(email).orElseThrow().path("first_name").asText();
    }
}
