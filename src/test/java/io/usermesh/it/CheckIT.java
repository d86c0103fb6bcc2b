package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.it.TestBed.WpSite;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code usermesh check} against real test-bed WordPress sites. */
class CheckIT {

    @TempDir
    Path workDir;

    @Test
    void allThreeTestBedSitesPass() throws Exception {
        List<WpSite> sites = TestBed.sites().subList(0, 3);
        Path config = Configs.write(workDir, Configs.sitesYaml(sites), "usermesh.wp.connectTimeout=3s\n");

        JarProcess.Result result = JarProcess.run(workDir, Map.of(), Duration.ofSeconds(60),
                "check", "--config-dir", config.toString());

        assertEquals(0, result.exitCode(), result.output());
        for (WpSite site : sites) {
            String row = rowOf(result.output(), "site" + site.index());
            assertTrue(row.contains(site.url()) && row.endsWith("PASS"), row);
            // the test bed runs the companion on every site but 3 (testbed/README.md)
            assertTrue(row.contains(site.index() % 3 == 0 ? "absent" : "0.3.0, push off, password, meta, flags, changes"),
                    "companion plugin: " + row);
        }
        assertTrue(result.output().contains("3 site(s) passed"), result.output());
    }

    @Test
    void wrongApplicationPasswordNamesSiteAndReasonWithoutThePassword() throws Exception {
        List<WpSite> sites = new ArrayList<>(TestBed.sites().subList(0, 2));
        String wrong = "zzzz Wrong Pass word 1234 abcd";
        WpSite second = sites.get(1);
        sites.set(1, new WpSite(second.index(), second.url(), second.user(), wrong, second.database()));
        Path config = Configs.write(workDir, Configs.sitesYaml(sites), "");

        JarProcess.Result result = JarProcess.run(workDir, Map.of(), Duration.ofSeconds(60),
                "check", "--config-dir", config.toString());

        assertEquals(1, result.exitCode(), result.output());
        assertTrue(rowOf(result.output(), "site1").endsWith("PASS"), result.output());
        String failed = rowOf(result.output(), "site2");
        assertTrue(failed.contains("FAIL: 401 bad credentials"), failed);
        assertFalse(result.output().contains(wrong), "password leaked:\n" + result.output());
        assertFalse(result.output().contains("Wrong Pass"), "password leaked:\n" + result.output());
    }

    /** An application password of an editor signs in, but cannot manage users: check names what it lacks. */
    @Test
    void anEditorsApplicationPasswordFailsNamingTheMissingCapabilities() throws Exception {
        WpAdmin admin = WpAdmin.of(1);
        String login = "editor-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        long editor = admin.create(login, login + "@example.test", Map.of("roles", List.of("editor"))).path("id")
                .asLong();
        try {
            String password = admin.send("POST", "/wp-json/wp/v2/users/" + editor + "/application-passwords",
                    Map.of("name", "usermesh-check-it")).path("password").asText();
            WpSite first = TestBed.site(1);
            Path config = Configs.write(workDir, Configs.sitesYaml(List.of(new WpSite(first.index(), first.url(),
                    login, password, first.database()))), "");

            JarProcess.Result result = JarProcess.run(workDir, Map.of(), Duration.ofSeconds(60),
                    "check", "--config-dir", config.toString());

            assertEquals(1, result.exitCode(), result.output());
            String row = rowOf(result.output(), "site1");
            assertTrue(row.contains("FAIL") && row.contains("user " + login + " lacks capabilities create_users,"
                    + " edit_users, delete_users, list_users"), row);
            assertFalse(result.output().contains(password), "password leaked:\n" + result.output());
        } finally {
            admin.delete(editor);
        }
    }

    /**
     * A listener whose accept queue is full drops new SYNs, so a connect hangs as it does for a
     * firewalled host, while every packet stays on loopback.
     */
    @Test
    void unreachableSiteFailsWithinConnectTimeout() throws Exception {
        try (ServerSocket blackhole = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = fillAcceptQueue(blackhole.getLocalPort());
            try {
                String url = "http://127.0.0.1:" + blackhole.getLocalPort();
                WpSite dead = new WpSite(9, url, "admin", "aaaa bbbb cccc dddd", "none");
                Path config = Configs.write(workDir, Configs.sitesYaml(List.of(dead)),
                        "usermesh.wp.connectTimeout=2s\n");

                JarProcess.Result result = JarProcess.run(workDir, Map.of(), Duration.ofSeconds(60),
                        "check", "--config-dir", config.toString());

                assertEquals(1, result.exitCode(), result.output());
                String row = rowOf(result.output(), "site9");
                assertTrue(row.contains("FAIL: unreachable: connect timed out"), row);
                // JVM start plus one 2 s connect attempt; a missing timeout would hang far longer
                assertTrue(result.took().compareTo(Duration.ofSeconds(15)) < 0, "took " + result.took());
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void badConfigurationStopsTheJarWithExitTwo() throws Exception {
        Path config = Configs.write(workDir, "sites:\n  - id: shop\n    url: http://127.0.0.2:8081\n"
                + "    username: admin\nlinks:\n  - between: [shop, blgo]\n", "");

        JarProcess.Result result = JarProcess.run(workDir, Map.of(), Duration.ofSeconds(60),
                "check", "--config-dir", config.toString());

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.output().contains(config.resolve("sites.yaml") + ":6: links[0].between[1]: unknown site 'blgo'"),
                result.output());
    }

    private static List<Socket> fillAcceptQueue(int port) {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
                sockets.add(socket);
            } catch (Exception full) {
                break;
            }
        }
        return sockets;
    }

    private static String rowOf(String output, String siteId) {
        return output.lines().filter(l -> l.startsWith(siteId + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + siteId + " in:\n" + output)).strip();
    }
}
