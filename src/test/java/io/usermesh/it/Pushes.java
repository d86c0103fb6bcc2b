package io.usermesh.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Pushes to /hooks/{siteId} as WooCommerce sends them: signed with base64 of HMAC-SHA256 over the raw body. */
final class Pushes {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Pushes() {
    }

    /** A signed customer push with a fresh delivery id. */
    static HttpResponse<String> push(String url, String secret, String topic, String source, String body)
            throws Exception {
        return push(url, secret, topic, source, UUID.randomUUID().toString(), body.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> push(String url, String secret, String topic, String source, String deliveryId,
            byte[] body) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-WC-Webhook-Signature", sign(secret, body));
        headers.put("X-WC-Webhook-Topic", topic);
        headers.put("X-WC-Webhook-Delivery-ID", deliveryId);
        if (source != null) {
            headers.put("X-WC-Webhook-Source", source);
        }
        return send(url, headers, body);
    }

    static HttpResponse<String> send(String url, Map<String, String> headers, String body) throws Exception {
        return send(url, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> send(String url, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String sign(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    static String sign(String secret, String body) throws Exception {
        return sign(secret, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A push as the companion plugin sends it: "timestamp.body" signed, hex, {@code sha256=} in front. */
    static HttpResponse<String> companion(String url, String secret, long timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = java.util.HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body)
                .getBytes(StandardCharsets.UTF_8)));
        return send(url, Map.of("X-Usermesh-Timestamp", String.valueOf(timestamp), "X-Usermesh-Signature",
                "sha256=" + signature), body);
    }
}
