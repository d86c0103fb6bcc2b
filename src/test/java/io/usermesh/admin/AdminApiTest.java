package io.usermesh.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usermesh.audit.AuditQuery;
import io.usermesh.config.Secret;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SitesConfig;
import io.usermesh.delivery.DeadLetters;
import io.usermesh.delivery.DeadLettersTest;
import io.usermesh.delivery.Outbox;
import io.usermesh.delivery.TargetConcurrency;
import io.usermesh.detection.PollTimes;
import io.usermesh.http.IncomingRequest;
import io.usermesh.pipeline.SitePauses;
import io.usermesh.pipeline.UserFlags;
import io.usermesh.storage.Database;
import io.usermesh.storage.Jdbc;
import io.usermesh.testing.ManualClock;
import io.usermesh.testing.TestSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the dashboard's "what is happening" reads: the sites' lag, dead letters and last poll, the activity. */
class AdminApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    final ManualClock clock = new ManualClock();
    final PollTimes polls = new PollTimes();
    Database db;
    DeadLetters deadLetters;
    Outbox outbox;
    AdminApi api;

    @BeforeEach
    void open() {
        db = Database.open(TestSettings.h2(dataDir));
        db.migrate();
        deadLetters = new DeadLetters(db.dataSource(), clock);
        outbox = new Outbox(db.dataSource(), clock);
        MemoryIdempotentRepository applied = new MemoryIdempotentRepository();
        applied.start();
        SitesConfig sites = new SitesConfig(SiteSettings.DEFAULTS, List.of(UserDirectoryTest.site("shop"),
                UserDirectoryTest.site("blog")), List.of());
        // what these calls do not use (site checks, profile toggles, reconciliation) stays null
        api = new AdminApi(Secret.of("t".repeat(32)), () -> sites, new SiteHealth(() -> sites, null, clock),
                new AuditQuery(db.dataSource()), deadLetters, outbox, applied, new UserFlags(db.dataSource()), null,
                new SitePauses(db.dataSource(), clock, Duration.ZERO), null, new TargetConcurrency(2, 8), polls,
                clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Exchange request(Map<String, String> query) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        Map<String, List<String>> params = new java.util.HashMap<>();
        query.forEach((k, v) -> params.put(k, List.of(v)));
        IncomingRequest.attach(exchange, new IncomingRequest(Map.of(), params, Map.of(),
                InetAddress.getLoopbackAddress()));
        return exchange;
    }

    @Test
    void eachSiteShowsItsLastPollItsLagAndItsWaitingDeadLetters() throws Exception {
        Instant queuedAt = clock.now;
        outbox.add(DeadLettersTest.delivery("e1", "ann", "blog"));
        deadLetters.add(DeadLettersTest.delivery("e2", "bob", "blog"), "create", "role missing", 400, 1);
        polls.polled("shop", clock.now.plusSeconds(30), java.time.Duration.ofSeconds(1));
        clock.now = clock.now.plusSeconds(90);

        JsonNode sites = JSON.readTree(api.sites());
        JsonNode shop = sites.get(0);
        JsonNode blog = sites.get(1);
        assertEquals(queuedAt.plusSeconds(30).toString(), shop.path("lastPoll").asText());
        assertTrue(blog.path("lastPoll").isNull(), "never polled by this runner");
        assertEquals(1, blog.path("pending").asLong());
        assertEquals(queuedAt.toString(), blog.path("oldestPending").asText());
        assertEquals(90, blog.path("lagSeconds").asLong(), "the oldest pending change waits since");
        assertEquals(1, blog.path("dead").asLong());
        assertEquals(0, shop.path("lagSeconds").asLong());
        assertTrue(shop.path("oldestPending").isNull());
        assertEquals(0, shop.path("dead").asLong());
        assertEquals(2, blog.path("concurrency").path("current").asInt());
    }

    @Test
    void replaysEveryDeadLetterOfOneTarget() throws Exception {
        long id = deadLetters.add(DeadLettersTest.delivery("e1", "ann", "blog"), "create", "role missing", 400, 1);
        deadLetters.add(DeadLettersTest.delivery("e2", "bob", "shop"), "create", "role missing", 400, 1);

        JsonNode answer = JSON.readTree(api.replayAll(request(Map.of("target", "blog"))));
        assertEquals("blog", answer.path("target").asText());
        assertEquals(1, answer.path("replayed").asInt());
        assertEquals(id, answer.path("deadLetters").get(0).path("deadLetter").asLong());
        assertEquals(1, outbox.waitingByTarget().get("blog").count());
        assertEquals(Map.of("shop", 1L), deadLetters.waitingByTarget());
        assertEquals(0, JSON.readTree(api.replayAll(request(Map.of("target", "blog")))).path("replayed").asInt());

        assertEquals(400, assertThrows(AdminApiException.class, () -> api.replayAll(request(Map.of()))).status());
        assertEquals(400, assertThrows(AdminApiException.class,
                () -> api.replayAll(request(Map.of("target", "../blog")))).status());
    }

    @Test
    void activityCountsTheLastMinutesByStatus() throws Exception {
        clock.now = Instant.parse("2026-01-01T10:30:20Z");
        Jdbc jdbc = new Jdbc(db.dataSource());
        for (String status : List.of("success", "success", "dead")) {
            jdbc.update("INSERT INTO sync_log (logged_at, event_id, source_site, target_site, user_key, action, status,"
                    + " origin) VALUES (?, 'e', 'shop', 'blog', 'ann', 'edit', ?, 'poll')",
                    Instant.parse("2026-01-01T10:29:05Z"), status);
        }

        JsonNode hour = JSON.readTree(api.activity(request(Map.of())));
        assertEquals(60, hour.path("perMinute").size(), "the last hour by default");
        JsonNode last = JSON.readTree(api.activity(request(Map.of("minutes", "2")))).path("perMinute");
        assertEquals("2026-01-01T10:29:00Z", last.get(0).path("at").asText());
        assertEquals(2, last.get(0).path("counts").path("success").asLong());
        assertEquals(1, last.get(0).path("counts").path("dead").asLong());
        assertEquals(0, last.get(1).path("counts").size(), "nothing in the current minute");

        for (String bad : List.of("0", "1441", "-5", "x")) {
            assertEquals(400, assertThrows(AdminApiException.class,
                    () -> api.activity(request(Map.of("minutes", bad)))).status(), bad);
        }
    }
}
