package io.usermesh.it;

import io.usermesh.testing.TestSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Secret;
import io.usermesh.storage.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same migrations create every contract table on MariaDB and on the embedded H2 default. */
class MigrationsIT {

    static final List<String> TABLES = List.of("sync_log", "user_link", "user_snapshot", "camel_messageprocessed",
            "dead_letter", "user_flag", "outbox", "site_pause", "push_event", "qrtz_job_details", "qrtz_triggers", "qrtz_cron_triggers",
            "qrtz_simple_triggers", "qrtz_fired_triggers", "qrtz_scheduler_state", "qrtz_locks");

    @TempDir
    Path dataDir;

    @Test
    void migratesMariaDb() throws Exception {
        try (MariaDb mariaDb = MariaDb.create();
                Database db = Database.open(TestSettings.withDb(mariaDb.url(), MariaDb.USER,
                        Secret.of(MariaDb.PASSWORD), dataDir))) {
            assertEquals(4, db.migrate().migrationsExecuted);
            assertEquals(0, db.migrate().migrationsExecuted, "second start applies nothing");
            assertTablesAndIndexes(db);
        }
    }

    @Test
    void migratesEmbeddedH2() throws Exception {
        try (Database db = Database.open(TestSettings.withDb("", "", Secret.EMPTY, dataDir))) {
            assertTrue(db.isEmbedded());
            assertEquals(4, db.migrate().migrationsExecuted);
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

    private static String tableName(DatabaseMetaData meta, String name) throws Exception {
        return meta.storesUpperCaseIdentifiers() ? name.toUpperCase(Locale.ROOT) : name;
    }
}
