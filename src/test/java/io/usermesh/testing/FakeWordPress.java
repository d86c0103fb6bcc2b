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
 *
 * <p>With {@link #companion} set it also plays the companion plugin: its namespace in the REST index
 * ({@code /wp-json/}), its field {@code usermesh} on every user (a digest of the password hash, the
 * meta written through it, the two toggles), writes through that field ({@code password_hash},
 * {@code meta}, {@code flags}) and the route that hands out a user's hash. Without it the index
 * lists core only and the companion's routes answer 404.
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
    /** GET requests for users (lists, searches and single users). */
    public final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong nextId = new java.util.concurrent.atomic.AtomicLong(100);
    /** Whether the companion plugin runs here. */
    public volatile boolean companion;
    /** Per user: the stored password hash, the meta written through the companion, the two toggles. */
    private final Map<Long, String> hashes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, Map<String, Object>> companionMeta = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, boolean[]> toggles = new java.util.concurrent.ConcurrentHashMap<>();
    /** The ids whose hash the companion's password route handed out, in order. */
    public final List<Long> passwordReads = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Every write's request body as sent (null for a delete), in order. */
    public final List<String> writeBodies = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The names of every request header a write carried, in any order. */
    public final java.util.Set<String> writeHeaderNames = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Page requests of a listing being answered right now, and the most seen at once. */
    public final java.util.concurrent.atomic.AtomicInteger pagesNow = new java.util.concurrent.atomic.AtomicInteger();
    public final java.util.concurrent.atomic.AtomicInteger pagesAtOnce = new java.util.concurrent.atomic.AtomicInteger();
    /** How long each listing page takes to answer, in ms (0: at once). */
    public volatile int pageMillis;

    /** The companion's changes feed: user ids in the order they changed (seq = position + 1). */
    private final List<Long> feed = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Feed requests answered; while set, a read from a cursor answers this status (410: the cursor expired). */
    public final java.util.concurrent.atomic.AtomicInteger feedReads = new java.util.concurrent.atomic.AtomicInteger();
    public volatile int feedFails;
    /** Full listings begun (requests for page 1). */
    public final java.util.concurrent.atomic.AtomicInteger listings = new java.util.concurrent.atomic.AtomicInteger();

    public FakeWordPress() throws IOException {
        this(1);
    }

    /** A site answering {@code workers} requests at once (PHP workers); one by default. */
    public FakeWordPress(int workers) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        if (workers > 1) {
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(workers));
        }
        server.createContext("/wp-json/wp/v2/users", this::list);
        server.createContext("/wp-json/", this::index);
        server.createContext("/wp-json/usermesh/v1/", this::companionRoute);
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

    /** Changes one field of a user, as a person editing the profile would. */
    public void set(long id, String field, Object value) {
        users.get(id).put(field, value);
    }

    public void remove(long id) {
        users.remove(id);
    }

    /** The user's stored password hash (what WordPress keeps in user_pass). */
    public void passwordHash(long id, String hash) {
        hashes.put(id, hash);
    }

    public String passwordHash(long id) {
        return hashes.get(id);
    }

    /** The profile-screen toggles of the companion plugin. */
    public void toggles(long id, boolean propagationOff, boolean isProtected) {
        toggles.put(id, new boolean[] {propagationOff, isProtected});
    }

    /** The user with this id as the REST API answers it (null when there is none). */
    public Map<String, Object> shown(long id) {
        Map<String, Object> user = users.get(id);
        return user == null ? null : shown(user);
    }

    /** The user as the REST API answers it: with the companion's field where the plugin runs. */
    private Map<String, Object> shown(Map<String, Object> user) {
        if (!companion) {
            return user;
        }
        long id = ((Number) user.get("id")).longValue();
        boolean[] flags = toggles.getOrDefault(id, new boolean[2]);
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("version", "0.3.0");
        String hash = hashes.get(id);
        field.put("password", hash == null ? "" : io.usermesh.model.Hashes.sha256("fake-site-key|" + hash));
        field.put("meta", companionMeta.getOrDefault(id, Map.of()));
        field.put("flags", Map.of("propagation", !flags[0], "protected", flags[1]));
        Map<String, Object> view = new LinkedHashMap<>(user);
        view.put("usermesh", field);
        return view;
    }

    private String json(Map<String, Object> user) throws IOException {
        return JSON.writeValueAsString(shown(user));
    }

    private String json(List<Map<String, Object>> list) throws IOException {
        return JSON.writeValueAsString(list.stream().map(this::shown).toList());
    }

    /** What the companion does with its field in a write: the hash set as is, meta and toggles written. */
    @SuppressWarnings("unchecked")
    private void applyCompanion(long id, Object field) {
        if (!companion || !(field instanceof Map<?, ?> map)) {
            return;
        }
        if (map.get("password_hash") instanceof String hash && !hash.isEmpty()) {
            hashes.put(id, hash);
        }
        if (map.get("meta") instanceof Map<?, ?> meta) {
            companionMeta.computeIfAbsent(id, k -> new java.util.concurrent.ConcurrentHashMap<>())
                    .putAll((Map<String, Object>) meta);
        }
        if (map.get("flags") instanceof Map<?, ?> flags) {
            boolean[] now = toggles.getOrDefault(id, new boolean[2]).clone();
            if (flags.get("propagation") instanceof Boolean on) {
                now[0] = !on;
            }
            if (flags.get("protected") instanceof Boolean on) {
                now[1] = on;
            }
            toggles.put(id, now);
        }
    }

    /**
     * The companion's compare-and-set (Usermesh_Expect): whether a field the update expects holds
     * another value now. Without the companion the expectation is not even read.
     */
    private boolean changedSinceExpected(long id, Object field) {
        if (!companion || !(field instanceof Map<?, ?> map) || !(map.get("expect") instanceof Map<?, ?> expect)) {
            return false;
        }
        Map<String, Object> user = users.get(id);
        for (Map.Entry<?, ?> e : expect.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object now = switch (key) {
                case "meta" -> companionMeta.getOrDefault(id, Map.of());
                case "protected" -> toggles.getOrDefault(id, new boolean[2])[1];
                case "roles" -> ((List<?>) user.get("roles")).stream().map(String::valueOf).sorted().toList();
                default -> user.get(key);
            };
            Object was = "roles".equals(key) ? ((List<?>) e.getValue()).stream().map(String::valueOf).sorted().toList()
                    : e.getValue();
            if ("meta".equals(key)) {
                Map<?, ?> meta = (Map<?, ?>) now;
                if (((Map<?, ?>) was).entrySet().stream().anyMatch(m -> !java.util.Objects.equals(m.getValue(),
                        meta.get(m.getKey())))) {
                    return true;
                }
            } else if (!java.util.Objects.equals(String.valueOf(was), String.valueOf(now))) {
                return true;
            }
        }
        return false;
    }

    /** The unauthenticated REST index. */
    private void index(HttpExchange exchange) throws IOException {
        if (!"/wp-json/".equals(exchange.getRequestURI().getPath())) {
            respond(exchange, 404, "{\"code\":\"rest_no_route\",\"message\":\"No route.\"}", Map.of());
            return;
        }
        List<String> namespaces = companion ? List.of("oembed/1.0", "wp/v2", "usermesh/v1")
                : List.of("oembed/1.0", "wp/v2");
        respond(exchange, 200, JSON.writeValueAsString(Map.of("name", "fake", "namespaces", namespaces,
                "authentication", Map.of("application-passwords", Map.of()))), Map.of());
    }

    /** A user named by the companion's changes feed (created, updated or deleted). */
    public void changed(long id) {
        feed.add(id);
    }

    /**
     * GET usermesh/v1/changes as the companion answers it, without the settle window: cursor "fake.N"
     * after the N-th change.
     */
    private void changes(HttpExchange exchange) throws IOException {
        feedReads.incrementAndGet();
        String since = param(exchange, "since", null);
        if (feedFails > 0 && since != null) {
            respond(exchange, feedFails, "{\"code\":\"usermesh_cursor_expired\",\"message\":\"pruned\"}", Map.of());
            return;
        }
        int from = since == null ? feed.size() : Integer.parseInt(since.substring(since.indexOf('.') + 1));
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (int seq = from + 1; seq <= feed.size(); seq++) {
            rows.add(Map.of("seq", seq, "id", feed.get(seq - 1), "topic", "user.updated"));
        }
        respond(exchange, 200, JSON.writeValueAsString(Map.of("cursor", "fake." + feed.size(), "changes", rows,
                "more", false)), Map.of());
    }

    /** The companion's own routes: a user's password hash, the changes feed. */
    private void companionRoute(HttpExchange exchange) throws IOException {
        if (companion && exchange.getRequestURI().getPath().endsWith("/usermesh/v1/changes")) {
            changes(exchange);
            return;
        }
        java.util.regex.Matcher password = java.util.regex.Pattern.compile(".*/users/(\\d+)/password")
                .matcher(exchange.getRequestURI().getPath());
        if (!companion || !"GET".equals(exchange.getRequestMethod()) || !password.matches()) {
            respond(exchange, 404, "{\"code\":\"rest_no_route\",\"message\":\"No route.\"}", Map.of());
            return;
        }
        long id = Long.parseLong(password.group(1));
        if (!users.containsKey(id)) {
            respond(exchange, 404, "{\"code\":\"rest_user_invalid_id\",\"message\":\"Invalid user ID.\"}",
                    Map.of());
            return;
        }
        passwordReads.add(id);
        respond(exchange, 200, JSON.writeValueAsString(Map.of("hash", hashes.getOrDefault(id, ""))), Map.of());
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
        reads.incrementAndGet();
        String include = param(exchange, "include", null);
        if (include != null) {
            List<Long> ids = java.util.Arrays.stream(java.net.URLDecoder.decode(include, StandardCharsets.UTF_8)
                    .split(",")).map(Long::parseLong).toList();
            respond(exchange, 200, json(users.values().stream().filter(u -> ids.contains(((Number) u.get("id"))
                    .longValue())).toList()), Map.of());
            return;
        }
        String search = param(exchange, "search", null);
        if (search != null) {
            searches.incrementAndGet();
            String term = java.net.URLDecoder.decode(search, StandardCharsets.UTF_8);
            respond(exchange, 200, json(users.values().stream()
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
                respond(exchange, 200, json(user), Map.of());
            }
            return;
        }
        int now = pagesNow.incrementAndGet();
        pagesAtOnce.accumulateAndGet(now, Math::max);
        try {
            if (pageMillis > 0) {
                Thread.sleep(pageMillis);
            }
            page(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pagesNow.decrementAndGet();
        }
    }

    private void page(HttpExchange exchange) throws IOException {
        int page = Integer.parseInt(param(exchange, "page", "1"));
        if (page == 1) {
            listings.incrementAndGet();
        }
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
        respond(exchange, 200, json(slice),
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
        String body = "DELETE".equals(method) ? null
                : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        writeBodies.add(String.valueOf(body));
        writeHeaderNames.addAll(exchange.getRequestHeaders().keySet());
        if (failWrites > 0) {
            respond(exchange, failWrites, "{\"code\":\"unavailable\",\"message\":\"try later\"}", Map.of());
            return;
        }
        Map<String, Object> fields = body == null ? Map.of() : JSON.readValue(body, Map.class);
        if (path.matches(".*/users/\\d+")) {
            long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
            Map<String, Object> user = users.get(id);
            if (user == null) {
                respond(exchange, 404, "{\"code\":\"rest_user_invalid_id\",\"message\":\"Invalid user ID.\"}",
                        Map.of());
            } else if ("DELETE".equals(method)) {
                users.remove(id);
                respond(exchange, 200, JSON.writeValueAsString(Map.of("deleted", true, "previous", user)), Map.of());
            } else if (changedSinceExpected(id, fields.get("usermesh"))) {
                respond(exchange, 409, "{\"code\":\"usermesh_conflict\",\"message\":\"The user changed on this"
                        + " site since usermesh last saw it.\"}", Map.of());
            } else {
                fields.forEach((k, v) -> {
                    if (user.containsKey(k)) {
                        user.put(k, v);
                    }
                });
                applyCompanion(id, fields.get("usermesh"));
                respond(exchange, 200, json(user), Map.of());
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
        applyCompanion(id, fields.get("usermesh"));
        respond(exchange, 201, json(users.get(id)), Map.of());
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
