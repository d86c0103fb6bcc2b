package io.usermesh.detection;

import com.fasterxml.jackson.databind.JsonNode;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.config.Webhook;
import io.usermesh.http.IncomingRequest;
import io.usermesh.model.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of route hook-receive (POST /hooks/{siteId}), in the route's order: each check refuses the push
 * with {@link PushRefused} (its status and reason), so the route reads as the list of checks. A push carries
 * no data usermesh trusts: it is stored in push_event, and route hook-process reads the user it names from
 * the site's REST API. Request headers are read through {@link IncomingRequest} and nothing of the request
 * is parsed before the signature matched. Refusals are answered and reported by {@link PushRefusals}.
 */
public final class PushReceiver {

    /** Exchange property of hook-receive: the user id the body names, once checked. */
    public static final String USER = "UsermeshPushUser";
    /** Exchange property of hook-receive: the delivery id, once checked (null when none was sent). */
    public static final String DELIVERY = "UsermeshPushDelivery";

    private static final Logger LOG = LoggerFactory.getLogger(PushReceiver.class);
    private static final Pattern USER_TOPIC = Pattern.compile("(customer|user)\\.(created|updated|deleted|restored)");
    private static final Pattern PING = Pattern.compile("webhook_id=\\d+");
    private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    // one answer for an unknown site and a site without a webhook block, so /hooks/ cannot list the sites
    private static final String NO_SITE = "no site takes pushes at this address";
    private static final Duration PENDING_RECOUNT = Duration.ofSeconds(1);
    private static final int MAX_ECHO = 100;
    private static final String COMPANION_SIGNATURE = "X-Usermesh-Signature";
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final String JSON_BODY = "UsermeshPushJson";

    private final Supplier<SitesConfig> sites;
    private final PushQueue queue;
    private final Clock clock;
    private final int maxPending;
    private volatile Instant pendingCountedAt = Instant.MIN;
    private volatile long pending;

    private final java.util.function.ObjIntConsumer<String> pushed;

    /** @param pushed told each push taken (the pushes metric) */
    public PushReceiver(Supplier<SitesConfig> sites, PushQueue queue, Clock clock, int maxPending,
            java.util.function.ObjIntConsumer<String> pushed) {
        this.pushed = pushed;
        this.sites = sites;
        this.queue = queue;
        this.clock = clock;
        this.maxPending = maxPending;
    }

    /** The site exists and has a webhook block (else 404, one answer for both, so /hooks/ cannot list the sites). */
    public void siteTakesPushes(Exchange exchange) {
        webhook(exchange);
    }

    /** The connection comes from an address in webhook.allowIps (403): a second fence, before anything is read. */
    public void addressAllowed(Exchange exchange) {
        InetAddress from = IncomingRequest.of(exchange).remoteAddress();
        if (from == null || !webhook(exchange).allowsIp(from)) {
            throw new PushRefused(403, "source address " + address(exchange) + " is not in webhook.allowIps");
        }
    }

    /** Whether this is WooCommerce's unsigned ping ({@code webhook_id=N}), sent when a webhook is saved. */
    public boolean isPing(Exchange exchange) {
        IncomingRequest request = IncomingRequest.of(exchange);
        return request.header("X-WC-Webhook-Topic") == null
                && (PING.matcher(new String(body(exchange), StandardCharsets.US_ASCII).trim()).matches()
                        || isNumber(request.formField("webhook_id")));
    }

    /** A push cannot be verified without webhook.secret: refused (403) rather than taken unsigned. */
    public void secretSet(Exchange exchange) {
        if (webhook(exchange).secret().isEmpty()) {
            throw new PushRefused(403, "webhook.secret is empty: pushes cannot be verified");
        }
    }

    /**
     * The signature matches (401): only a holder of the secret can make usermesh look. WooCommerce signs
     * the raw body (X-WC-Webhook-Signature); the companion plugin signs "timestamp.body"
     * (X-Usermesh-Signature, X-Usermesh-Timestamp), and a timestamp more than 5 minutes away is refused,
     * so a captured push cannot be replayed later.
     */
    public void signed(Exchange exchange) {
        IncomingRequest request = IncomingRequest.of(exchange);
        if (!fromCompanion(exchange)) {
            if (!PushSignatures.wooCommerce(webhook(exchange), body(exchange), request.header("X-WC-Webhook-Signature"))) {
                throw new PushRefused(401, "signature (X-WC-Webhook-Signature) does not match the body: check"
                        + " webhook.secret against the secret set on the site");
            }
            return;
        }
        String timestamp = request.header("X-Usermesh-Timestamp");
        if (timestamp == null || !timestamp.matches("\\d{1,12}")) {
            throw new PushRefused(401, "X-Usermesh-Timestamp must be the time of sending in Unix seconds");
        }
        if (!PushSignatures.companion(webhook(exchange), timestamp, body(exchange),
                request.header(COMPANION_SIGNATURE))) {
            throw new PushRefused(401, "signature (X-Usermesh-Signature) does not match the timestamp and body:"
                    + " check webhook.secret against USERMESH_HOOK_SECRET on the site");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp));
        if (skew > MAX_SKEW.toSeconds()) {
            throw new PushRefused(401, "X-Usermesh-Timestamp is " + skew + " s away from usermesh's clock (more"
                    + " than " + MAX_SKEW.toMinutes() + " minutes): a replay, or a clock to set right");
        }
    }

    /** X-WC-Webhook-Source is in webhook.allowSources (403): catches a site pushing with another site's secret. */
    public void sourceAllowed(Exchange exchange) {
        String source = field(exchange, "X-WC-Webhook-Source", "source");
        if (!webhook(exchange).allowsSource(source)) {
            throw new PushRefused(403, "source " + (source == null ? "(none)" : "'" + echo(source) + "'")
                    + " is not in webhook.allowSources");
        }
    }

    /** Whether the topic is not a user event (an order, a product): such pushes are answered 200 and ignored. */
    public boolean otherTopic(Exchange exchange) {
        String topic = field(exchange, "X-WC-Webhook-Topic", "topic");
        return topic == null || !USER_TOPIC.matcher(topic).matches();
    }

    /** The user id the UTF-8 JSON body names (400); parsed only once the signature proved where it came from. */
    public long user(Exchange exchange) {
        return userId(json(exchange));
    }

    /**
     * WooCommerce's X-WC-Webhook-Delivery-ID, null when absent, or the companion's "event" (required):
     * 400 when malformed. A delivery seen before is stored once; an event seen before is refused.
     */
    public String deliveryId(Exchange exchange) {
        boolean companion = fromCompanion(exchange);
        String deliveryId = field(exchange, "X-WC-Webhook-Delivery-ID", "event");
        if ((companion || deliveryId != null) && (deliveryId == null || !DELIVERY_ID.matcher(deliveryId).matches())) {
            throw new PushRefused(400, (companion ? "\"event\"" : "X-WC-Webhook-Delivery-ID")
                    + " must be 1 to 64 letters, digits or . _ : -");
        }
        return deliveryId;
    }

    /** Refuses the push (503) while usermesh.push.maxPending pushes wait, so a flood cannot fill the database. */
    public void roomToQueue() {
        Instant now = clock.instant();
        if (now.isAfter(pendingCountedAt.plus(PENDING_RECOUNT))) { // counted once a second, not per push
            pending = queue.pending();
            pendingCountedAt = now;
        }
        if (pending >= maxPending) {
            throw new PushRefused(503, maxPending + " pushes are waiting already; send it again later");
        }
    }

    /**
     * Stores the push in push_event, so it is answered only once it is durable; the answer's fields (site, user,
     * and the row, or {@code duplicate} for a delivery id the site sent before, which is stored once).
     */
    public Map<String, Object> store(Exchange exchange) {
        String siteId = exchange.getMessage().getHeader("siteId", String.class);
        long userId = exchange.getProperty(USER, Long.class);
        String deliveryId = exchange.getProperty(DELIVERY, String.class);
        OptionalLong row = queue.add(siteId, userId, field(exchange, "X-WC-Webhook-Topic", "topic"), deliveryId);
        if (row.isEmpty() && fromCompanion(exchange)) { // WooCommerce retries a delivery; the companion never does
            throw new PushRefused(409, "event '" + deliveryId + "' was pushed before: a replay is not taken");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("site", siteId);
        answer.put("user", userId);
        row.ifPresentOrElse(id -> answer.put("queued", id), () -> answer.put("duplicate", true));
        pushed.accept(siteId, 202);
        return answer;
    }

    private Webhook webhook(Exchange exchange) {
        String siteId = exchange.getMessage().getHeader("siteId", String.class);
        if (siteId == null || !Site.ID.matcher(siteId).matches()) {
            throw new PushRefused(404, NO_SITE);
        }
        return sites.get().site(siteId).flatMap(Site::webhook).orElseThrow(() -> new PushRefused(404, NO_SITE));
    }

    /** Whether the push comes from the companion plugin (its own signature header) rather than WooCommerce. */
    private static boolean fromCompanion(Exchange exchange) {
        return IncomingRequest.of(exchange).header(COMPANION_SIGNATURE) != null;
    }

    /**
     * WooCommerce sends topic, source and delivery id as headers; the companion puts them in the signed
     * body, so none can be changed without the secret. Only called once the signature matched.
     */
    private static String field(Exchange exchange, String wooCommerceHeader, String companionField) {
        if (!fromCompanion(exchange)) {
            return IncomingRequest.of(exchange).header(wooCommerceHeader);
        }
        JsonNode value = json(exchange).get(companionField);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    /** The body as JSON, parsed once (400 unless UTF-8 JSON); only once the signature matched. */
    private static JsonNode json(Exchange exchange) {
        JsonNode json = exchange.getProperty(JSON_BODY, JsonNode.class);
        if (json == null) {
            json = parse(utf8(body(exchange)));
            exchange.setProperty(JSON_BODY, json);
        }
        return json;
    }

    /** The body as text; bytes that are not UTF-8 are refused, not replaced. */
    static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new PushRefused(400, "body is not UTF-8");
        }
    }

    /** The user id the body names: a whole number above 0 ({@code 1.5}, {@code "7"} or {@code 1e3} are refused). */
    static long userId(String body) {
        return userId(parse(body));
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            if (json == null || !json.isObject()) {
                throw new PushRefused(400, "body is not a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw new PushRefused(400, "body is not JSON");
        }
    }

    private static long userId(JsonNode json) {
        JsonNode id = json.get("id");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() <= 0) {
            throw new PushRefused(400, "body has no user id (\"id\", a whole number above 0)");
        }
        return id.asLong();
    }

    private static byte[] body(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        return body == null ? new byte[0] : body;
    }

    /** The connection's source address as text, for messages. */
    static String address(Exchange exchange) {
        try {
            InetAddress from = IncomingRequest.of(exchange).remoteAddress();
            return from == null ? "unknown" : from.getHostAddress();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static boolean isNumber(String text) {
        return text != null && text.matches("\\d{1,18}");
    }

    private static String echo(String text) {
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "...";
    }

}
