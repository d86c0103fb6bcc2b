package io.usermesh.detection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Secret;
import io.usermesh.config.Webhook;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * X-WC-Webhook-Signature: base64 of HMAC-SHA256 over the raw body with the webhook secret;
 * X-Usermesh-Signature: "sha256=" and the hex HMAC-SHA256 over "timestamp.body".
 */
class PushSignatureTest {

    static final Webhook HOOK = new Webhook(Secret.of("s3cret"), List.of(), List.of());
    static final byte[] BODY = "{\"id\":42,\"email\":\"ann@example.test\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void acceptsTheSignatureWooCommerceComputes() {
        // php -r 'echo base64_encode(hash_hmac("sha256", "{\"id\":42,\"email\":\"ann@example.test\"}", "s3cret", true));'
        assertTrue(PushSignatures.wooCommerce(HOOK, BODY, "7Xmr36c6kMsbFdRpDe2cjgBp12YyuPHwsqH2yYWNx+c="));
    }

    @Test
    void refusesAnythingElse() {
        assertFalse(PushSignatures.wooCommerce(HOOK, BODY, null));
        assertFalse(PushSignatures.wooCommerce(HOOK, BODY, ""));
        assertFalse(PushSignatures.wooCommerce(HOOK, "{\"id\":43}".getBytes(StandardCharsets.UTF_8),
                "7Xmr36c6kMsbFdRpDe2cjgBp12YyuPHwsqH2yYWNx+c="));
        assertFalse(PushSignatures.wooCommerce(new Webhook(Secret.of("other"), List.of(), List.of()), BODY,
                "7Xmr36c6kMsbFdRpDe2cjgBp12YyuPHwsqH2yYWNx+c="));
    }

    @Test
    void acceptsTheSignatureTheCompanionComputesAndNoOther() {
        // php -r 'echo "sha256=" . hash_hmac("sha256", "1796187600." . $body, "s3cret");'
        String signature = "sha256=9514e7c1281c369524c346e343d04f37c2e5408eff2e38c7675e7cdc6809dd35";
        assertTrue(PushSignatures.companion(HOOK, "1796187600", BODY, signature));
        assertFalse(PushSignatures.companion(HOOK, "1796187601", BODY, signature), "another time");
        assertFalse(PushSignatures.companion(HOOK, "1796187600", "{\"id\":43}".getBytes(StandardCharsets.UTF_8),
                signature), "another body");
        assertFalse(PushSignatures.companion(HOOK, "1796187600", BODY, signature.substring(7)), "no sha256=");
    }
}
