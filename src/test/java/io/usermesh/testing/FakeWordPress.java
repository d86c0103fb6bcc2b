package io.usermesh.testing;

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

/**
 * An in-JVM stand-in for the users part of a WordPress site's REST API, for fast tests: listing,
 * search, one user by id, create (refusing a taken email or login as WordPress does, with a 500),
 * update and delete. {@code failWrites} answers every write with that status instead.
 */
public final class FakeWordPress implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<Long, Map<String, Object>> users = new ConcurrentSkipListMap<>();
    public volatile int failPage = -1;
    public volatile int hideFromPage = -1;
    public volatile int failWrites = 0;
    /** When set, every write waits for it (a delivery caught midway). */
    public volatile java.util.concurrent.CountDownLatch holdWrites;
    public final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
    /** Requests with {@code search=}: WordPress's substring scan over every user, whose cost grows with the site. */
    public final java.util.concurrent.atomic.AtomicInteger searches = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong nextId = new java.util.concurrent.atomic.AtomicLong(100);

    public FakeWordPress() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/wp-json/wp/v2/users", this::list);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void put(long id, String login, String email, String firstName, String... roles) {
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

    public void remove(long id) {
        users.remove(id);
    }

    /** The user with that email, if any. */
    public Map<String, Object> byEmail(String email) {
        return users.values().stream().filter(u -> email.equals(u.get("email"))).findFirst().orElse(null);
    }

    private void list(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (!"GET".equals(method)) {
            write(exchange, method, path);
            return;
        }
        String search = param(exchange, "search", null);
        if (search != null) {
            searches.incrementAndGet();
            String term = java.net.URLDecoder.decode(search, StandardCharsets.UTF_8);
            respond(exchange, 200, JSON.writeValueAsString(users.values().stream()
                    .filter(u -> String.valueOf(u.get("email")).contains(term)
                            || String.valueOf(u.get("username")).contains(term)).toList()), Map.of());
            return;
        }
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

    @SuppressWarnings("unchecked")
    private void write(HttpExchange exchange, String method, String path) throws IOException {
        writes.incrementAndGet();
        java.util.concurrent.CountDownLatch hold = holdWrites;
        if (hold != null) {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failWrites > 0) {
            respond(exchange, failWrites, "{\"code\":\"unavailable\",\"message\":\"try later\"}", Map.of());
            return;
        }
        Map<String, Object> fields = "DELETE".equals(method) ? Map.of()
                : JSON.readValue(exchange.getRequestBody(), Map.class);
        if (path.matches(".*/users/\\d+")) {
            long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
            Map<String, Object> user = users.get(id);
            if (user == null) {
                respond(exchange, 404, "{\"code\":\"rest_user_invalid_id\",\"message\":\"Invalid user ID.\"}",
                        Map.of());
            } else if ("DELETE".equals(method)) {
                users.remove(id);
                respond(exchange, 200, JSON.writeValueAsString(Map.of("deleted", true, "previous", user)), Map.of());
            } else {
                fields.forEach((k, v) -> {
                    if (user.containsKey(k)) {
                        user.put(k, v);
                    }
                });
                respond(exchange, 200, JSON.writeValueAsString(user), Map.of());
            }
            return;
        }
        if (byEmail(String.valueOf(fields.get("email"))) != null) {
            respond(exchange, 500, "{\"code\":\"existing_user_email\",\"message\":\"taken\"}", Map.of());
            return;
        }
        long id = nextId.incrementAndGet();
        put(id, String.valueOf(fields.get("username")), String.valueOf(fields.get("email")),
                String.valueOf(fields.getOrDefault("first_name", "")),
                ((List<String>) fields.getOrDefault("roles", List.of("subscriber"))).toArray(String[]::new));
        users.get(id).forEach((k, v) -> {
            if (fields.containsKey(k) && !"roles".equals(k)) {
                users.get(id).put(k, fields.get(k));
            }
        });
        respond(exchange, 201, JSON.writeValueAsString(users.get(id)), Map.of());
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
