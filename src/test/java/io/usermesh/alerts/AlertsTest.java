package io.usermesh.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.admin.SiteHealth;
import io.usermesh.config.AlertSettings;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SiteStatus;
import io.usermesh.config.SitesConfig;
import io.usermesh.delivery.DeadLetters;
import io.usermesh.delivery.Outbox;
import io.usermesh.pipeline.SitePauses;
import io.usermesh.storage.Database;
import io.usermesh.storage.Jdbc;
import io.usermesh.testing.ManualClock;
import io.usermesh.testing.QueueRows;
import io.usermesh.testing.TestSettings;
import io.usermesh.wordpress.WordPressClients;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alert conditions against the real schema (H2): each alert announced once raised and once resolved. */
class AlertsTest {

    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock();
    private Database db;
    private DefaultCamelContext camel;
    private SitePauses pauses;
    private SiteHealth health;
    private final SitesConfig sites = new SitesConfig(SiteSettings.DEFAULTS,
            // nothing listens on port 1 of loopback: every probe of shop fails at once
            List.of(site("shop", "http://127.0.0.1:1"), site("blog", "https://blog.example.test")), List.of());

    private static Site site(String id, String url) {
        return new Site(id, id, URI.create(url), SiteStatus.ACTIVE, "admin", Secret.of("x"), false, Optional.empty(),
                SiteSettings.DEFAULTS);
    }

    @BeforeEach
    void start() throws Exception {
        db = Database.open(TestSettings.h2(dataDir));
        db.migrate();
        camel = new DefaultCamelContext();
        camel.start();
        pauses = new SitePauses(db.dataSource(), clock, Duration.ZERO);
        health = new SiteHealth(() -> sites, new WordPressClients(camel, TestSettings.h2(dataDir), () -> sites), clock);
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        db.close();
    }

    /** A runner's alerts: another instance on the same database is another runner. */
    private Alerts alerts() {
        return new Alerts(() -> sites, pauses, health, db.dataSource(), new Outbox(db.dataSource(), clock),
                new DeadLetters(db.dataSource(), clock), new AlertSettings(Secret.EMPTY, Duration.ofMinutes(5),
                        Duration.ofMinutes(15)), clock);
    }

    @Test
    void aSiteDownPastItsThresholdIsAnnouncedOnceByOneRunnerAndResolvedWhenPaused() {
        Alerts one = alerts();
        Alerts two = alerts();
        health.probe(sites.site("shop").orElseThrow());
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertEquals(List.of(), one.check(), "down for less than siteDownAfter");

        clock.now = clock.now.plus(Duration.ofMinutes(1));
        List<Alerts.Notice> raised = one.check();
        assertEquals(List.of("site-down:shop"), raised.stream().map(Alerts.Notice::key).toList());
        assertTrue(raised.get(0).raised() && raised.get(0).text().contains("site shop (http://127.0.0.1:1) has been"
                + " DOWN since 2026-01-01T00:00:00Z"), raised.get(0).text());
        assertEquals(List.of(), one.check(), "announced once");
        assertEquals(List.of(), two.check(), "and by one runner only");
        assertTrue(one.list().contains("\"key\":\"site-down:shop\""), one.list());

        pauses.pause("shop");
        List<Alerts.Notice> resolved = two.check();
        assertEquals(1, resolved.size());
        assertFalse(resolved.get(0).raised(), "a paused site raises nothing: waiting is what a pause is for");
        assertEquals(List.of(), one.check());
    }

    @Test
    void changesWaitingTooLongAndDeadLettersAreAlertsUntilTheyAreGone() {
        Jdbc jdbc = new Jdbc(db.dataSource());
        QueueRows.pending(db.dataSource(), "blog", clock.now);
        jdbc.update("INSERT INTO dead_letter (created_at, event_id, source_site, target_site, user_key, action,"
                + " payload, error, http_status, attempts, status) VALUES (?, 'e2', 'shop', 'blog', 'bob', 'create',"
                + " '{}', 'HTTP 400', 400, 1, 'dead')", clock.now);
        Alerts alerts = alerts();
        assertEquals(List.of("dead-letters:blog"), alerts.check().stream().map(Alerts.Notice::key).toList(),
                "a dead letter at once; the change waiting since now is not late yet");

        clock.now = clock.now.plus(Duration.ofMinutes(15));
        List<Alerts.Notice> late = alerts.check();
        assertEquals(List.of("lag:blog"), late.stream().map(Alerts.Notice::key).toList());
        assertTrue(late.get(0).text().contains("1 change(s) for site blog are waiting, the oldest since"
                + " 2026-01-01T00:00:00Z"), late.get(0).text());

        jdbc.update("UPDATE outbox SET status = 'done'");
        jdbc.update("UPDATE dead_letter SET status = 'replayed'");
        assertEquals(List.of("dead-letters:blog", "lag:blog"), alerts.check().stream().filter(n -> !n.raised())
                .map(Alerts.Notice::key).sorted().toList());
    }
}
