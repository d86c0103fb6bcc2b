package io.usermesh.it;

import io.usermesh.testing.TestSettings;

import static io.usermesh.audit.AuditFixture.site;
import static io.usermesh.audit.AuditFixture.sites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditFilter;
import io.usermesh.audit.AuditFixture;
import io.usermesh.audit.AuditQuery;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Secret;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.Origin;
import io.usermesh.storage.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail on MariaDB: rows written by the audit-write route, read back, purged by retention. */
class AuditLogIT {

    static final SitesConfig SITES = sites(20, site("shop", 7, true), site("blog", 60, true),
            site("quiet", 30, false));

    @TempDir
    Path dataDir;

    @Test
    void countsPerMinuteOnMariaDb() throws Exception {
        try (MariaDb mariaDb = MariaDb.create();
                Database db = Database.open(TestSettings.withDb(mariaDb.url(), MariaDb.USER,
                        Secret.of(MariaDb.PASSWORD), dataDir))) {
            db.migrate();
            io.usermesh.audit.AuditPerMinuteTest.assertCounts(db.dataSource());
        }
    }

    @Test
    void recordQueryPurge() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AuditEntry fresh = new AuditEntry(now, "ev-1", "shop", "blog", "ann@example.com", "create",
                AuditStatus.SUCCESS, 201, "created", 34L, Origin.WEBHOOK);
        AuditEntry heldBack = new AuditEntry(now.minusSeconds(1), "ev-2", "blog", null, "bob", "delete",
                AuditStatus.SKIPPED, null, "held back", null, Origin.POLL);
        try (MariaDb mariaDb = MariaDb.create();
                Database db = Database.open(TestSettings.withDb(mariaDb.url(), MariaDb.USER,
                        Secret.of(MariaDb.PASSWORD), dataDir))) {
            db.migrate();
            AuditQuery query = new AuditQuery(db.dataSource());
            try (AuditFixture audit = AuditFixture.start(db.dataSource(), SITES, Map.of())) {
                audit.log().record(fresh);
                audit.log().record(heldBack);
                audit.log().record(entry("shop", "quiet", now));
                audit.log().record(entry("shop", "blog", now.minus(Duration.ofDays(61))));
                audit.log().record(entry("blog", "shop", now.minus(Duration.ofDays(8))));
                audit.log().record(entry("gone", null, now.minus(Duration.ofDays(19))));
                audit.log().record(entry("gone", null, now.minus(Duration.ofDays(21))));

                assertEquals(6, query.count(AuditFilter.all()), "nothing for the quiet site");
                assertEquals(List.of(fresh, heldBack), query.find(
                        new AuditFilter(null, null, null, now.minus(Duration.ofDays(1)), null, 0)));
                assertEquals(List.of(heldBack), query.find(new AuditFilter("blog", AuditStatus.SKIPPED, "bob",
                        null, now, 10)));

                insertProcessed(db, "old", now.minus(Duration.ofDays(61)));
                insertProcessed(db, "new", now.minus(Duration.ofDays(59)));

                assertEquals(3, audit.log().purge());
            }
            assertEquals(3, query.count(AuditFilter.all()));
            assertEquals(List.of(fresh, heldBack), query.find(new AuditFilter(null, null, null, null, null, 2)));
            assertEquals("gone", query.find(AuditFilter.all()).get(2).sourceSite());
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT messageId FROM CAMEL_MESSAGEPROCESSED")) {
                assertTrue(rs.next());
                assertEquals("new", rs.getString(1));
                assertFalse(rs.next(), "the id older than the longest retention is gone");
            }
        }
    }

    private static AuditEntry entry(String source, String target, Instant at) {
        return new AuditEntry(at, "ev", source, target, "cid", "edit", AuditStatus.SUCCESS, 200, null, 5L,
                Origin.RECONCILE);
    }

    private static void insertProcessed(Database db, String id, Instant at) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES ('deliver', ?, ?)")) {
            ps.setString(1, id);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.executeUpdate();
        }
    }
}
