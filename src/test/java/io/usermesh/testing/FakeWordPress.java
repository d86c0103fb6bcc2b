package io.usermesh.detection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** An in-JVM stand-in for the users listing (and one user by id) of a WordPress site, for fast detection tests. */
final class FakeWordPress implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<Long, Map<String, Object>> users = new ConcurrentSkipListMap<>();
    volatile int failPage = -1;
    volatile int hideFromPage = -1;

    FakeWordPress() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/wp-json/wp/v2/users", this::list);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void put(long id, String login, String email, String firstName, String... roles) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", id);
        user.put("username", login);
        user.put("email", email);
        user.put("name", login);
        user.put("first_name", firstName);
        user.put("last_name", "");
        user.put("nickname", login);
        user.put("url", "");
        user.put("description", "");
        user.put("roles", List.of(roles));
        user.put("meta", List.of());
        users.put(id, user);
    }

    void remove(long id) {
        users.remove(id);
    }

    private void list(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.matches(".*/users/\\d+")) {
            Map<String, Object> user = users.get(Long.parseLong(path.substring(path.lastIndexOf('/') + 1)));
            if (user == null) {
                respond(exchange, 404, "{\"code\":\"rest_user_invalid_id\",\"message\":\"Invalid user ID.\"}",
                        Map.of());
            } else {
                respond(exchange, 200, JSON.writeValueAsString(user), Map.of());
            }
            return;
        }
        int page = Integer.parseInt(param(exchange, "page", "1"));
        int perPage = Integer.parseInt(param(exchange, "per_page", "10"));
        if (page == failPage) {
            respond(exchange, 500, "{\"code\":\"internal\",\"message\":\"boom\"}", Map.of());
            return;
        }
        List<Map<String, Object>> all = new ArrayList<>(users.values());
        int total = all.size();
        int from = Math.min((page - 1) * perPage, total);
        int to = Math.min(from + perPage, total);
        List<Map<String, Object>> slice = hideFromPage > 0 && page >= hideFromPage ? List.of() : all.subList(from, to);
        int pages = Math.max(1, (total + perPage - 1) / perPage);
        respond(exchange, 200, JSON.writeValueAsString(slice),
                Map.of("X-WP-Total", String.valueOf(total), "X-WP-TotalPages", String.valueOf(pages)));
    }

    private static String param(HttpExchange exchange, String name, String fallback) {
        String query = exchange.getRequestURI().getQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith(name + "=")) {
                    return pair.substring(name.length() + 1);
                }
            }
        }
        return fallback;
    }

    private static void respond(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
