package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usermesh.it.TestBed.WpSite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The findings of the security review of the business port, one test each, against the real jar:
 * what a client without the token (or with it) can make usermesh send back, log, audit or store.
 * One runner serves every test: site1 takes signed pushes, site2 takes none, site3's credentials
 * are wrong (its health problem must not reach anonymous callers).
 */
class HttpHardeningIT {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "whsec-" + UUID.randomUUID();
    static final String TOKEN = "tok-" + UUID.randomUUID();
    static final Duration REFUSAL_INTERVAL = Duration.ofSeconds(3);

    @TempDir
    static Path workDir;

    static SyncRunner runner;
    static String base;
    static String site1Url;

    @BeforeAll
    static void start() throws Exception {
        site1Url = TestBed.site(1).url();
        WpSite site3 = TestBed.site(3);
        WpSite wrongPassword = new WpSite(3, site3.url(), site3.user(), "wrong pass word abcd efgh", site3.database());
        String yaml = Configs.sitesYaml("  pollInterval: 1h\n", List.of(TestBed.site(1), TestBed.site(2),
                wrongPassword), Map.of(1, Configs.webhook(SECRET, TestBed.site(1))), Configs.PUSH_SITE1_TO_SITE2);
        runner = SyncRunner.start(workDir, yaml, "usermesh.admin.token=" + TOKEN + "\n"
                + "usermesh.push.refusalLogInterval=" + REFUSAL_INTERVAL.toSeconds() + "s\n",
                List.of("site1", "site2"), MariaDb.create(), true);
        base = "http://127.0.0.1:" + runner.httpPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void requestParametersNeverComeBackAsResponseHeaders() throws Exception {
        String reflected = "?Set-Cookie=session%3Dx&Refresh=0%3Burl%3Dhttp%3A%2F%2Fevil.test"
                + "&Access-Control-Allow-Origin=*&X-Injected=1";
        List<HttpResponse<String>> answers = List.of(
                call("GET", "/api/sites" + reflected, TOKEN, null),
                call("GET", "/api/sites" + reflected, null, null),
                call("POST", "/hooks/site1" + reflected, null, "{}"),
                call("POST", "/hooks/nosuch" + reflected, null, "{}"),
                call("GET", "/dashboard/nosuch.js" + reflected, null, null),
                call("GET", "/" + reflected, null, null));
        for (HttpResponse<String> answer : answers) {
            HttpHeaders headers = answer.headers();
            for (String name : List.of("Set-Cookie", "Refresh", "Access-Control-Allow-Origin", "X-Injected")) {
                assertTrue(headers.firstValue(name).isEmpty(), answer.uri() + " sent back " + name + ": "
                        + headers.map());
            }
        }
        assertEquals(200, answers.get(0).statusCode(), "the parameters do not get in the way of the answer");
    }

    @Test
    void theTokenCountsOnlyInTheAuthorizationHeader() throws Exception {
        String inQuery = "/api/sites?Authorization=Bearer%20" + TOKEN;
        assertEquals(401, call("GET", inQuery, null, null).statusCode(), "token in the query string");
        HttpResponse<String> inForm = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/reconcile?dryRun=true"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Authorization=Bearer+" + TOKEN)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(4, inForm.statusCode() / 100, "token in a form body: " + inForm.body());
        assertEquals(200, call("GET", "/api/sites", TOKEN, null).statusCode());
    }


    /**
     * Every operation of the admin API (the contract's list) refuses a request without the token or with a
     * wrong one, before it looks at anything else: an operation that skipped the authorization would answer
     * 200, 400 or 404 here (the ones that change something name a site or dead letter that does not exist).
     */
    @Test
    void everyAdminOperationRefusesAMissingOrWrongToken() throws Exception {
        List<String[]> operations = List.of(
                new String[] {"GET", "/api/sites"},
                new String[] {"POST", "/api/sites/nosuch/check"},
                new String[] {"POST", "/api/sites/nosuch/pause"},
                new String[] {"POST", "/api/sites/nosuch/resume"},
                new String[] {"POST", "/api/sites/nosuch/sync"},
                new String[] {"POST", "/api/reconcile?dryRun=true"},
                new String[] {"GET", "/api/logs?limit=1"},
                new String[] {"GET", "/api/dead-letters"},
                new String[] {"POST", "/api/dead-letters/0/replay"},
                new String[] {"GET", "/api/users/nosuch/ann@example.test/flags"},
                new String[] {"PUT", "/api/users/nosuch/ann@example.test/flags"});
        for (String[] op : operations) {
            String body = op[0].equals("PUT") ? "{\"protected\": true}" : null;
            for (String token : new String[] {null, "wrong-" + TOKEN}) {
                HttpResponse<String> answer = call(op[0], op[1], token, body);
                String what = op[0] + " " + op[1] + (token == null ? " without a token" : " with a wrong token");
                assertEquals(401, answer.statusCode(), what + ": " + answer.body());
                assertEquals("{\"error\":\"missing or wrong bearer token\"}", answer.body(), what);
                assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(""), what);
            }
        }
    }
    @Test
    void pathParametersCannotBeOverriddenAndNoParameterCountsTwice() throws Exception {
        String body = "{\"id\":1}";
        String delivery = "d-" + UUID.randomUUID();
        HttpResponse<String> pushed = Pushes.push(base + "/hooks/site1?siteId=site2", SECRET, "customer.updated",
                site1Url + "/", delivery, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(202, pushed.statusCode(), pushed.body());
        assertEquals(1, runner.count("SELECT COUNT(*) FROM push_event WHERE delivery_id = ? AND site_id = 'site1'",
                delivery), "stored for the site in the path, once");

        JsonNode flags = JSON.readTree(call("GET", "/api/users/site1/ann@example.test/flags?siteId=site2"
                + "&userKey=bob@example.test", TOKEN, null).body());
        assertEquals("site1", flags.path("site").asText());
        assertEquals("ann@example.test", flags.path("user").asText());

        HttpResponse<String> twice = call("GET", "/api/logs?site=site1&site=site2", TOKEN, null);
        assertEquals(400, twice.statusCode(), twice.body());
        assertTrue(twice.body().contains("more than once"), twice.body());
    }

    @Test
    void unknownSitesAndSitesWithoutAWebhookAnswerAlike() throws Exception {
        HttpResponse<String> unknown = Pushes.push(base + "/hooks/nosuch", SECRET, "customer.updated", null, "{}");
        HttpResponse<String> noWebhook = Pushes.push(base + "/hooks/site2", SECRET, "customer.updated", null, "{}");

        assertEquals(unknown.statusCode(), noWebhook.statusCode());
        assertEquals(unknown.body(), noWebhook.body());
        assertEquals(404, unknown.statusCode());
    }

    @Test
    void aPathCannotForgeALogLineOrPutControlCharactersInTheAudit() throws Exception {
        assertEquals(404, call("POST", "/hooks/x%0aFORGED-LOG-LINE%0d", null, "{}").statusCode());
        assertEquals(404, call("POST", "/hooks/%1b%5b31mred%1b%5b0m", null, "{}").statusCode());

        runner.await(Duration.ofSeconds(10), "the refusals reported", () -> runner.output().contains(
                "refused (404)"));
        for (String line : runner.output().split("\n")) {
            assertFalse(line.startsWith("FORGED-LOG-LINE"), "a forged log line: " + line);
            assertFalse(line.contains("\u001b"), "an escape sequence in the log: " + line);
        }
        assertEquals(0, runner.count("SELECT COUNT(*) FROM sync_log WHERE source_site LIKE ? OR user_key LIKE ?"
                + " OR message LIKE ?", "%\u001b%", "%\u001b%", "%\u001b%"), "an escape sequence in sync_log");
    }

    @Test
    void aFloodOfRefusedPushesCostsOneRowAndOneLineAtOnceAndOneSummary() throws Exception {
        Thread.sleep(REFUSAL_INTERVAL.plusSeconds(2).toMillis()); // earlier tests' refusals are summarised
        long rowsBefore = unknownSiteRows().size();
        long linesBefore = warnings();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String path = "/hooks/nosuch-" + i;
            sent.add(pool.submit(() -> call("POST", path, null, "{}").statusCode()));
        }
        for (Future<Integer> status : sent) {
            assertEquals(404, status.get());
        }
        pool.shutdown();

        runner.await(REFUSAL_INTERVAL.plusSeconds(10), "the summary of the flood", () -> refusalsCounted(
                unknownSiteRows().subList((int) rowsBefore, unknownSiteRows().size())) == 200);
        List<String> rows = unknownSiteRows().subList((int) rowsBefore, unknownSiteRows().size());
        assertTrue(rows.size() <= 3, "audit rows for 200 refusals: " + rows);
        assertTrue(warnings() - linesBefore <= 3, "WARN lines for 200 refusals: " + (warnings() - linesBefore));
    }

    @Test
    void anHttp2ClientIsServedWithinTheSameLimits() throws Exception {
        HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> sites = h2c.send(HttpRequest.newBuilder(URI.create(base + "/api/sites"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> tooLarge = h2c.send(HttpRequest.newBuilder(URI.create(base + "/hooks/site1"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[300 << 10])).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(HttpClient.Version.HTTP_2, sites.version(), "the server took the upgrade");
        assertEquals(200, sites.statusCode(), sites.body());
        assertEquals(413, tooLarge.statusCode(), tooLarge.body());
    }

    @Test
    void aReplayedDeliveryIsAnsweredAndStoredOnce() throws Exception {
        String delivery = "d-" + UUID.randomUUID();
        byte[] body = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(Pushes.push(base + "/hooks/site1", SECRET, "customer.updated", site1Url + "/", delivery,
                    body).statusCode());
        }

        assertEquals(List.of(202, 200, 200), statuses);
        assertEquals(1, runner.count("SELECT COUNT(*) FROM push_event WHERE delivery_id = ?", delivery));
    }

    @Test
    void badInputIsA400WithAJsonReason() throws Exception {
        String flags = "/api/users/site1/ann@example.test/flags";
        Map<String, HttpResponse<String>> answers = new java.util.LinkedHashMap<>();
        answers.put("limit=-1", call("GET", "/api/logs?limit=-1", TOKEN, null));
        answers.put("limit=abc", call("GET", "/api/dead-letters?limit=abc", TOKEN, null));
        answers.put("empty flags body", call("PUT", flags, TOKEN, ""));
        answers.put("flags body not JSON", call("PUT", flags, TOKEN, "{not json"));
        answers.put("flags body not an object", call("PUT", flags, TOKEN, "[true]"));
        answers.put("256-character userKey", call("GET", "/api/users/site1/" + "a".repeat(256) + "/flags", TOKEN,
                null));
        answers.put("dead letter id not a number", call("POST", "/api/dead-letters/x1/replay", TOKEN, null));
        answers.put("form POST to /hooks", HTTP.send(HttpRequest.newBuilder(URI.create(base + "/hooks/site1"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=b&c=d")).build(), HttpResponse.BodyHandlers.ofString()));
        byte[] latin1 = "{\"id\":1,\"first_name\":\"J\u00f6rg\"}".getBytes(StandardCharsets.ISO_8859_1);
        String notUtf8 = "d-" + UUID.randomUUID();
        answers.put("signed body not UTF-8", Pushes.push(base + "/hooks/site1", SECRET, "customer.updated",
                site1Url + "/", notUtf8, latin1));
        String fraction = "d-" + UUID.randomUUID();
        answers.put("signed id 1.5", Pushes.push(base + "/hooks/site1", SECRET, "customer.updated", site1Url + "/",
                fraction, "{\"id\":1.5}".getBytes(StandardCharsets.UTF_8)));

        answers.forEach((what, answer) -> {
            assertTrue(answer.statusCode() >= 400 && answer.statusCode() < 500, what + ": " + answer.statusCode()
                    + " " + answer.body());
            assertTrue(answer.body().startsWith("{\"error\":"), what + ": " + answer.body());
        });
        assertEquals(400, answers.get("limit=-1").statusCode());
        assertEquals(400, answers.get("signed body not UTF-8").statusCode());
        assertEquals(400, answers.get("signed id 1.5").statusCode());
        assertEquals(0, runner.count("SELECT COUNT(*) FROM push_event WHERE delivery_id IN (?, ?)", notUtf8,
                fraction), "a refused push is not queued");
    }

    @Test
    void anUnexpectedErrorIsLoggedUnderTheCorrelationIdTheAnswerGives() throws Exception {
        try (Connection c = runner.db().connect(); Statement s = c.createStatement()) {
            s.execute("RENAME TABLE user_flag TO user_flag_away");
            try {
                HttpResponse<String> broken = call("GET", "/api/users/site1/ann@example.test/flags", TOKEN, null);
                assertEquals(500, broken.statusCode(), broken.body());
                String id = JSON.readTree(broken.body()).path("correlationId").asText();
                assertTrue(id.startsWith("err-"), broken.body());
                assertFalse(broken.body().contains("user_flag"), "no internals in the answer: " + broken.body());
                runner.await(Duration.ofSeconds(5), "the error logged", () -> runner.output().contains(id));
            } finally {
                s.execute("RENAME TABLE user_flag_away TO user_flag");
            }
        }
    }

    @Test
    void healthTellsAnonymousCallersNoSiteOrProblem() throws Exception {
        runner.await(Duration.ofSeconds(30), "site3 probed", () -> {
            try {
                return call("GET", "/api/sites", TOKEN, null).body().contains("\"health\":\"DOWN\"");
            } catch (Exception e) {
                return false;
            }
        });
        String health = JarProcess.get("http://127.0.0.1:" + runner.managementPort()
                + "/observe/health?exposureLevel=full&data=true&stackTrace=true").body();

        JsonNode checks = JSON.readTree(health).path("checks");
        JsonNode sites = null;
        for (JsonNode check : checks) {
            if ("sites".equals(check.path("name").asText())) {
                sites = check;
            }
        }
        assertEquals(1, sites == null ? -1 : sites.path("data").path("sites.down").asInt(), health);
        assertTrue(health.contains("business-server"), health);
        assertFalse(health.contains(TestBed.site(3).url()), health);
        assertFalse(health.contains("site3"), health);
        assertFalse(health.toLowerCase().contains("credentials"), health);
    }

    private static List<String> unknownSiteRows() {
        return runner.log().stream().filter(r -> "push".equals(r.action()) && "(unknown)".equals(r.source()))
                .map(SyncRunner.LogRow::message).toList();
    }

    /** Refusals a set of rows stands for: one for each row, plus the count a summary row gives. */
    private static long refusalsCounted(List<String> rows) {
        Pattern more = Pattern.compile("^(\\d+) more push");
        return rows.stream().mapToLong(message -> {
            Matcher m = more.matcher(message);
            return m.find() ? Long.parseLong(m.group(1)) : 1;
        }).sum();
    }

    private static long warnings() {
        return runner.output().lines().filter(l -> l.contains("WARN") && l.contains("site (unknown)")).count();
    }

    static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
