package io.usermesh.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usermesh.admin.SiteHealth;
import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SiteStatus;
import io.usermesh.config.SitesConfig;
import io.usermesh.delivery.CircuitBreakers;
import io.usermesh.delivery.DeadLetters;
import io.usermesh.delivery.Outbox;
import io.usermesh.delivery.TargetConcurrency;
import io.usermesh.detection.PollTimes;
import io.usermesh.model.Origin;
import io.usermesh.storage.Database;
import io.usermesh.storage.Jdbc;
import io.usermesh.testing.ManualClock;
import io.usermesh.testing.QueueRows;
import io.usermesh.testing.TestSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics' names, labels and values, against the real schema (H2). */
class MetricsTest {

    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final SitesConfig sites = new SitesConfig(SiteSettings.DEFAULTS, List.of(site("shop"), site("blog")),
            List.of());
    private Database db;

    private static Site site(String id) {
        return new Site(id, id, URI.create("https://" + id + ".example.test"), SiteStatus.ACTIVE, "admin",
                Secret.of("x"), false, Optional.empty(), SiteSettings.DEFAULTS);
    }

    @BeforeEach
    void open() {
        db = Database.open(TestSettings.h2(dataDir));
        db.migrate();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void auditedEventsCountByOutcomeAndPushesByReason() {
        SyncMetrics metrics = new SyncMetrics(registry);
        for (AuditStatus status : List.of(AuditStatus.SUCCESS, AuditStatus.SUCCESS, AuditStatus.SKIPPED)) {
            metrics.audited(new AuditEntry(clock.now, "e", "shop", "blog", "ann@example.test", "create", status,
                    201, "", 120L, Origin.POLL));
        }
        metrics.pushed("shop", 202);
        metrics.pushed("shop", 401);

        assertEquals(2, registry.get("usermesh.deliveries").tags("source", "shop", "target", "blog", "action",
                "create", "status", "success").counter().count());
        assertEquals(1, registry.get("usermesh.deliveries").tag("status", "skipped").counter().count());
        assertEquals(3, registry.get("usermesh.delivery.duration").tag("target", "blog").timer().count());
        assertEquals(1, registry.get("usermesh.pushes").tags("site", "shop", "result", "accepted").counter().count());
        assertEquals(1, registry.get("usermesh.pushes").tags("site", "shop", "result", "bad_signature").counter()
                .count());
        assertEquals(0, registry.find("usermesh.deliveries").tag("user", "ann@example.test").counters().size(),
                "never a user as a label");
    }

    @Test
    void queueGaugesReadTheDatabaseAtMostOncePerCachePeriod() {
        Jdbc jdbc = new Jdbc(db.dataSource());
        QueueRows.pending(db.dataSource(), "blog", clock.now);
        new StateGauges(registry, () -> sites, new Outbox(db.dataSource(), clock),
                new DeadLetters(db.dataSource(), clock), new SiteHealth(() -> sites, null, clock),
                new PollTimes(), new CircuitBreakers(5, Duration.ofSeconds(30), clock), new TargetConcurrency(4, 8),
                clock);
        clock.now = clock.now.plusSeconds(90);

        assertEquals(1, registry.get("usermesh.outbox.pending").tag("target", "blog").gauge().value());
        assertEquals(90, registry.get("usermesh.outbox.oldest.age").tag("target", "blog").gauge().value());
        assertEquals(0, registry.get("usermesh.outbox.pending").tag("target", "shop").gauge().value());
        assertEquals(0, registry.get("usermesh.site.up").tag("site", "shop").gauge().value(), "not probed yet");
        assertEquals(4, registry.get("usermesh.delivery.concurrency").tag("target", "blog").gauge().value());

        jdbc.update("UPDATE outbox SET status = 'done'");
        assertEquals(1, registry.get("usermesh.outbox.pending").tag("target", "blog").gauge().value(),
                "read again only after " + StateGauges.MAX_AGE);
        clock.now = clock.now.plus(StateGauges.MAX_AGE);
        assertEquals(0, registry.get("usermesh.outbox.pending").tag("target", "blog").gauge().value());
        assertEquals(0, registry.get("usermesh.outbox.oldest.age").tag("target", "blog").gauge().value());
    }
}
