package io.usermesh.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * What a request to the business server really said: its HTTP headers, its query parameters and
 * the address it came from, read from the server's own request. The routes' beans read requests
 * through this class, never through message headers: Camel would put query and form parameters in
 * the message headers under the same names as HTTP headers ({@code ?Authorization=...}), and
 * {@link HttpHeaderPolicy} keeps them out. Path parameters stay message headers: only the router
 * sets those.
 */
public final class IncomingRequest {

    private static final String PROPERTY = "UsermeshIncomingRequest";

    private final Map<String, List<String>> headers;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> form;
    private final InetAddress remoteAddress;

    /**
     * @param headers HTTP header values by name, any case
     * @param query query parameter values by name, decoded
     * @param form the fields of a form body (application/x-www-form-urlencoded), decoded
     * @param remoteAddress the peer's address, or null when unknown
     */
    public IncomingRequest(Map<String, List<String>> headers, Map<String, List<String>> query,
            Map<String, List<String>> form, InetAddress remoteAddress) {
        this.headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        this.headers.putAll(headers);
        this.query = Map.copyOf(query);
        this.form = Map.copyOf(form);
        this.remoteAddress = remoteAddress;
    }

    /** The request of a platform-http exchange (read once, then kept with the exchange). */
    public static IncomingRequest of(Exchange exchange) {
        IncomingRequest known = exchange.getProperty(PROPERTY, IncomingRequest.class);
        if (known != null) {
            return known;
        }
        if (!(exchange.getIn() instanceof HttpMessage message) || message.getRequest() == null) {
            throw new IllegalStateException("not an exchange of the business HTTP server");
        }
        IncomingRequest request = read(message.getRequest());
        attach(exchange, request);
        return request;
    }

    /** Lets a test (or a caller that already read it) hand the request to the beans. */
    public static void attach(Exchange exchange, IncomingRequest request) {
        exchange.setProperty(PROPERTY, request);
    }

    private static IncomingRequest read(HttpServerRequest request) {
        return new IncomingRequest(toMap(request.headers()), parseQuery(request.query()),
                toMap(request.formAttributes()), address(request.remoteAddress()));
    }

    private static Map<String, List<String>> toMap(MultiMap values) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : values.names()) {
            map.put(name, values.getAll(name));
        }
        return map;
    }

    /** Decodes a raw query string; a malformed one is the client's mistake: 400. */
    public static Map<String, List<String>> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        try {
            return new QueryStringDecoder(rawQuery, StandardCharsets.UTF_8, false).parameters();
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, "malformed query string");
        }
    }

    private static InetAddress address(SocketAddress socket) {
        if (socket == null || socket.hostAddress() == null) {
            return null;
        }
        try {
            return InetAddress.getByName(socket.hostAddress()); // a literal address: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The header's one value, null when absent or blank; sent twice it is refused (400). */
    public String header(String name) {
        return single(headers.get(name), "header " + name);
    }

    /** The query parameter's one value, null when absent or blank; given twice it is refused (400). */
    public String param(String name) {
        return single(query.get(name), "query parameter '" + name + "'");
    }

    /** The form field's one value (a form body only: Camel keeps no raw body for one), as {@link #param}. */
    public String formField(String name) {
        return single(form.get(name), "form field '" + name + "'");
    }

    public InetAddress remoteAddress() {
        return remoteAddress;
    }

    private static String single(List<String> values, String what) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new HttpProblem(400, what + " is given more than once");
        }
        String value = values.get(0);
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        // header values may be credentials: names only
        return "IncomingRequest[headers=" + headers.keySet() + ", query=" + query.keySet().stream()
                .map(k -> k.toLowerCase(Locale.ROOT)).toList() + "]";
    }
}
