package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of random and mutated requests to /hooks and /api (paths, methods, query strings,
 * headers, bodies; signed pushes among them, so parsing past the signature is reached too), from
 * four threads on loopback: no answer is a 5xx, the runner keeps serving, and nothing is written to
 * any site. The seed is printed; -Dfuzz.seed=N repeats a run, -Dfuzz.requests=N sizes it.
 */
class FuzzIT {

    static final String SECRET = "whsec-" + UUID.randomUUID();
    static final String TOKEN = "tok-" + UUID.randomUUID();
    static final String[] PATHS = {"/hooks/site1", "/hooks/site2", "/hooks/nosuch", "/hooks/", "/hooks/site1/x",
        "/api/sites", "/api/sites/site1/check", "/api/sites/site1/pause", "/api/sites/site1/sync", "/api/logs",
        "/api/dead-letters", "/api/dead-letters/1/replay", "/api/users/site1/ann@example.test/flags",
        "/api/reconcile", "/", "/dashboard/app.js", "/dashboard/../../etc/passwd", "/api", "/api/"};
    static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"};
    static final String[] PARAMS = {"site", "status", "user", "since", "until", "limit", "dryRun", "siteId", "id",
        "userKey", "Authorization", "q", "Set-Cookie", "webhook_id"};
    static final String[] CONTENT_TYPES = {"application/json", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz", "text/plain", "application/json; charset=latin1", "*/*", "%%%"};
    static final String[] TOPICS = {"customer.created", "customer.updated", "customer.deleted", "user.created",
        "order.created", "customer.", "x"};
    static final int REQUESTS = Integer.getInteger("fuzz.requests", 4000);

    @TempDir
    Path workDir;

    @Test
    void randomRequestsNeverGetA5xxNorWriteToASite() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("FuzzIT seed " + seed + " (repeat with -Dfuzz.seed=" + seed + ")");
        String site1Url = TestBed.site(1).url();
        String yaml = Configs.sitesYaml("  pollInterval: 1h\n", List.of(TestBed.site(1), TestBed.site(2)),
                Map.of(1, Configs.webhook(SECRET, TestBed.site(1))), Configs.PUSH_SITE1_TO_SITE2);
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        int usersA = a.total();
        int usersB = b.total();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, "usermesh.admin.token=" + TOKEN + "\n",
                List.of("site1", "site2"), MariaDb.create(), true)) {
            String base = "http://127.0.0.1:" + runner.httpPort();
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            List<String> serverErrors = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Random random = new Random(seed + w);
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < REQUESTS / 4; i++) {
                        Fuzzed request = fuzz(random, base, site1Url);
                        int status;
                        String body;
                        try {
                            HttpResponse<String> response = client.send(request.build(),
                                    HttpResponse.BodyHandlers.ofString());
                            status = response.statusCode();
                            body = response.body();
                        } catch (java.io.IOException closed) {
                            status = -1; // a refused body may close the connection
                            body = closed.toString();
                        }
                        statuses.merge(status, 1, Integer::sum);
                        if (status >= 500) {
                            serverErrors.add(status + " for " + request + ": " + body);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            pool.shutdown();

            System.out.println("FuzzIT answers by status: " + new TreeMap<>(statuses));
            assertTrue(serverErrors.isEmpty(), serverErrors.size() + " server errors, e.g. "
                    + serverErrors.subList(0, Math.min(5, serverErrors.size())));
            HttpResponse<String> sites = client.send(HttpRequest.newBuilder(URI.create(base + "/api/sites"))
                    .timeout(Duration.ofSeconds(2)).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, sites.statusCode(), "the admin API after the fuzz: " + sites.body());
            assertEquals(200, JarProcess.get("http://127.0.0.1:" + runner.managementPort() + "/observe/health")
                    .statusCode(), "health after the fuzz");
            runner.await(Duration.ofSeconds(30), "pushes looked at", () -> runner.count(
                    "SELECT COUNT(*) FROM push_event WHERE status = 'pending'") == 0);
            assertEquals(0, runner.count("SELECT COUNT(*) FROM sync_log WHERE status = 'success'"),
                    "a write to a site");
            assertEquals(usersA, a.total());
            assertEquals(usersB, b.total());
        }
    }

    /** One random request, and a description of it for the failure message. */
    record Fuzzed(HttpRequest.Builder builder, String description) {
        HttpRequest build() {
            return builder.build();
        }

        @Override
        public String toString() {
            return description;
        }
    }

    static Fuzzed fuzz(Random r, String base, String site1Url) {
        String path = mutatePath(r, PATHS[r.nextInt(PATHS.length)]);
        String query = query(r);
        byte[] body = body(r);
        // mostly the method the path takes, so most requests reach route code
        String method = r.nextInt(3) > 0 ? nativeMethod(path) : METHODS[r.nextInt(METHODS.length)];
        if (method.equals("HEAD") || method.equals("GET") && r.nextBoolean()) {
            body = new byte[0];
        }
        URI uri;
        try {
            uri = URI.create(base + path + (query.isEmpty() ? "" : "?" + query));
        } catch (IllegalArgumentException unencodable) {
            uri = URI.create(base + "/hooks/site1");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .method(method, body.length == 0 && r.nextBoolean() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        StringBuilder what = new StringBuilder(method + " " + uri + " body " + body.length + "B");
        if (r.nextInt(3) > 0) {
            String type = r.nextBoolean() ? "application/json" : CONTENT_TYPES[r.nextInt(CONTENT_TYPES.length)];
            b.header("Content-Type", type);
            what.append(" type ").append(type);
        }
        switch (r.nextInt(6)) {
            case 0 -> b.header("Authorization", "Bearer " + printable(r, 40));
            case 1 -> b.header("Authorization", "Basic " + printable(r, 20));
            case 2 -> b.header("Authorization", printable(r, 60));
            case 3 -> {
                // the real token on what reads or plans only: nothing reaches a site
                if (method.equals("GET") || path.endsWith("/flags")) {
                    b.header("Authorization", "Bearer " + TOKEN);
                    what.append(" with the token");
                }
            }
            default -> { }
        }
        if (path.startsWith("/hooks")) {
            try {
                b.header("X-WC-Webhook-Signature", r.nextInt(3) == 0 ? printable(r, 44) : Pushes.sign(SECRET, body));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (r.nextBoolean()) {
                b.header("X-WC-Webhook-Topic", r.nextInt(4) == 0 ? printable(r, 30) : TOPICS[r.nextInt(TOPICS.length)]);
            }
            if (r.nextBoolean()) {
                b.header("X-WC-Webhook-Source", r.nextInt(3) == 0 ? printable(r, 50) : site1Url + "/");
            }
            if (r.nextBoolean()) {
                b.header("X-WC-Webhook-Delivery-ID", r.nextInt(3) == 0 ? printable(r, 1 + r.nextInt(200))
                        : UUID.randomUUID().toString());
            }
            what.append(" signed push");
        }
        return new Fuzzed(b, what.toString());
    }

    static String nativeMethod(String path) {
        if (path.startsWith("/hooks") || path.endsWith("/check") || path.endsWith("/pause") || path.endsWith("/sync")
                || path.endsWith("/replay") || path.startsWith("/api/reconcile")) {
            return "POST";
        }
        return path.endsWith("/flags") && path.length() % 2 == 0 ? "PUT" : "GET";
    }

    static String mutatePath(Random r, String path) {
        return switch (r.nextInt(8)) {
            case 0 -> path + "/" + encoded(r, 1 + r.nextInt(40));
            case 1 -> path.replaceFirst("site1", encoded(r, 1 + r.nextInt(40)));
            case 2 -> path.replace("/", "//");
            case 3 -> path + "/" + "a".repeat(1 + r.nextInt(3000));
            case 4 -> path.replaceFirst("site1", "%00%0a%1b%5b31m");
            case 5 -> path.replaceFirst("ann@example.test", "a".repeat(90 + r.nextInt(300)));
            default -> path;
        };
    }

    static String query(Random r) {
        List<String> pairs = new ArrayList<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            String name = PARAMS[r.nextInt(PARAMS.length)];
            String value = switch (r.nextInt(5)) {
                case 0 -> String.valueOf(r.nextInt(4000) - 2000);
                case 1 -> "2026-" + r.nextInt(20) + "-01T00:00:00Z";
                case 2 -> encoded(r, r.nextInt(60));
                case 3 -> "%zz%";
                default -> r.nextBoolean() ? "true" : "site1";
            };
            pairs.add(name + "=" + value);
        }
        if (r.nextInt(10) == 0) {
            pairs.add("&&=&");
        }
        return String.join("&", pairs);
    }

    static byte[] body(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> new byte[0];
            case 1 -> {
                byte[] bytes = new byte[r.nextInt(2000)];
                r.nextBytes(bytes);
                yield bytes;
            }
            case 2 -> ("{\"id\":" + List.of("1", "0", "-1", "1.5", "\"7\"", "1e99", "99999999999999999999", "null",
                    "[1]", "{\"id\":1}").get(r.nextInt(10)) + "}").getBytes(StandardCharsets.UTF_8);
            case 3 -> new byte[300 << 10];
            case 4 -> ("webhook_id=" + r.nextInt(100)).getBytes(StandardCharsets.UTF_8);
            case 5 -> ("{\"propagationOff\":" + List.of("true", "1", "\"yes\"", "null", "{}").get(r.nextInt(5))
                    + ",\"protected\":false}").getBytes(StandardCharsets.UTF_8);
            case 6 -> ("--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.php\"\r\n\r\n"
                    + "<?php ?>\r\n--xyz--").getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] json = "{\"id\":12,\"email\":\"ann@example.test\",\"first_name\":\"Ann\"}"
                        .getBytes(StandardCharsets.UTF_8);
                json[r.nextInt(json.length)] = (byte) r.nextInt(256);
                yield json;
            }
        };
    }

    static String encoded(Random r, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append((char) (r.nextInt(3) == 0 ? r.nextInt(0x3000) : 32 + r.nextInt(95)));
        }
        return URLEncoder.encode(s.toString(), StandardCharsets.UTF_8);
    }

    /** A header value Java's client will send: visible ASCII. */
    static String printable(Random r, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append((char) (33 + r.nextInt(94)));
        }
        return s.toString();
    }
}
