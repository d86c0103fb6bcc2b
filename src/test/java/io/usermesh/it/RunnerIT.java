package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner as a user starts it: the shipped config, the embedded H2 default, no environment. */
class RunnerIT {

    @TempDir
    Path workDir;

    @Test
    void startsOnEmbeddedDefaultAnswersHealthAndStopsOnSigterm() throws Exception {
        Path config = TestBed.projectDir().resolve("config");
        Map<String, String> env = Map.of();
        long start = System.nanoTime();
        try (JarProcess runner = JarProcess.start(workDir, env, "--config-dir", config.toString(),
                "--routes-dir", TestBed.projectDir().resolve("routes").toString())) {
            HttpResponse<String> health = runner.awaitHttp("http://127.0.0.1:9280/observe/health", 200,
                    Duration.ofSeconds(20));
            Duration startup = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(health.body().contains("UP"), health.body());
            assertTrue(startup.compareTo(Duration.ofSeconds(20)) < 0, "started in " + startup);

            HttpResponse<String> metrics = runner.awaitHttp("http://127.0.0.1:9280/observe/metrics", 200,
                    Duration.ofSeconds(5));
            assertTrue(metrics.body().contains("# TYPE"), "prometheus text format expected");

            // the shipped config points at test-bed addresses; unreachable or not, start-up never fails on a site
            assertTrue(Files.exists(workDir.resolve("data/usermesh.mv.db")), "H2 file under ./data");

            Duration stop = runner.terminate(Duration.ofSeconds(35));
            assertTrue(stop.compareTo(Duration.ofSeconds(30)) < 0, "stopped in " + stop);
            String log = runner.output();
            assertTrue(log.contains("(usermesh) shutdown"), "graceful Camel shutdown logged:\n" + log);
            assertFalse(log.contains("Exception in thread"), log);
        }
    }
}
