package io.usermesh.http;

import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Which headers cross the business server, in both directions, for every route at once (it is the
 * platform-http component's header filter strategy). Nothing from a request becomes a message
 * header: query parameters, form fields and HTTP headers would otherwise share one namespace
 * ({@code ?Authorization=...} would pass for the header) and travel back out as response headers
 * ({@code ?Set-Cookie=...}). Beans read requests through {@link IncomingRequest}; path parameters,
 * which only the router sets, are the message headers that remain. A response carries only the
 * headers usermesh sets on purpose.
 */
public final class HttpHeaderPolicy implements HeaderFilterStrategy {

    static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "content-security-policy",
            "x-content-type-options", "referrer-policy", "cache-control", "retry-after");

    /** @return true to keep the message header out of the response */
    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return name == null || !RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** @return always true: no request header, query parameter or form field becomes a message header */
    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return true;
    }
}
