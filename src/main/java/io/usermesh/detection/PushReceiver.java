package io.usermesh.detection;

import com.fasterxml.jackson.databind.JsonNode;
import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.config.Webhook;
import io.usermesh.http.HttpProblem;
import io.usermesh.http.IncomingRequest;
import io.usermesh.http.UnexpectedErrors;
import io.usermesh.model.Json;
import io.usermesh.model.Origin;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /hooks/{siteId}: a site says one of its users changed (WooCommerce customer webhooks, or
 * the companion plugin with the same headers). The push is checked against the site's webhook
 * block (source address, HMAC-SHA256 signature of the raw body, source URL) and queued in
 * push_event; the answer is 202 only once the row is stored, and a delivery seen before is
 * answered 200 and stored once. A push carries no data usermesh trusts: the worker reads the user
 * from the site's REST API. Body size and request rate are bounded before this runs
 * ({@link io.usermesh.http.RequestLimits}); refusals are reported through {@link RefusalLog}.
 */
public final class PushReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(PushReceiver.class);
    private static final Pattern USER_TOPIC = Pattern.compile("(customer|user)\\.(created|updated|deleted|restored)");
    private static final Pattern PING = Pattern.compile("webhook_id=\\d+");
    private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    // one answer for an unknown site and a site without a webhook block, so /hooks/ cannot list the sites
    private static final String NO_SITE = "no site takes pushes at this address";
    private static final Duration PENDING_RECOUNT = Duration.ofSeconds(1);
    private static final int MAX_ECHO = 100;

    private final SitesConfig sites;
    private final PushQueue queue;
    private final Consumer<AuditEntry> audit;
    private final Clock clock;
    private final int maxPending;
    private final RefusalLog refusals;
    private volatile Instant pendingCountedAt = Instant.MIN;
    private volatile long pending;

    public PushReceiver(SitesConfig sites, PushQueue queue, Consumer<AuditEntry> audit, Clock clock, int maxPending,
            Duration refusalLogInterval) {
        this.sites = sites;
        this.queue = queue;
        this.audit = audit;
        this.clock = clock;
        this.maxPending = maxPending;
        this.refusals = new RefusalLog(refusalLogInterval, clock, this::report);
    }

    /** Called by the route hook-receive; the answer's body, with its status set. */
    public String receive(Exchange exchange) {
        IncomingRequest request = IncomingRequest.of(exchange);
        String siteId = exchange.getMessage().getHeader("siteId", String.class);
        if (siteId == null || !Site.ID.matcher(siteId).matches()) {
            throw new PushRefused(404, NO_SITE);
        }
        Site site = sites.site(siteId).orElseThrow(() -> new PushRefused(404, NO_SITE));
        Webhook webhook = site.webhook().orElseThrow(() -> new PushRefused(404, NO_SITE));
        InetAddress from = request.remoteAddress();
        if (from == null || !webhook.allowsIp(from)) {
            throw new PushRefused(403, "source address " + address(request) + " is not in webhook.allowIps");
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        String topic = request.header("X-WC-Webhook-Topic");
        if (topic == null && (PING.matcher(new String(body, StandardCharsets.US_ASCII).trim()).matches()
                || isNumber(request.formField("webhook_id")))) {
            // WooCommerce checks a new webhook with this unsigned ping and keeps it only on a 200
            return answer(exchange, 200, Map.of("ping", true));
        }
        if (webhook.secret().isEmpty()) {
            throw new PushRefused(403, "webhook.secret is empty: pushes cannot be verified");
        }
        if (!signatureMatches(webhook, body, request.header("X-WC-Webhook-Signature"))) {
            throw new PushRefused(401, "signature (X-WC-Webhook-Signature) does not match the body: check"
                    + " webhook.secret against the secret set on the site");
        }
        String source = request.header("X-WC-Webhook-Source");
        if (!webhook.allowsSource(source)) {
            throw new PushRefused(403, "source " + (source == null ? "(none)" : "'" + echo(source) + "'")
                    + " is not in webhook.allowSources");
        }
        if (topic == null || !USER_TOPIC.matcher(topic).matches()) {
            return answer(exchange, 200, Map.of("ignored", "the topic is not a user event"));
        }
        long userId = userId(utf8(body)); // parsed only once the signature proved where it came from
        String deliveryId = request.header("X-WC-Webhook-Delivery-ID");
        if (deliveryId != null && !DELIVERY_ID.matcher(deliveryId).matches()) {
            throw new PushRefused(400, "X-WC-Webhook-Delivery-ID must be 1 to 64 letters, digits or . _ : -");
        }
        if (pendingPushes() >= maxPending) {
            throw new PushRefused(503, maxPending + " pushes are waiting already; send it again later");
        }
        OptionalLong row = queue.add(site.id(), userId, topic, deliveryId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("site", site.id());
        answer.put("user", userId);
        if (row.isEmpty()) {
            // a delivery seen before (WooCommerce retries, or a replay): taken already
            answer.put("duplicate", true);
            return answer(exchange, 200, answer);
        }
        LOG.debug("site {}: push {} for user {} queued as {}", site.id(), topic, userId, row.getAsLong());
        answer.put("queued", row.getAsLong());
        return answer(exchange, 202, answer);
    }

    /** Called by the route configuration hook-errors: audited (see {@link RefusalLog}), answered with its status. */
    public String refused(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (caught instanceof HttpProblem refusal) {
            String siteId = exchange.getMessage().getHeader("siteId", String.class);
            String reason = refusal.status() == 404 && siteId != null && Site.ID.matcher(siteId).matches()
                    ? "no site '" + siteId + "' with a webhook block in sites.yaml" // for the operator only
                    : refusal.getMessage();
            refusals.refused(new RefusalLog.Refusal(auditedSite(exchange), refusal.status(), address(exchange),
                    reason));
            if (refusal.status() == 503) {
                exchange.getMessage().setHeader("Retry-After", "30");
            }
            return answer(exchange, refusal.status(), Map.of("error", refusal.getMessage()));
        }
        String id = UnexpectedErrors.log(LOG, "push to /hooks/" + auditedSite(exchange) + " (not queued)", caught);
        exchange.getMessage().setHeader("Retry-After", "30");
        return answer(exchange, 503, Map.of("error", "not queued; send it again later", "correlationId", id));
    }

    /** Reports the refusal summaries of the intervals that ended (route hook-refusals). */
    public void flushRefusals() {
        refusals.flush();
    }

    private void report(RefusalLog.Report report) {
        RefusalLog.Refusal r = report.refusal();
        String message;
        if (report.more() == 0) {
            message = "push refused: " + r.reason();
            LOG.warn("push to site {} from {} refused ({}): {}", r.site(), r.address(), r.status(), r.reason());
        } else {
            message = report.more() + " more push(es) refused with " + r.status() + " since " + report.since()
                    + "; the last: " + r.reason();
            LOG.warn("{} more push(es) to site {} refused ({}) since {}; the last from {}: {}", report.more(), r.site(),
                    r.status(), report.since(), r.address(), r.reason());
        }
        audit.accept(new AuditEntry(clock.instant(), "push-" + UUID.randomUUID().toString().substring(0, 8),
                r.site(), null, "(push from " + r.address() + ")", "push", AuditStatus.FAILED, r.status(), message,
                null, Origin.WEBHOOK));
    }

    /** The configured site a refusal is about, else one name for every unknown or malformed id. */
    private String auditedSite(Exchange exchange) {
        String siteId = exchange.getMessage().getHeader("siteId", String.class);
        return siteId != null && sites.site(siteId).isPresent() ? siteId : RefusalLog.UNKNOWN_SITE;
    }

    private long pendingPushes() {
        Instant now = clock.instant();
        if (now.isAfter(pendingCountedAt.plus(PENDING_RECOUNT))) {
            pending = queue.pending();
            pendingCountedAt = now;
        }
        return pending;
    }

    static boolean signatureMatches(Webhook webhook, byte[] body, String signature) {
        if (signature == null || signature.isBlank()) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(webhook.secret().reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = Base64.getEncoder().encode(mac.doFinal(body));
            // constant time, so the signature cannot be found byte by byte from response times
            return MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
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
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new PushRefused(400, "body is not JSON");
        }
        JsonNode id = json == null ? null : json.get("id");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() <= 0) {
            throw new PushRefused(400, "body has no user id (\"id\", a whole number above 0)");
        }
        return id.asLong();
    }

    private static String address(Exchange exchange) {
        try {
            return address(IncomingRequest.of(exchange));
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static String address(IncomingRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().getHostAddress();
    }

    private static boolean isNumber(String text) {
        return text != null && text.matches("\\d{1,18}");
    }

    private static String echo(String text) {
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "...";
    }

    private static String answer(Exchange exchange, int status, Map<String, Object> body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return Json.write(body);
    }
}
