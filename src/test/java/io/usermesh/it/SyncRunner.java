package io.usermesh.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A usermesh runner (the real jar) over test-bed sites and a throw-away MariaDB database, with
 * the helpers sync tests need: wait for the baseline, wait for a condition, read sync_log.
 */
final class SyncRunner implements AutoCloseable {

    /** A sync_log row as tests read it. */
    record LogRow(String eventId, String source, String target, String userKey, String action, String status,
            Integer httpStatus, String message, String origin) {
    }

    private final MariaDb db;
    private final boolean ownsDb;
    private final JarProcess process;
    private final int httpPort;
    private final int managementPort;

    private SyncRunner(MariaDb db, boolean ownsDb, JarProcess process, int httpPort, int managementPort) {
        this.db = db;
        this.ownsDb = ownsDb;
        this.process = process;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /** The business server's port (webhooks, admin API). */
    int httpPort() {
        return httpPort;
    }

    /** The management server's port (health, metrics). */
    int managementPort() {
        return managementPort;
    }

    /** The runner's process, for what only the operating system knows of it (its sockets, its life). */
    Process process() {
        return process.process();
    }

    /** Starts a runner with this sites.yaml and waits until every listed site has its baseline. */
    static SyncRunner start(Path workDir, String sitesYaml, List<String> baselineSites) throws Exception {
        return start(workDir, sitesYaml, "", baselineSites, MariaDb.create(), true);
    }

    /**
     * Starts a runner on an existing database (a restart: {@code ownsDb} false keeps the database when
     * this runner is closed), with extra application.properties lines.
     */
    static SyncRunner start(Path workDir, String sitesYaml, String properties, List<String> baselineSites,
            MariaDb db, boolean ownsDb) throws Exception {
        return start(workDir, sitesYaml, properties, baselineSites, db, ownsDb,
                TestBed.projectDir().resolve("routes"));
    }

    /** Starts a runner with its own routes directory (an integrator's edited copy of routes/). */
    static SyncRunner start(Path workDir, String sitesYaml, String properties, List<String> baselineSites,
            MariaDb db, boolean ownsDb, Path routesDir) throws Exception {
        int http = freePort();
        int management = freePort();
        Path config = Configs.write(workDir, sitesYaml, "usermesh.http.port=" + http + "\n"
                + "usermesh.management.port=" + management + "\n" + properties);
        Map<String, String> env = dbEnv(db);
        JarProcess process = JarProcess.start(workDir, env, "--config-dir", config.toString(),
                "--routes-dir", routesDir.toString());
        SyncRunner runner = new SyncRunner(db, ownsDb, process, http, management);
        try {
            runner.process.awaitHttp("http://127.0.0.1:" + management + "/observe/health", 200, Duration.ofSeconds(30));
            runner.await(Duration.ofSeconds(30), "baseline of " + baselineSites,
                    () -> baselineSites.stream().allMatch(site -> runner.count(
                            "SELECT COUNT(*) FROM user_snapshot WHERE site_id = ?", site) > 0));
        } catch (Throwable e) {
            // a runner that never became ready would otherwise go on syncing the test bed for later tests
            process.close();
            throw e;
        }
        return runner;
    }

    void await(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.process().isAlive()) {
                throw new AssertionError("runner died while waiting for " + what + ":\n" + process.output());
            }
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + limit + ": " + what + "\nsync_log: " + log() + "\nrunner log:\n"
                + tail(process.output()));
    }

    List<LogRow> log() {
        List<LogRow> rows = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT event_id, source_site,"
                + " target_site, user_key, action, status, http_status, message, origin FROM sync_log ORDER BY id")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // read http_status on its own: wasNull() answers for the column read last
                    int http = rs.getInt(7);
                    Integer httpStatus = rs.wasNull() ? null : http;
                    rows.add(new LogRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), httpStatus, rs.getString(8), rs.getString(9)));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return rows;
    }

    List<LogRow> logFor(String userKey) {
        return log().stream().filter(r -> r.userKey().equalsIgnoreCase(userKey)).toList();
    }

    long count(String sql, Object... params) {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    MariaDb db() {
        return db;
    }

    String output() {
        return process.output();
    }

    private static String tail(String text) {
        return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** kill -9: no shutdown hook, no graceful stop. */
    void kill() throws InterruptedException {
        process.process().destroyForcibly();
        process.process().waitFor();
    }

    /** The environment that points a usermesh command at this runner's database. */
    Map<String, String> dbEnv() {
        return dbEnv(db);
    }

    static Map<String, String> dbEnv(MariaDb db) {
        return Map.of("USERMESH_DB_URL", db.url(), "USERMESH_DB_USER", MariaDb.USER,
                "USERMESH_DB_PASSWORD", MariaDb.PASSWORD);
    }

    @Override
    public void close() throws Exception {
        try {
            if (process.process().isAlive()) {
                process.terminate(Duration.ofSeconds(40));
            }
        } finally {
            process.close();
            if (ownsDb) {
                db.close();
            }
        }
    }

    /** Waits for the first sync_log row that matches, and returns it. */
    LogRow awaitRow(Duration limit, String what, java.util.function.Predicate<LogRow> row)
            throws InterruptedException {
        await(limit, what, () -> log().stream().anyMatch(row));
        return log().stream().filter(row).findFirst().orElseThrow();
    }

    /**
     * Sets a user's flags on a site directly in user_flag (there is no API for them yet).
     * {@code userKey} is the user's email (stored lowercase) or login.
     */
    void setUserFlags(String siteId, String userKey, boolean propagationOff, boolean isProtected) {
        String key = userKey.contains("@") ? userKey.toLowerCase(java.util.Locale.ROOT) : userKey;
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO user_flag"
                + " (site_id, user_key, propagation_off, protected, updated_at) VALUES (?, ?, ?, ?, NOW(3))"
                + " ON DUPLICATE KEY UPDATE propagation_off = VALUES(propagation_off),"
                + " protected = VALUES(protected), updated_at = VALUES(updated_at)")) {
            ps.setString(1, siteId);
            ps.setString(2, key);
            ps.setBoolean(3, propagationOff);
            ps.setBoolean(4, isProtected);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
