package io.usermesh.audit;

import static io.usermesh.audit.AuditFixture.site;
import static io.usermesh.audit.AuditFixture.sites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.usermesh.model.Origin;
import io.usermesh.storage.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditQueryTest {

    static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    // e5 and e6 share a millisecond: the later insert counts as newer
    static final List<AuditEntry> ROWS = List.of(
            row("e1", 1, "shop", "blog", "ann", AuditStatus.SUCCESS),
            row("e2", 2, "shop", "blog", "bob", AuditStatus.FAILED),
            row("e3", 3, "blog", "shop", "ann", AuditStatus.SUCCESS),
            row("e4", 4, "blog", null, "ann", AuditStatus.SKIPPED),
            row("e5", 5, "news", "blog", "cid", AuditStatus.CONFLICT),
            row("e6", 5, "shop", "news", "ann", AuditStatus.DEAD));

    @TempDir
    static Path dataDir;

    static Database db;
    static AuditQuery query;

    @BeforeAll
    static void fill() throws Exception {
        db = AuditFixture.h2(dataDir);
        query = new AuditQuery(db.dataSource());
        try (AuditFixture audit = AuditFixture.start(db.dataSource(), sites(30, site("shop", 30, true)), Map.of())) {
            ROWS.forEach(audit.log()::record);
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void everyRowNewestFirstAsRecorded() {
        assertEquals(List.of(ROWS.get(5), ROWS.get(4), ROWS.get(3), ROWS.get(2), ROWS.get(1), ROWS.get(0)),
                query.find(AuditFilter.all()));
        assertEquals(6, query.count(AuditFilter.all()));
    }

    @Test
    void siteMatchesSourceOrTarget() {
        assertFound(List.of("e6", "e3", "e2", "e1"), filter("shop", null, null, null, null, 0));
        assertFound(List.of("e5", "e4", "e3", "e2", "e1"), filter("blog", null, null, null, null, 0));
        assertFound(List.of(), filter("nowhere", null, null, null, null, 0));
    }

    @Test
    void statusAndUser() {
        assertFound(List.of("e3", "e1"), filter(null, AuditStatus.SUCCESS, null, null, null, 0));
        assertFound(List.of("e6", "e4", "e3", "e1"), filter(null, null, "ann", null, null, 0));
        assertFound(List.of(), filter(null, null, "an", null, null, 0));
        assertFound(List.of("e3", "e1"), filter("shop", AuditStatus.SUCCESS, "ann", null, null, 0));
    }

    @Test
    void sinceIsInclusiveUntilExclusive() {
        assertFound(List.of("e3", "e2"), filter(null, null, null, minute(2), minute(4), 0));
        assertFound(List.of("e6", "e5"), filter(null, null, null, minute(5), null, 0));
        assertFound(List.of("e1"), filter(null, null, null, null, minute(2), 0));
    }

    @Test
    void limitCutsTheNewestButNotTheCount() {
        AuditFilter two = filter(null, null, null, null, null, 2);
        assertEquals(List.of("e6", "e5"), query.find(two).stream().map(AuditEntry::eventId).toList());
        assertEquals(6, query.count(two));
        assertEquals(4, query.count(filter(null, null, "ann", null, null, 1)));
    }

    @Test
    void limitDefaultsAndBounds() {
        assertEquals(AuditFilter.DEFAULT_LIMIT, AuditFilter.all().limit());
        assertEquals(100, filter(null, null, null, null, null, 0).limit());
        assertEquals(10_000, filter(null, null, null, null, null, 50_000).limit());
        assertEquals(7, filter(null, null, null, null, null, 7).limit());
        assertThrows(IllegalArgumentException.class, () -> filter(null, null, null, null, null, -1));
    }

    private static void assertFound(List<String> eventIds, AuditFilter filter) {
        assertEquals(eventIds, query.find(filter).stream().map(AuditEntry::eventId).toList(), filter.toString());
        assertEquals(eventIds.size(), query.count(filter), filter.toString());
    }

    private static AuditFilter filter(String site, AuditStatus status, String user, Instant since, Instant until,
            int limit) {
        return new AuditFilter(site, status, user, since, until, limit);
    }

    private static Instant minute(int n) {
        return T0.plus(Duration.ofMinutes(n));
    }

    private static AuditEntry row(String eventId, int minute, String source, String target, String user,
            AuditStatus status) {
        return new AuditEntry(minute(minute), eventId, source, target, user, "edit", status,
                status == AuditStatus.SKIPPED ? null : 200, "m " + eventId, 10L + minute, Origin.RECONCILE);
    }
}
