package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The domain metrics in /observe/metrics (Prometheus text) on real sites: deliveries by outcome,
 * changes detected, site health, the outbox's depth and lag with site2 stopped and back, a dead letter,
 * a refused push; and the shipped Grafana dashboard and alert rules ask only for metrics the runner
 * exports.
 */
class MetricsIT {

    private static final String GHOST = "ghost-metrics";
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern METRIC_NAME = Pattern.compile("\\busermesh_[a-z_]+\\b");

    @TempDir
    Path workDir;

    @Test
    void deliveriesQueuesSitesDeadLettersAndPushesAreMetrics() throws Exception {
        String yaml = Configs.sitesYaml("  pollInterval: 2s\n", List.of(TestBed.site(1), TestBed.site(2)),
                Map.of(1, Configs.webhook("s3cret-" + UUID.randomUUID(), TestBed.site(1)),
                        2, "    roleMap: {author: " + GHOST + "}\n"), """
                links:
                  - between: [site1, site2]
                    direction: push
                    outgoing: [create, roles]
                """);
        String properties = "usermesh.siteHealth.period=1s\nusermesh.delivery.initialBackoff=1s\n"
                + "usermesh.delivery.maxBackoff=2s\n";
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        List<String> made = new ArrayList<>();
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, properties, List.of("site1", "site2"),
                MariaDb.create(), true)) {
            String metrics = "http://127.0.0.1:" + runner.managementPort() + "/observe/metrics";
            for (int i = 0; i < 3; i++) {
                String login = Sync.uniqueLogin("metrics");
                made.add(Sync.email(login));
                a.create(login, Sync.email(login), Map.of());
            }
            runner.await(Duration.ofSeconds(60), "three creates on site2",
                    () -> made.stream().allMatch(email -> b.byEmail(email).isPresent()));
            Map<String, Double> scrape = scrape(metrics);
            assertEquals(3.0, value(scrape, "usermesh_deliveries_total", "action", "create", "source", "site1",
                    "status", "success", "target", "site2"), "three creates delivered: " + scrape.keySet().stream()
                    .filter(series -> series.startsWith("usermesh_")).toList());
            assertTrue(value(scrape, "usermesh_changes_detected_total", "origin", "poll", "site", "site1") >= 3);
            assertEquals(3.0, value(scrape, "usermesh_delivery_duration_seconds_count", "target", "site2"));
            assertEquals(1.0, value(scrape, "usermesh_site_up", "site", "site2"));

            // an edit of a name: the link carries creates and roles only, so it is refused by a filter
            JsonNode first = a.byEmail(made.get(0)).orElseThrow();
            a.send("POST", "/wp-json/wp/v2/users/" + first.path("id").asLong(), Map.of("first_name", "Edited"));
            runner.await(Duration.ofSeconds(30), "the edit counted as skipped", () -> value(scrape(metrics),
                    "usermesh_deliveries_total", "action", "edit", "source", "site1", "status", "skipped",
                    "target", "site2") == 1.0);

            // a push with a bad signature: refused, counted by reason
            HttpResponse<String> refused = Pushes.push("http://127.0.0.1:" + runner.httpPort() + "/hooks/site1",
                    "not-the-secret", "customer.updated", TestBed.site(1).url() + "/", "{\"id\":1}");
            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals(1.0, value(scrape(metrics), "usermesh_pushes_total", "result", "bad_signature", "site",
                    "site1"));

            // site2 stopped: down, and a change waits for it, older at every scrape; back: all back to 0
            TestBed.server("stop-site", 2);
            String waiting = Sync.uniqueLogin("metrics");
            made.add(Sync.email(waiting));
            double age;
            try {
                runner.await(Duration.ofSeconds(20), "site2 down", () -> value(scrape(metrics), "usermesh_site_up",
                        "site", "site2") == 0.0);
                a.create(waiting, Sync.email(waiting), Map.of());
                runner.await(Duration.ofSeconds(30), "a change waiting for site2", () -> value(scrape(metrics),
                        "usermesh_outbox_pending", "target", "site2") == 1.0);
                double before = value(scrape(metrics), "usermesh_outbox_oldest_age_seconds", "target", "site2");
                Thread.sleep(GAUGE_CACHE_MS + 1000);
                age = value(scrape(metrics), "usermesh_outbox_oldest_age_seconds", "target", "site2");
                assertTrue(age > before && before >= 0, "the lag grows: " + before + " then " + age);
            } finally {
                TestBed.server("start-site", 2);
            }
            runner.await(Duration.ofSeconds(60), "site2 back: up, nothing waiting, no lag", () -> {
                Map<String, Double> now = scrape(metrics);
                return value(now, "usermesh_site_up", "site", "site2") == 1.0
                        && value(now, "usermesh_outbox_pending", "target", "site2") == 0.0
                        && value(now, "usermesh_outbox_oldest_age_seconds", "target", "site2") == 0.0;
            });

            // an author: site2 has no role to map it to, so the create is a dead letter
            String author = Sync.uniqueLogin("metrics");
            made.add(Sync.email(author));
            a.create(author, Sync.email(author), Map.of("roles", List.of("author")));
            runner.await(Duration.ofSeconds(60), "a dead letter for site2", () -> value(scrape(metrics),
                    "usermesh_dead_letters", "target", "site2") == 1.0);
            Map<String, Double> last = scrape(metrics);
            assertEquals(1.0, value(last, "usermesh_deliveries_total", "action", "create", "source", "site1",
                    "status", "dead", "target", "site2"));
            assertEquals(0.0, value(last, "usermesh_circuit_open", "target", "site2"));
            assertTrue(value(last, "usermesh_poll_last_success_timestamp_seconds", "site", "site1") > 0);
            assertTrue(value(last, "usermesh_delivery_concurrency", "target", "site2") >= 1);
            assertTrue(value(last, "usermesh_poll_duration_seconds_count", "site", "site1") >= 1);

            // what the shipped Grafana dashboard and alert rules ask for, the runner exports
            Set<String> exported = new TreeSet<>();
            last.keySet().forEach(series -> exported.add(series.replaceAll("\\{.*", "")));
            for (Path file : List.of(TestBed.projectDir().resolve("docs/grafana/usermesh.json"),
                    TestBed.projectDir().resolve("docs/prometheus/alerts.yml"))) {
                String text = Files.readString(file);
                if (file.toString().endsWith(".json")) {
                    AdminApiIT.JSON.readTree(text); // valid JSON
                }
                Matcher names = METRIC_NAME.matcher(text);
                Set<String> asked = new TreeSet<>();
                while (names.find()) {
                    asked.add(names.group());
                }
                assertFalse(asked.isEmpty(), file + " asks for no usermesh metric");
                asked.removeAll(exported);
                assertEquals(Set.of(), asked, file + " asks for metrics the runner does not export");
            }
        } finally {
            for (String email : made) {
                for (WpAdmin site : List.of(a, b)) {
                    site.byEmail(email).ifPresent(user -> site.delete(user.path("id").asLong()));
                }
            }
        }
    }

    /** How long StateGauges keeps a read of the database: the test waits it out. */
    private static final long GAUGE_CACHE_MS = 5000;

    /** Every sample of a scrape: "name{label="value",...}" (labels as exported, sorted) to its value. */
    static Map<String, Double> scrape(String url) {
        try {
            HttpResponse<String> r = JarProcess.get(url);
            assertEquals(200, r.statusCode());
            Map<String, Double> samples = new TreeMap<>();
            for (String line : r.body().split("\n")) {
                Matcher m = SAMPLE.matcher(line);
                if (!line.startsWith("#") && m.matches()) {
                    samples.put(m.group(1) + "{" + labels(m.group(3)) + "}", Double.parseDouble(m.group(4)));
                }
            }
            return samples;
        } catch (Exception e) {
            throw new AssertionError("scrape of " + url, e);
        }
    }

    private static String labels(String text) {
        Map<String, String> labels = new TreeMap<>();
        if (text != null) {
            Matcher m = LABEL.matcher(text);
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        StringBuilder out = new StringBuilder();
        labels.forEach((k, v) -> out.append(out.isEmpty() ? "" : ",").append(k).append("=\"").append(v).append('"'));
        return out.toString();
    }

    /** The sum of the samples of {@code name} that carry these labels (name, value pairs), 0 when none does. */
    static double value(Map<String, Double> scrape, String name, String... labelPairs) {
        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            wanted.add(labelPairs[i] + "=\"" + labelPairs[i + 1] + "\"");
        }
        return scrape.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{")).filter(e -> {
            List<String> has = List.of(e.getKey().substring(name.length() + 1, e.getKey().length() - 1).split(","));
            return has.containsAll(wanted);
        }).mapToDouble(Map.Entry::getValue).sum();
    }
}
