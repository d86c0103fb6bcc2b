package io.usermesh.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Responses carry only the headers usermesh sets; nothing from a request becomes a header. */
class HttpHeaderPolicyTest {

    private final HttpHeaderPolicy policy = new HttpHeaderPolicy();

    @Test
    void letsOutOnlyTheHeadersUsermeshSets() {
        for (String kept : new String[] {"Content-Type", "content-security-policy", "X-Content-Type-Options",
                "Referrer-Policy", "Cache-Control", "Retry-After"}) {
            assertFalse(policy.applyFilterToCamelHeaders(kept, "x", null), kept);
        }
        for (String dropped : new String[] {"Set-Cookie", "Refresh", "Access-Control-Allow-Origin", "Location",
                "Authorization", "siteId", "X-WC-Webhook-Signature", "CamelHttpQuery"}) {
            assertTrue(policy.applyFilterToCamelHeaders(dropped, "x", null), dropped);
        }
    }

    @Test
    void takesNothingFromTheRequest() {
        assertTrue(policy.applyFilterToExternalHeaders("Authorization", "Bearer t", null));
        assertTrue(policy.applyFilterToExternalHeaders("siteId", "x", null));
        assertTrue(policy.applyFilterToExternalHeaders("Content-Type", "application/json", null));
    }
}
