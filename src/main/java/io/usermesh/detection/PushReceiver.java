package io.usermesh.detection;

import com.fasterxml.jackson.databind.JsonNode;
import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.config.Webhook;
import io.usermesh.model.Json;
import io.usermesh.model.Origin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * push_event; the answer is 202 only once the row is stored. A push carries no data usermesh
 * trusts: the worker reads the user from the site's REST API.
 */
public final class PushReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(PushReceiver.class);
    private static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";
    private static final Pattern USER_TOPIC = Pattern.compile("(customer|user)\\.(created|updated|deleted|restored)");
    private static final Pattern PING = Pattern.compile("webhook_id=\\d+");
    private static final int MAX_BODY = 1 << 20;

    private final SitesConfig sites;
    private final PushQueue queue;
    private final Consumer<AuditEntry> audit;
    private final Clock clock;

    public PushReceiver(SitesConfig sites, PushQueue queue, Consumer<AuditEntry> audit, Clock clock) {
        this.sites = sites;
        this.queue = queue;
        this.audit = audit;
        this.clock = clock;
    }

    /** Called by the route hook-receive; the answer's body, with its status set. */
    public String receive(Exchange exchange) {
        String siteId = exchange.getMessage().getHeader("siteId", String.class);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        Site site = sites.site(siteId).orElseThrow(() -> new PushRefused(404, "no site '" + siteId + "'"));
        Webhook webhook = site.webhook().orElseThrow(() -> new PushRefused(404, "site " + site.id()
                + " takes no pushes: it has no webhook block in sites.yaml"));
        InetAddress from = remoteAddress(exchange);
        if (from == null || !webhook.allowsIp(from)) {
            throw new PushRefused(403, "source address " + (from == null ? "unknown" : from.getHostAddress())
                    + " is not in webhook.allowIps");
        }
        String text = new String(body, StandardCharsets.UTF_8).trim();
        String topic = header(exchange, "X-WC-Webhook-Topic");
        if (topic == null && (PING.matcher(text).matches() || header(exchange, "webhook_id") != null)) {
            // WooCommerce checks a new webhook with this unsigned ping and keeps it only on a 200
            return answer(exchange, 200, Map.of("ping", true));
        }
        if (webhook.secret().isEmpty()) {
            throw new PushRefused(403, "webhook.secret is empty: pushes cannot be verified");
        }
        if (body.length > MAX_BODY) {
            throw new PushRefused(413, "body of " + body.length + " bytes is over the limit of " + MAX_BODY);
        }
        if (!signatureMatches(webhook, body, header(exchange, "X-WC-Webhook-Signature"))) {
            throw new PushRefused(401, "signature (X-WC-Webhook-Signature) does not match the body: check"
                    + " webhook.secret against the secret set on the site");
        }
        String source = header(exchange, "X-WC-Webhook-Source");
        if (!webhook.allowsSource(source)) {
            throw new PushRefused(403, "source " + (source == null ? "(none)" : "'" + source + "'")
                    + " is not in webhook.allowSources");
        }
        if (topic == null || !USER_TOPIC.matcher(topic).matches()) {
            return answer(exchange, 200, Map.of("ignored", "topic " + topic + " is not a user event"));
        }
        long userId = userId(text);
        String deliveryId = header(exchange, "X-WC-Webhook-Delivery-ID");
        long row = queue.add(site.id(), userId, topic, deliveryId == null || deliveryId.length() > 64 ? null : deliveryId);
        LOG.debug("site {}: push {} for user {} queued as {}", site.id(), topic, userId, row);
        Map<String, Object> queued = new LinkedHashMap<>();
        queued.put("queued", row);
        queued.put("site", site.id());
        queued.put("user", userId);
        return answer(exchange, 202, queued);
    }

    /** Called by the route configuration hook-errors: audited, answered with its status. */
    public String refused(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String siteId = exchange.getMessage().getHeader("siteId", String.class);
        String source = siteId == null ? "(none)" : siteId.length() > 32 ? siteId.substring(0, 32) : siteId;
        InetAddress from = remoteAddress(exchange);
        String address = from == null ? "unknown" : from.getHostAddress();
        if (caught instanceof PushRefused refusal) {
            LOG.warn("push to /hooks/{} from {} refused ({}): {}", source, address, refusal.status(),
                    refusal.getMessage());
            audit.accept(new AuditEntry(clock.instant(), "push-" + UUID.randomUUID().toString().substring(0, 8),
                    source, null, "(push from " + address + ")", "push", AuditStatus.FAILED, refusal.status(),
                    "push refused: " + refusal.getMessage(), null, Origin.WEBHOOK));
            return answer(exchange, refusal.status(), Map.of("error", refusal.getMessage()));
        }
        LOG.error("push to /hooks/{} from {} not queued", source, address, caught);
        return answer(exchange, 503, Map.of("error", "not queued; send it again later"));
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

    private static long userId(String body) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new PushRefused(400, "body is not JSON");
        }
        JsonNode id = json == null ? null : json.path("id");
        if (id == null || !id.canConvertToLong() || id.asLong() <= 0) {
            throw new PushRefused(400, "body has no user id (\"id\")");
        }
        return id.asLong();
    }

    private static String header(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value;
    }

    private static InetAddress remoteAddress(Exchange exchange) {
        Object address = exchange.getMessage().getHeader(REMOTE_ADDRESS);
        if (!(address instanceof io.vertx.core.net.SocketAddress socket) || socket.hostAddress() == null) {
            return null;
        }
        try {
            return InetAddress.getByName(socket.hostAddress()); // a literal address: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String answer(Exchange exchange, int status, Map<String, Object> body) {
        // request headers would otherwise be echoed in the response
        exchange.getMessage().removeHeaders("X-WC-*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return Json.write(body);
    }
}
