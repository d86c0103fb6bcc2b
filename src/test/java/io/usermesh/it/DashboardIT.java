package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET / on a running runner: the static dashboard, loaded without a token, under a policy that
 * lets it run only its own script, and acting only through /api.
 */
class DashboardIT {

    @TempDir
    Path workDir;

    @Test
    void servesTheStaticPageItsScriptAndNothingElse() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        try (SyncRunner runner = SyncRunner.start(workDir, Configs.sitesYaml(List.of(TestBed.site(1))),
                "usermesh.admin.token=" + token + "\n", List.of("site1"), MariaDb.create(), true)) {
            String base = "http://127.0.0.1:" + runner.httpPort();
            HttpResponse<String> page = JarProcess.get(base + "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
            assertTrue(page.body().contains("<script src=\"/dashboard/app.js\""), page.body());
            assertTrue(page.body().contains("id=\"token\" type=\"password\""), "it asks for the token");
            assertFalse(page.body().contains(token));

            HttpResponse<String> script = JarProcess.get(base + "/dashboard/app.js");
            assertEquals(200, script.statusCode());
            assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
            for (String call : List.of("\"/sites\"", "/check\"", "/pause\"", "/resume\"", "/sync\"", "\"/logs?\"",
                    "\"/dead-letters\"", "/replay\"", "\"/dead-letters/replay?target=\"", "\"/users?q=\"", "/flags\"",
                    "\"/activity?minutes=60\"", "\"/reconcile?dryRun=true\"", "\"/reconcile\"", "\"/alerts\"",
                    "\"/reload\"")) {
                assertTrue(script.body().contains(call), "the page calls the admin API: " + call);
            }
            assertTrue(script.body().contains("fetch(\"/api\" + path"), "and nothing but the admin API");
            assertFalse(script.body().contains("innerHTML"), "values from sites are set as text, never as HTML");
            assertEquals(200, JarProcess.get(base + "/dashboard/app.css").statusCode());
            assertEquals(404, JarProcess.get(base + "/dashboard/application.properties").statusCode());

            assertEquals(401, JarProcess.get(base + "/api/sites").statusCode(), "the data still needs the token");
        }
    }
}
