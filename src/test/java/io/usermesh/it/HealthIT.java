package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On MariaDB, /observe/health follows the database: DOWN while it cannot be reached, UP again after. */
class HealthIT {

    @TempDir
    Path workDir;

    @Test
    void healthIsDownWhileDatabaseIsUnreachable() throws Exception {
        try (MariaDb mariaDb = MariaDb.create()) {
            TcpProxy proxy = new TcpProxy(3306);
            Path config = Configs.write(workDir, "sites: []\nlinks: []\n",
                    "usermesh.management.port=9281\nusermesh.http.port=8281\n");
            Map<String, String> env = Map.of("USERMESH_DB_URL", mariaDb.urlVia(proxy.port()),
                    "USERMESH_DB_USER", MariaDb.USER, "USERMESH_DB_PASSWORD", MariaDb.PASSWORD);
            try (JarProcess runner = JarProcess.start(workDir, env, "--config-dir", config.toString())) {
                String health = "http://127.0.0.1:9281/observe/health";
                runner.awaitHttp(health, 200, Duration.ofSeconds(30));

                proxy.close();
                HttpResponse<String> down = runner.awaitHttp(health, 503, Duration.ofSeconds(60));
                assertTrue(down.body().contains("DOWN"), down.body());
                assertTrue(down.body().contains("database"), down.body());

                try (TcpProxy back = new TcpProxy(3306, proxy.port())) {
                    runner.awaitHttp(health, 200, Duration.ofSeconds(60));
                    runner.terminate(Duration.ofSeconds(35));
                }
            } finally {
                proxy.close();
            }
        }
    }
}
