package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default opens nothing to others: with the business server published on every
 * interface, the runner's other listeners (management, H2's server for the CLI) bind to loopback,
 * the H2 server refuses sa without the password, and data/ and its files are the owner's only.
 */
class EmbeddedDefaultIT {

    @TempDir
    Path workDir;

    @Test
    void opensNothingBeyondLoopbackButTheBusinessServerAndKeepsItsFilesToItself() throws Exception {
        int http = SyncRunner.freePort();
        int management = SyncRunner.freePort();
        String sites = Files.readString(TestBed.projectDir().resolve("config/sites.yaml"));
        Path config = Configs.write(workDir, sites, "usermesh.http.host=0.0.0.0\nusermesh.http.port=" + http
                + "\nusermesh.management.port=" + management + "\n");
        try (JarProcess runner = JarProcess.start(workDir, Map.of(), "--config-dir", config.toString())) {
            runner.awaitHttp("http://127.0.0.1:" + management + "/observe/health", 200, Duration.ofSeconds(30));

            List<String> listeners = listeners(runner.process().pid());
            assertTrue(listeners.contains("*:" + http) || listeners.contains("0.0.0.0:" + http), listeners.toString());
            assertTrue(listeners.contains("127.0.0.1:" + management)
                    || listeners.contains("[::ffff:127.0.0.1]:" + management), listeners.toString());
            for (String listener : listeners) {
                if (!listener.endsWith(":" + http)) {
                    assertTrue(listener.startsWith("127.0.0.1:") || listener.startsWith("[::ffff:127.0.0.1]:"),
                            "a listener beyond loopback: " + listener + " of " + listeners);
                }
            }
            assertTrue(listeners.size() >= 3, "H2's server for the CLI listens too: " + listeners);

            Path data = workDir.resolve("data");
            String url = "jdbc:h2:file:" + data.resolve("usermesh")
                    + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE";
            SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "sa", "")
                    .close(), "sa with an empty password");
            assertTrue(refused.getMessage().contains("password"), refused.getMessage());
            String password = Files.readString(data.resolve("db.password")).trim();
            try (Connection c = DriverManager.getConnection(url, "sa", password)) {
                assertTrue(c.createStatement().executeQuery("SELECT COUNT(*) FROM sync_log").next(),
                        "the same server answers with the password");
            }

            JarProcess.Result logs = JarProcess.run(workDir, Map.of(), Duration.ofSeconds(60), "logs",
                    "--config-dir", config.toString());
            assertEquals(0, logs.exitCode(), "the CLI reads the running runner's database:\n" + logs.output());

            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
            try (Stream<Path> files = Files.list(data)) {
                for (Path file : files.toList()) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                            file.toString());
                }
            }
            runner.terminate(Duration.ofSeconds(35));
        }
    }

    /** The TCP listeners of a process, as "address:port", from ss. */
    static List<String> listeners(long pid) throws Exception {
        Process ss = new ProcessBuilder("ss", "-Hltnp").redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes());
        ss.waitFor();
        return out.lines().filter(line -> line.contains("pid=" + pid + ","))
                .map(line -> line.trim().split("\\s+")[3]).toList();
    }
}
