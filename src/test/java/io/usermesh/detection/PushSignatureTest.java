package io.usermesh.detection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Secret;
import io.usermesh.config.Webhook;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** X-WC-Webhook-Signature: base64 of HMAC-SHA256 over the raw body with the webhook secret. */
class PushSignatureTest {

    static final Webhook HOOK = new Webhook(Secret.of("s3cret"), List.of(), List.of());
    static final byte[] BODY = "{\"id\":42,\"email\":\"ann@example.test\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void acceptsTheSignatureWooCommerceComputes() {
        // php -r 'echo base64_encode(hash_hmac("sha256", "{\"id\":42,\"email\":\"ann@example.test\"}", "s3cret", true));'
        assertTrue(PushReceiver.signatureMatches(HOOK, BODY, "7Xmr36c6kMsbFdRpDe2cjgBp12YyuPHwsqH2yYWNx+c="));
    }

    @Test
    void refusesAnythingElse() {
        assertFalse(PushReceiver.signatureMatches(HOOK, BODY, null));
        assertFalse(PushReceiver.signatureMatches(HOOK, BODY, ""));
        assertFalse(PushReceiver.signatureMatches(HOOK, "{\"id\":43}".getBytes(StandardCharsets.UTF_8),
                "7Xmr36c6kMsbFdRpDe2cjgBp12YyuPHwsqH2yYWNx+c="));
        assertFalse(PushReceiver.signatureMatches(new Webhook(Secret.of("other"), List.of(), List.of()), BODY,
                "7Xmr36c6kMsbFdRpDe2cjgBp12YyuPHwsqH2yYWNx+c="));
    }
}
