package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sites.yaml edited under a running runner, on real sites: a site and a link added while it runs get
 * their routes and sync without a restart; a broken edit is refused with file:line (log, GET and POST
 * /api/reload) while the runner keeps syncing on the running config; a site removed with changes queued
 * for it keeps them in the outbox, reported, and they are delivered when the site comes back.
 */
class ReloadIT {

    private static final String LINK_1_TO_2 = """
              - between: [site1, site2]
                direction: push
            """;
    private static final String LINK_1_TO_3 = """
              - between: [site1, site3]
                direction: push
            """;

    @TempDir
    Path workDir;

    private static String yaml(List<Integer> sites, String links) {
        return Configs.sitesYaml("  pollInterval: 2s\n", sites.stream().map(TestBed::site).toList(),
                "links:\n" + links);
    }

    @Test
    void sitesAndLinksAddedRemovedOrBrokenWhileRunning() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        WpAdmin a = WpAdmin.of(1);
        WpAdmin c = WpAdmin.of(3);
        try (SyncRunner runner = SyncRunner.start(workDir, yaml(List.of(1, 2), LINK_1_TO_2),
                "usermesh.admin.token=" + token + "\n", List.of("site1"), MariaDb.create(), true)) {
            Path sitesFile = workDir.resolve("config/sites.yaml");
            String api = "http://127.0.0.1:" + runner.httpPort() + "/api";

            // 1. a third site and a link to it, added while the runner runs
            String three = yaml(List.of(1, 2, 3), LINK_1_TO_2 + LINK_1_TO_3);
            JsonNode applied = awaitReload(runner, api, token, "applied", () -> Files.writeString(sitesFile, three));
            assertEquals("[\"site3\"]", applied.path("added").toString(), applied.toString());
            String login = Sync.uniqueLogin("reload");
            a.create(login, Sync.email(login), Map.of("first_name", "Rea"));
            runner.await(Duration.ofSeconds(60), "the user on the added site3",
                    () -> c.byEmail(Sync.email(login)).isPresent());
            assertEquals(3, AdminApiIT.JSON.readTree(AdminApiIT.call("GET", api + "/sites", token, null).body())
                    .size(), "GET /api/sites lists the added site");

            // 2. a broken edit: refused with file:line, the running config stays and keeps syncing
            String broken = three.replace("url: " + TestBed.site(3).url(), "url: ftp//nowhere");
            int line = lineOf(broken, "ftp//nowhere");
            JsonNode refused = awaitReload(runner, api, token, "refused", () -> Files.writeString(sitesFile, broken));
            String where = "sites.yaml:" + line + ": sites[2].url";
            assertTrue(refused.path("error").asText().contains(where), where + " in " + refused);
            assertTrue(runner.output().contains(where), "the log names file:line: " + where);
            HttpResponse<String> onDemand = AdminApiIT.call("POST", api + "/reload", token, null);
            assertEquals(422, onDemand.statusCode(), onDemand.body());
            assertTrue(onDemand.body().contains(where), onDemand.body());
            String after = Sync.uniqueLogin("reload");
            a.create(after, Sync.email(after), Map.of("first_name", "Ria"));
            runner.await(Duration.ofSeconds(60), "a user made after the refused edit, on site3",
                    () -> c.byEmail(Sync.email(after)).isPresent());

            // 3. site3 removed while a change waits for it (site3 paused): the change stays queued
            assertEquals(200, AdminApiIT.call("POST", api + "/sites/site3/pause", token, null).statusCode());
            String waiting = Sync.uniqueLogin("reload");
            a.create(waiting, Sync.email(waiting), Map.of("first_name", "Wai"));
            runner.await(Duration.ofSeconds(60), "a change queued for the paused site3", () -> runner.count(
                    "SELECT COUNT(*) FROM outbox WHERE target_site = 'site3' AND status = 'pending'") == 1);
            JsonNode removed = awaitReload(runner, api, token, "applied",
                    () -> Files.writeString(sitesFile, yaml(List.of(1, 2), LINK_1_TO_2)));
            assertEquals("[\"site3\"]", removed.path("removed").toString(), removed.toString());
            assertEquals(1, removed.path("queuedForRemoved").path("site3").asLong(), removed.toString());
            assertEquals(1, runner.count("SELECT COUNT(*) FROM outbox WHERE target_site = 'site3'"
                    + " AND status = 'pending'"), "nothing queued for the removed site is lost");

            // ... and delivered when site3 is back and resumed
            assertEquals("[\"site3\"]", awaitReload(runner, api, token, "applied",
                    () -> Files.writeString(sitesFile, three)).path("added").toString());
            assertEquals(200, AdminApiIT.call("POST", api + "/sites/site3/resume", token, null).statusCode());
            runner.await(Duration.ofSeconds(60), "the queued change on site3 once it is back",
                    () -> c.byEmail(Sync.email(waiting)).isPresent());
        }
    }

    /** Makes the edit, then waits for GET /api/reload to report a reload newer than before it, with this status. */
    private static JsonNode awaitReload(SyncRunner runner, String api, String token, String status,
            java.util.concurrent.Callable<?> edit) throws Exception {
        JsonNode[] seen = new JsonNode[1];
        String before = reloadState(api, token).path("at").asText();
        edit.call();
        runner.await(Duration.ofSeconds(20), "a reload with status " + status, () -> {
            try {
                seen[0] = reloadState(api, token);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return !seen[0].path("at").asText().equals(before) && status.equals(seen[0].path("status").asText());
        });
        return seen[0];
    }

    private static JsonNode reloadState(String api, String token) throws Exception {
        HttpResponse<String> r = AdminApiIT.call("GET", api + "/reload", token, null);
        assertEquals(200, r.statusCode(), r.body());
        return AdminApiIT.JSON.readTree(r.body());
    }

    private static int lineOf(String text, String fragment) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(fragment)) {
                return i + 1;
            }
        }
        throw new AssertionError(fragment + " not in the file");
    }
}
