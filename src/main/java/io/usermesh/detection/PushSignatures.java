package io.usermesh.detection;

import io.usermesh.config.Webhook;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The two ways a push is signed with the site's webhook.secret: WooCommerce's and the companion plugin's. */
final class PushSignatures {

    private PushSignatures() {
    }

    /** WooCommerce's signature: base64 of HMAC-SHA256 over the raw body. */
    static boolean wooCommerce(Webhook webhook, byte[] body, String signature) {
        return sameText(Base64.getEncoder().encodeToString(hmac(webhook, new byte[0], body)), signature);
    }

    /** The companion's signature: {@code sha256=} and the hex of HMAC-SHA256 over "timestamp.body". */
    static boolean companion(Webhook webhook, String timestamp, byte[] body, String signature) {
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        return sameText("sha256=" + HexFormat.of().formatHex(hmac(webhook, prefix, body)), signature);
    }

    private static byte[] hmac(Webhook webhook, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(webhook.secret().reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant time, so a signature cannot be found byte by byte from response times. */
    private static boolean sameText(String expected, String given) {
        return given != null && !given.isBlank() && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), given.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
