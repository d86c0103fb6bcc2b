package io.usermesh.it;

import io.usermesh.testing.TestSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Secret;
import io.usermesh.storage.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same migrations create every contract table on MariaDB and on the embedded H2 default. */
class MigrationsIT {

    static final List<String> TABLES = List.of("sync_log", "user_link", "user_snapshot", "camel_messageprocessed",
            "dead_letter", "user_flag", "outbox", "site_pause", "push_event", "qrtz_job_details", "qrtz_triggers", "qrtz_cron_triggers",
            "qrtz_simple_triggers", "qrtz_fired_triggers", "qrtz_scheduler_state", "qrtz_locks", "alert", "poll_cursor");

    static final int MIGRATIONS = 7;

    @TempDir
    Path dataDir;

    @Test
    void migratesMariaDb() throws Exception {
        try (MariaDb mariaDb = MariaDb.create();
                Database db = Database.open(TestSettings.withDb(mariaDb.url(), MariaDb.USER,
                        Secret.of(MariaDb.PASSWORD), dataDir))) {
            assertEquals(MIGRATIONS, db.migrate().migrationsExecuted);
            assertEquals(0, db.migrate().migrationsExecuted, "second start applies nothing");
            assertTablesAndIndexes(db);
        }
    }

    @Test
    void pushDeliveriesStoredTwiceBeforeV5KeepTheirFirstRowOnMariaDb() throws Exception {
        try (MariaDb mariaDb = MariaDb.create();
                Database db = Database.open(TestSettings.withDb(mariaDb.url(), MariaDb.USER,
                        Secret.of(MariaDb.PASSWORD), dataDir))) {
            assertDuplicateDeliveriesMergedByV5(db);
        }
    }

    @Test
    void pushDeliveriesStoredTwiceBeforeV5KeepTheirFirstRowOnH2() throws Exception {
        try (Database db = Database.open(TestSettings.withDb("", "", Secret.EMPTY, dataDir))) {
            assertDuplicateDeliveriesMergedByV5(db);
        }
    }

    @Test
    void migratesEmbeddedH2() throws Exception {
        try (Database db = Database.open(TestSettings.withDb("", "", Secret.EMPTY, dataDir))) {
            assertTrue(db.isEmbedded());
            assertEquals(MIGRATIONS, db.migrate().migrationsExecuted);
            assertEquals(0, db.migrate().migrationsExecuted, "second start applies nothing");
            assertTablesAndIndexes(db);
        }
        assertTrue(dataDir.resolve("usermesh.mv.db").toFile().exists());
    }

    private static void assertTablesAndIndexes(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            Set<String> tables = new TreeSet<>();
            try (ResultSet rs = meta.getTables(c.getCatalog(), null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
            assertTrue(tables.containsAll(TABLES), "tables: " + tables);
            Set<String> indexes = new TreeSet<>();
            try (ResultSet rs = meta.getIndexInfo(c.getCatalog(), null, tableName(meta, "sync_log"), false, false)) {
                while (rs.next()) {
                    if (rs.getString("INDEX_NAME") != null) {
                        indexes.add(rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
            assertTrue(indexes.containsAll(Set.of("ix_sync_log_time", "ix_sync_log_target", "ix_sync_log_status",
                    "ix_sync_log_user")), "sync_log indexes: " + indexes);
            // a row goes in and comes out: the column types work on this database
            c.createStatement().executeUpdate("INSERT INTO sync_log (logged_at, event_id, source_site, target_site,"
                    + " user_key, action, status, http_status, message, duration_ms, origin) VALUES"
                    + " (CURRENT_TIMESTAMP(3), 'e1', 'shop', 'blog', 'ann@example.com', 'create', 'success', 201,"
                    + " 'created', 12, 'poll')");
            try (ResultSet rs = c.createStatement().executeQuery("SELECT status, http_status FROM sync_log")) {
                assertTrue(rs.next());
                assertEquals("success", rs.getString(1));
                assertEquals(201, rs.getInt(2));
            }
        }
    }

    /** A database at V4 with a delivery stored twice (replays were not refused then) migrates to V5. */
    private static void assertDuplicateDeliveriesMergedByV5(Database db) throws Exception {
        Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").target("4").load()
                .migrate();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String row : List.of("'site1', 'd1'", "'site1', 'd1'", "'site1', 'd2'", "'site2', 'd1'",
                    "'site1', NULL", "'site1', NULL")) {
                s.executeUpdate("INSERT INTO push_event (received_at, site_id, wp_user_id, topic, delivery_id, status,"
                        + " attempts, next_attempt_at, updated_at) VALUES (CURRENT_TIMESTAMP(3), " + row.split(", ")[0]
                        + ", 7, 'customer.updated', " + row.split(", ")[1] + ", 'done', 0, CURRENT_TIMESTAMP(3),"
                        + " CURRENT_TIMESTAMP(3))");
            }
            assertEquals(MIGRATIONS - 4, db.migrate().migrationsExecuted, "V5 and what came after it");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), MIN(id) FROM push_event WHERE site_id = 'site1'"
                    + " AND delivery_id = 'd1'")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1), "the delivery stored once");
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM push_event")) {
                assertTrue(rs.next());
                assertEquals(5, rs.getInt(1), "other sites' and unnamed deliveries stay");
            }
            assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO push_event (received_at, site_id,"
                    + " wp_user_id, topic, delivery_id, status, attempts, next_attempt_at, updated_at) VALUES"
                    + " (CURRENT_TIMESTAMP(3), 'site1', 7, 'customer.updated', 'd2', 'pending', 0,"
                    + " CURRENT_TIMESTAMP(3), CURRENT_TIMESTAMP(3))"), "a delivery id is unique per site now");
        }
    }

    private static String tableName(DatabaseMetaData meta, String name) throws Exception {
        return meta.storesUpperCaseIdentifiers() ? name.toUpperCase(Locale.ROOT) : name;
    }
}
