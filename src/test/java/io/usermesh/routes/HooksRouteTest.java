package io.usermesh.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Secret;
import io.usermesh.config.Webhook;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.http.IncomingRequest;
import io.usermesh.model.UserState;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/hooks.camel.yaml and the route configuration hook-errors as shipped: hook-receive fed through
 * direct:hook (the request handed over as the server would, see {@link IncomingRequest}), hook-process
 * fired through direct:hook-process instead of its timer. Site a takes pushes signed with "s3cret".
 */
class HooksRouteTest extends RoutesTestSupport {

    private static final String SECRET = "s3cret";

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        super.configure(configuration);
        configuration.setRoutesIncludePattern(configuration.getRoutesIncludePattern() + ",file:routes/hooks.camel.yaml");
    }

    @Override
    public void configureTest(TestExecutionConfiguration testConfiguration) {
        super.configureTest(testConfiguration);
        testConfiguration.withUseAdviceWith(true); // the HTTP and timer consumers are replaced before the start
    }

    @Override
    Optional<Webhook> webhook(String id) {
        return "a".equals(id) ? Optional.of(new Webhook(Secret.of(SECRET), List.of("127.0.0.0/8"),
                List.of("http://a.example.test"))) : Optional.empty();
    }

    @BeforeEach
    void replaceConsumers() throws Exception {
        AdviceWith.adviceWith(context, "hook-receive", route -> route.replaceFromWith("direct:hook"));
        AdviceWith.adviceWith(context, "hook-process", route -> route.replaceFromWith("direct:hook-process"));
        context.start();
        wp.get("a").put(7, "ann", "ann@example.test", "Ann", "author");
        wp.get("a").put(8, "bob", "bob@example.test", "Bob", "author");
        // a's first poll happened: a pushed user is diffed against the snapshot, not taken as a baseline
        new SnapshotStore(db.dataSource()).recordBaseline("a", 8, new UserState("bob", "bob@example.test", "bob",
                "Bob", "", "bob", "", "", List.of("author"), Map.of()), Instant.now());
    }

    private static String sign(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private static Map<String, String> signedHeaders(String body, String topic) throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("X-WC-Webhook-Topic", topic);
        headers.put("X-WC-Webhook-Source", "http://a.example.test/");
        headers.put("X-WC-Webhook-Signature", sign(body.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    /** Status and body of hook-receive's answer (no status set is 200, as the server answers). */
    private String push(String siteId, String body, Map<String, String> headers) throws Exception {
        Map<String, List<String>> request = new HashMap<>();
        headers.forEach((name, value) -> request.put(name, List.of(value)));
        return send(siteId, body, request);
    }

    private String send(String siteId, String body, Map<String, List<String>> request) {
        Exchange answer = template.send("direct:hook", exchange -> {
            IncomingRequest.attach(exchange, new IncomingRequest(request, Map.of(), Map.of(),
                    InetAddress.getByName("127.0.0.1")));
            exchange.getMessage().setHeader("siteId", siteId);
            exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        });
        return answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class) + " "
                + answer.getMessage().getBody(String.class);
    }

    private List<String> pushEvents() {
        return jdbc.query("SELECT site_id, wp_user_id, status FROM push_event ORDER BY id",
                rs -> rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3));
    }

    private List<String> refusals() {
        return jdbc.query("SELECT source_site, http_status, status FROM sync_log WHERE action = 'push' ORDER BY id",
                rs -> rs.getString(1) + " " + rs.getInt(2) + " " + rs.getString(3));
    }

    @Test
    void aSignedPushIsQueuedThenTheUserIsReadFromTheSiteAndItsChangeQueued() throws Exception {
        String body = "{\"id\":7}";

        assertEquals("202 {\"site\":\"a\",\"user\":7,\"queued\":1}", push("a", body,
                signedHeaders(body, "customer.created")));
        assertEquals(List.of("a 7 pending"), pushEvents());

        template.sendBody("direct:hook-process", null);
        assertEquals(List.of("a 7 done"), pushEvents());
        assertEquals(1, count("SELECT COUNT(*) FROM user_snapshot WHERE site_id = 'a' AND wp_user_id = 7"));
        assertEquals(List.of("b"), jdbc.query("SELECT target_site FROM outbox", rs -> rs.getString(1)),
                "ann, read from a, is queued for b");
    }

    @Test
    void pushesWaitingTogetherAreLookedAtInOneReadOfTheSite() throws Exception {
        wp.get("a").put(8, "bob", "bob@example.test", "Robert", "author");
        for (String body : List.of("{\"id\":7}", "{\"id\":8}", "{\"id\":7}")) {
            assertTrue(push("a", body, signedHeaders(body, "customer.updated")).startsWith("202 "));
        }
        int before = wp.get("a").reads.get();

        template.sendBody("direct:hook-process", null);
        assertEquals(1, wp.get("a").reads.get() - before, "one request for three pushes");
        assertEquals(List.of("a 7 done", "a 8 done", "a 7 done"), pushEvents());
        assertEquals(2, count("SELECT COUNT(*) FROM outbox WHERE target_site = 'b'"), "ann created, bob renamed on b");
    }

    @Test
    void aDeliveryIdSentBeforeIsAnsweredAndStoredOnce() throws Exception {
        String body = "{\"id\":7}";
        Map<String, String> headers = signedHeaders(body, "customer.updated");
        headers.put("X-WC-Webhook-Delivery-ID", "d-1");

        assertTrue(push("a", body, headers).startsWith("202 "));
        assertEquals("200 {\"site\":\"a\",\"user\":7,\"duplicate\":true}", push("a", body, headers));
        assertEquals(1, pushEvents().size());
    }

    @Test
    void nothingOfTheBodyIsReadBeforeTheSignatureMatched() throws Exception {
        Map<String, String> headers = signedHeaders("{\"id\":7}", "customer.created");

        String answer = push("a", "not json", headers);

        assertTrue(answer.startsWith("401 {\"error\":\"signature (X-WC-Webhook-Signature) does not match"), answer);
        assertEquals(List.of(), pushEvents());
        assertEquals(List.of("a 401 failed"), refusals());
    }

    @Test
    void eachCheckRefusesWithItsStatusInTheRoutesOrder() throws Exception {
        String body = "{\"id\":7}";
        Map<String, String> otherSource = signedHeaders(body, "customer.created");
        otherSource.put("X-WC-Webhook-Source", "http://b.example.test");

        assertEquals("404 {\"error\":\"no site takes pushes at this address\"}", push("zz", body, Map.of()));
        assertEquals("404 {\"error\":\"no site takes pushes at this address\"}", push("b", body, Map.of()),
                "a site without a webhook block answers as an unknown one");
        assertTrue(push("a", body, otherSource).startsWith("403 {\"error\":\"source 'http://b.example.test'"));
        assertTrue(push("a", "{\"id\":1.5}", signedHeaders("{\"id\":1.5}", "customer.created"))
                .startsWith("400 "));
        Map<String, String> badDelivery = signedHeaders(body, "customer.created");
        badDelivery.put("X-WC-Webhook-Delivery-ID", "not/allowed");
        assertTrue(push("a", body, badDelivery).startsWith("400 {\"error\":\"X-WC-Webhook-Delivery-ID"));
        assertEquals(List.of(), pushEvents());
        assertEquals(List.of("(unknown) 404 failed", "b 404 failed", "a 403 failed", "a 400 failed"), refusals(),
                "the second 400 of a within the minute is counted, not written");
    }

    @Test
    void aHeaderSentTwiceIsRefusedAlsoWhereAChoiceOfTheRouteReadsIt() {
        String answer = send("a", "{\"id\":7}", Map.of("X-WC-Webhook-Topic", List.of("customer.created",
                "customer.deleted")));

        assertEquals("400 {\"error\":\"header X-WC-Webhook-Topic is given more than once\"}", answer);
        assertEquals(List.of(), pushEvents());
    }

    @Test
    void thePingAndOtherTopicsAreAnsweredAndNotQueued() throws Exception {
        assertEquals("200 {\"ping\":true}", push("a", "webhook_id=12", Map.of()));
        String body = "{\"id\":99}";
        assertEquals("200 {\"ignored\":\"the topic is not a user event\"}", push("a", body,
                signedHeaders(body, "order.created")));
        assertEquals(List.of(), pushEvents());
    }

    @Test
    void anEventWhoseUserCannotBeReadIsRetriedLaterOrDropped() throws Exception {
        String body = "{\"id\":7}";
        push("a", body, signedHeaders(body, "customer.created"));
        jdbc.update("INSERT INTO push_event (received_at, site_id, wp_user_id, topic, status, attempts,"
                + " next_attempt_at, updated_at) VALUES (?, 'gone', 3, 'customer.created', 'pending', 0, ?, ?)",
                Instant.now(), Instant.now(), Instant.now());
        wp.get("a").close(); // a cannot be reached: asked again later

        template.sendBody("direct:hook-process", null);

        assertEquals(List.of("a 7 pending", "gone 3 dropped"), pushEvents(), "a site no longer configured: dropped");
        assertEquals(1, count("SELECT attempts FROM push_event WHERE site_id = 'a'"));
        assertTrue(jdbc.query("SELECT next_attempt_at FROM push_event WHERE site_id = 'a'",
                rs -> rs.getTimestamp(1).toInstant()).get(0).isAfter(Instant.now().plusSeconds(1)));
    }

    /** A push as the companion plugin sends it: "timestamp.body" signed, topic, source and event in the body. */
    private static Map<String, String> companionHeaders(String body, long timestamp) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = java.util.HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body)
                .getBytes(StandardCharsets.UTF_8)));
        return Map.of("X-Usermesh-Timestamp", String.valueOf(timestamp), "X-Usermesh-Signature",
                "sha256=" + signature);
    }

    private static String companionBody(String event) {
        return "{\"event\":\"" + event + "\",\"topic\":\"user.updated\",\"id\":7,"
                + "\"source\":\"http://a.example.test\"}";
    }

    @Test
    void aCompanionPushSignedWithItsTimestampIsQueued() throws Exception {
        String body = companionBody("e-1");

        assertEquals("202 {\"site\":\"a\",\"user\":7,\"queued\":1}", push("a", body,
                companionHeaders(body, Instant.now().getEpochSecond())));
        assertEquals(List.of("a 7 pending"), pushEvents());
    }

    @Test
    void aCompanionPushThatIsForgedStaleOrReplayedIsRefusedAuditedAndNotQueued() throws Exception {
        long now = Instant.now().getEpochSecond();
        String body = companionBody("e-2");
        Map<String, String> forged = new HashMap<>(companionHeaders(body, now));
        forged.put("X-Usermesh-Timestamp", String.valueOf(now - 1)); // the signature was made for another time

        assertTrue(push("a", body, forged).startsWith("401 {\"error\":\"signature (X-Usermesh-Signature)"));
        assertTrue(push("a", body, companionHeaders(body, now - 301)).startsWith(
                "401 {\"error\":\"X-Usermesh-Timestamp is 301 s away"), "stale: more than 5 minutes old");
        assertTrue(push("a", body, companionHeaders(body, now)).startsWith("202 "));
        assertTrue(push("a", body, companionHeaders(body, now + 1)).startsWith(
                "409 {\"error\":\"event 'e-2' was pushed before"), "replayed, even freshly signed");
        String noEvent = "{\"topic\":\"user.updated\",\"id\":7,\"source\":\"http://a.example.test\"}";
        assertTrue(push("a", noEvent, companionHeaders(noEvent, now)).startsWith("400 {\"error\":\"\\\"event\\\""));

        assertEquals(List.of("a 7 pending"), pushEvents(), "only the one good push is queued");
        assertEquals(List.of("a 401 failed", "a 409 failed", "a 400 failed"), refusals(),
                "each status audited (the second 401 within the minute is counted, not written)");
    }
}
