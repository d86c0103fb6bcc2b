package io.usermesh.audit;

import static io.usermesh.audit.AuditFixture.site;
import static io.usermesh.audit.AuditFixture.sites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    // shop keeps 7 days, blog 60, quiet writes no rows; gone sites fall back to the defaults' 20
    static final SitesConfig SITES = sites(20, site("shop", 7, true), site("blog", 60, true),
            site("quiet", 30, false));

    @TempDir
    Path dataDir;

    Database db;

    @BeforeEach
    void openDatabase() {
        db = AuditFixture.h2(dataDir);
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    @Test
    void recordWritesEveryColumn() throws Exception {
        Instant at = Instant.parse("2025-03-04T05:06:07.891234Z");
        try (AuditFixture audit = AuditFixture.start(db.dataSource(), SITES, Map.of())) {
            audit.log().record(new AuditEntry(at, "ev-1", "shop", "blog", "ann@example.com", "edit",
                    AuditStatus.CONFLICT, 409, "newer on blog", 42L, Origin.WEBHOOK));
        }
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM sync_log")) {
            assertTrue(rs.next());
            assertEquals(Timestamp.from(Instant.parse("2025-03-04T05:06:07.891Z")), rs.getTimestamp("logged_at"));
            assertEquals("ev-1", rs.getString("event_id"));
            assertEquals("shop", rs.getString("source_site"));
            assertEquals("blog", rs.getString("target_site"));
            assertEquals("ann@example.com", rs.getString("user_key"));
            assertEquals("edit", rs.getString("action"));
            assertEquals("conflict", rs.getString("status"));
            assertEquals(409, rs.getInt("http_status"));
            assertEquals("newer on blog", rs.getString("message"));
            assertEquals(42L, rs.getLong("duration_ms"));
            assertEquals("webhook", rs.getString("origin"));
            assertFalse(rs.next(), "one row");
        }
    }

    @Test
    void recordWritesNullsForMissingValues() throws Exception {
        try (AuditFixture audit = AuditFixture.start(db.dataSource(), SITES, Map.of())) {
            audit.log().record(new AuditEntry(Instant.now(), "ev-2", "shop", null, "bob", "delete",
                    AuditStatus.SKIPPED, null, null, null, Origin.POLL));
        }
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT target_site, http_status, message, duration_ms FROM sync_log")) {
            assertTrue(rs.next());
            for (int column = 1; column <= 4; column++) {
                assertNull(rs.getObject(column), "column " + column);
            }
        }
    }

    @Test
    void syncLogFalseOnSourceOrTargetWritesNothing() throws Exception {
        try (AuditFixture audit = AuditFixture.start(db.dataSource(), SITES, Map.of())) {
            audit.log().record(entry("quiet", "blog", Instant.now()));
            audit.log().record(entry("shop", "quiet", Instant.now()));
            audit.log().record(entry("quiet", null, Instant.now()));
            assertEquals(0, rowCount());
            audit.log().record(entry("gone", "other-gone", Instant.now()));
            audit.log().record(entry("shop", "gone", Instant.now()));
            assertEquals(2, rowCount(), "sites missing from the config still get rows");
        }
    }

    @Test
    void purgeKeepsEachSiteItsRetention() throws Exception {
        Instant now = Instant.now();
        try (AuditFixture audit = AuditFixture.start(db.dataSource(), SITES, Map.of())) {
            // the row's site is the target, or the source when there is none
            for (String[] sourceTarget : new String[][] {{"blog", "shop"}, {"shop", null}, {"shop", "blog"},
                    {"blog", null}, {"gone", null}, {"shop", "gone"}}) {
                for (int days : new int[] {1, 8, 21, 61}) {
                    audit.log().record(entry(sourceTarget[0], sourceTarget[1], now.minus(Duration.ofDays(days))));
                }
            }
            assertEquals(24, rowCount());

            assertEquals(3 + 3 + 1 + 1 + 2 + 2, audit.log().purge());

            Set<String> left = new TreeSet<>();
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT source_site, target_site, logged_at FROM sync_log")) {
                while (rs.next()) {
                    long days = Duration.between(rs.getTimestamp(3).toInstant(), now).toDays();
                    left.add(rs.getString(1) + ">" + rs.getString(2) + ":" + days);
                }
            }
            assertEquals(Set.of("blog>null:1", "blog>null:8", "blog>null:21", "blog>shop:1", "gone>null:1",
                    "gone>null:8", "shop>null:1", "shop>blog:1", "shop>blog:8", "shop>blog:21", "shop>gone:1",
                    "shop>gone:8"), left);
            assertEquals(0, audit.log().purge(), "nothing more to delete");
        }
    }

    @Test
    void purgeWithNoSitesUsesTheDefaults() throws Exception {
        Instant now = Instant.now();
        try (AuditFixture audit = AuditFixture.start(db.dataSource(), sites(5), Map.of())) {
            audit.log().record(entry("shop", "blog", now.minus(Duration.ofDays(4))));
            audit.log().record(entry("shop", "blog", now.minus(Duration.ofDays(6))));
            assertEquals(1, audit.log().purge());
            assertEquals(1, rowCount());
        }
    }

    @Test
    void purgeDropsProcessedMessageIdsPastTheLongestRetention() throws Exception {
        Instant now = Instant.now();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES ('deliver', ?, ?)")) {
            for (int days : new int[] {1, 59, 61}) {
                ps.setString(1, "m" + days);
                ps.setTimestamp(2, Timestamp.from(now.minus(Duration.ofDays(days))));
                ps.executeUpdate();
            }
        }
        try (AuditFixture audit = AuditFixture.start(db.dataSource(), SITES, Map.of())) {
            audit.log().purge();
        }
        assertEquals(List.of("m1", "m59"), processedIds());
    }

    @Test
    void purgeRouteRunsOnItsCron() throws Exception {
        try (AuditFixture audit = AuditFixture.start(db.dataSource(), SITES,
                Map.of("usermesh.audit.purgeCron", "* * * * * ?"))) {
            audit.log().record(entry("shop", null, Instant.now().minus(Duration.ofDays(8))));
            audit.log().record(entry("shop", null, Instant.now()));
            Instant deadline = Instant.now().plusSeconds(10);
            while (rowCount() > 1 && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertEquals(1, rowCount());
        }
    }

    @Test
    void purgeRouteDefaultsToAQuarterPastThreeAtNight() throws Exception {
        try (AuditFixture audit = AuditFixture.start(db.dataSource(), SITES, Map.of())) {
            QuartzEndpoint endpoint = (QuartzEndpoint) audit.camel().getRoute("audit-purge").getEndpoint();
            assertEquals("0 15 3 * * ?", endpoint.getCron());
        }
    }

    private static AuditEntry entry(String source, String target, Instant at) {
        return new AuditEntry(at.truncatedTo(ChronoUnit.MILLIS), "ev", source, target, "ann@example.com",
                "edit", AuditStatus.SUCCESS, 200, null, 5L, Origin.POLL);
    }

    private long rowCount() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sync_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> processedIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT messageId FROM CAMEL_MESSAGEPROCESSED ORDER BY messageId")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
