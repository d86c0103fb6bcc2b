package io.usermesh.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Headers and query parameters as a request really sent them, each name at most once. */
class IncomingRequestTest {

    @Test
    void readsHeadersInAnyCaseAndQueryParametersDecoded() {
        IncomingRequest request = new IncomingRequest(Map.of("authorization", List.of("Bearer t")),
                IncomingRequest.parseQuery("user=ann%40example.test&site=shop&empty="),
                Map.of("webhook_id", List.of("7")), null);

        assertEquals("Bearer t", request.header("Authorization"));
        assertEquals("ann@example.test", request.param("user"));
        assertEquals("shop", request.param("site"));
        assertNull(request.param("empty"), "blank counts as absent");
        assertNull(request.param("Authorization"), "a header is not a query parameter");
        assertNull(request.header("site"), "a query parameter is not a header");
        assertEquals("7", request.formField("webhook_id"));
        assertNull(request.param("webhook_id"), "a form field is not a query parameter");
    }

    @Test
    void refusesANameGivenTwice() {
        IncomingRequest request = new IncomingRequest(Map.of("Authorization", List.of("Bearer a", "Bearer b")),
                IncomingRequest.parseQuery("site=a&site=b"), Map.of(), null);

        assertEquals(400, assertThrows(HttpProblem.class, () -> request.header("authorization")).status());
        HttpProblem twice = assertThrows(HttpProblem.class, () -> request.param("site"));
        assertEquals(400, twice.status());
        assertEquals("query parameter 'site' is given more than once", twice.getMessage());
    }

    @Test
    void aMalformedQueryIsTheClientsMistake() {
        assertEquals(400, assertThrows(HttpProblem.class, () -> IncomingRequest.parseQuery("a=%zz")).status());
    }

    @Test
    void printsNoHeaderValues() {
        IncomingRequest request = new IncomingRequest(Map.of("Authorization", List.of("Bearer s3cr3t")), Map.of(),
                Map.of(), null);

        assertEquals(-1, request.toString().indexOf("s3cr3t"), request.toString());
    }
}
