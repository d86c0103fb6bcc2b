package io.usermesh.audit;

import static io.usermesh.audit.AuditFixture.site;
import static io.usermesh.audit.AuditFixture.sites;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.usermesh.model.Origin;
import io.usermesh.storage.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/activity's numbers: audit rows counted per minute and status, on H2 (AuditLogIT: MariaDB). */
public class AuditPerMinuteTest {

    static final Instant NOW = Instant.parse("2025-01-01T10:04:30Z");

    @TempDir
    Path dataDir;

    @Test
    void countsEachMinuteByStatusOldestFirstWithEmptyMinutesKept() throws Exception {
        try (Database db = AuditFixture.h2(dataDir)) {
            assertCounts(db.dataSource());
        }
    }

    /** Records rows around minute boundaries and checks the counts; shared with AuditLogIT on MariaDB. */
    public static void assertCounts(DataSource dataSource) throws Exception {
        try (AuditFixture audit = AuditFixture.start(dataSource, sites(30, site("shop", 30, true)), Map.of())) {
            record(audit, "09:59:59.999", AuditStatus.SUCCESS); // before the window: not counted
            record(audit, "10:00:00.000", AuditStatus.SUCCESS);
            record(audit, "10:00:59.999", AuditStatus.SUCCESS);
            record(audit, "10:00:30.000", AuditStatus.DEAD);
            record(audit, "10:01:00.000", AuditStatus.FAILED);
            record(audit, "10:03:10.000", AuditStatus.SKIPPED);
            record(audit, "10:04:29.000", AuditStatus.SUCCESS);
        }
        List<AuditQuery.Minute> minutes = new AuditQuery(dataSource).perMinute(NOW, 5);
        assertEquals(List.of(at("10:00:00.000"), at("10:01:00.000"), at("10:02:00.000"), at("10:03:00.000"),
                at("10:04:00.000")), minutes.stream().map(AuditQuery.Minute::start).toList());
        assertEquals(List.of(Map.of("success", 2L, "dead", 1L), Map.of("failed", 1L), Map.of(),
                Map.of("skipped", 1L), Map.of("success", 1L)),
                minutes.stream().map(AuditQuery.Minute::counts).toList());
    }

    private static void record(AuditFixture audit, String time, AuditStatus status) {
        audit.log().record(new AuditEntry(at(time), "e-" + time, "shop", "blog", "ann@example.test", "edit", status,
                200, "m", 5L, Origin.POLL));
    }

    private static Instant at(String time) {
        return Instant.parse("2025-01-01T" + time + "Z");
    }
}
