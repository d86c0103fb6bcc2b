package io.usermesh.it;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The real WordPress sites started by testbed/wordpress.sh, read from the state file it writes.
 * Integration tests fail (not skip) when the test bed is not up: testbed/test-all.sh starts it.
 */
public final class TestBed {

    public record WpSite(int index, String url, String user, String appPassword, String database) {
    }

    private TestBed() {
    }

    public static Path projectDir() {
        return Path.of("").toAbsolutePath();
    }

    public static Path stateDir() {
        String dir = System.getenv("USERMESH_TESTBED_DIR");
        return dir == null || dir.isBlank() ? projectDir().resolve("testbed/run") : Path.of(dir);
    }

    public static List<WpSite> sites() {
        Properties p = state();
        int count = Integer.parseInt(p.getProperty("TESTBED_SITES", "0"));
        List<WpSite> sites = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String prefix = "TESTBED_SITE" + i + "_";
            sites.add(new WpSite(i, p.getProperty(prefix + "URL"), p.getProperty(prefix + "USER"),
                    p.getProperty(prefix + "APP_PASSWORD"), p.getProperty(prefix + "DB")));
        }
        return sites;
    }

    /**
     * Test-bed site {@code index} as tests number them. USERMESH_IT_SITE_OFFSET shifts the numbering
     * (offset 3: site 1 is test-bed site 4) so that two test runs on one machine use separate sites:
     * every runner syncs whatever changes on the sites it watches.
     */
    public static WpSite site(int index) {
        int bed = bedIndex(index);
        List<WpSite> all = sites();
        if (bed > all.size()) {
            throw new IllegalStateException("test bed has " + all.size() + " sites, test needs site " + bed);
        }
        WpSite site = all.get(bed - 1);
        return new WpSite(index, site.url(), site.user(), site.appPassword(), site.database());
    }

    /** The password of site {@code index}'s admin login (for what only a real login can do). */
    public static String adminPassword(int index) {
        return state().getProperty("TESTBED_SITE" + bedIndex(index) + "_ADMIN_PASSWORD");
    }

    private static Properties state() {
        Path file = stateDir().resolve("sites.env");
        if (!Files.exists(file)) {
            throw new IllegalStateException("no WordPress test bed: " + file
                    + " is missing; start it with testbed/wordpress.sh up 3 (testbed/test-all.sh does)");
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            p.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return p;
    }

    /** The test-bed number of the site tests call {@code index}. */
    public static int bedIndex(int index) {
        String offset = System.getenv("USERMESH_IT_SITE_OFFSET");
        return index + (offset == null || offset.isBlank() ? 0 : Integer.parseInt(offset));
    }

    /** Stops or starts the PHP server of site {@code index}, as testbed/wordpress.sh stop-site / start-site. */
    public static void server(String command, int index) {
        try {
            Process p = new ProcessBuilder("bash", projectDir().resolve("testbed/wordpress.sh").toString(), command,
                    String.valueOf(bedIndex(index))).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(command + " " + index + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(command + " " + index + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs PHP code inside WordPress of site {@code index} (wp-load.php with that site's Host, as
     * testbed/site-tool.php does) and returns what it printed: for what the REST API cannot do,
     * e.g. adding a role to one site only (testbed/mu-plugins/ would load on every site).
     */
    public static String php(int index, String code) {
        java.net.URI url = java.net.URI.create(site(index).url());
        String script = "<?php\n"
                + "$_SERVER['HTTP_HOST'] = '" + url.getHost() + "';\n"
                + "$_SERVER['SERVER_NAME'] = '" + url.getHost() + "';\n"
                + "$_SERVER['SERVER_PORT'] = '" + url.getPort() + "';\n"
                + "$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';\n"
                + "$_SERVER['REQUEST_METHOD'] = 'GET';\n"
                + "$_SERVER['REQUEST_URI'] = '/';\n"
                + "$_SERVER['SCRIPT_NAME'] = '/index.php';\n"
                + "$_SERVER['PHP_SELF'] = '/index.php';\n"
                + "require '/usr/share/wordpress/wp-load.php';\n"
                + code + "\n";
        try {
            Path file = Files.createTempFile("usermesh-it-", ".php");
            try {
                Files.writeString(file, script);
                Process p = new ProcessBuilder("php", "-d", "display_errors=stderr", "-d",
                        "error_reporting=E_ALL & ~E_DEPRECATED & ~E_NOTICE", file.toString())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("php on site " + index + " failed: " + out);
                }
                return out;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new IllegalStateException("php on site " + index + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
