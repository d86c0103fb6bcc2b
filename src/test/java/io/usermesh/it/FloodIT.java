package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three waves of 40 parallel 10 MB POSTs without a token, to /hooks/site1 and /api/reconcile, half
 * of them with a Content-Length and half chunked, against a runner with a 256 MB heap (JarProcess):
 * the runner stays up, its admin API answers within 2 s after each wave, and a user created on
 * site1 during the flood reaches site2.
 */
class FloodIT {

    static final int WAVES = 3;
    static final int PARALLEL = 40;
    static final byte[] TEN_MB = new byte[10 << 20];

    static {
        Arrays.fill(TEN_MB, (byte) 'a');
    }

    @TempDir
    Path workDir;

    @Test
    void floodsOfLargeBodiesLeaveTheRunnerServingAndSyncing() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        String yaml = Configs.sitesYaml("  pollInterval: 2s\n", List.of(TestBed.site(1), TestBed.site(2)),
                Map.of(1, Configs.webhook("whsec-" + UUID.randomUUID(), TestBed.site(1))), Configs.PUSH_SITE1_TO_SITE2);
        String login = "flood" + UUID.randomUUID().toString().substring(0, 6);
        String email = login + "@example.test";
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, "usermesh.admin.token=" + token + "\n",
                List.of("site1", "site2"), MariaDb.create(), true)) {
            String base = "http://127.0.0.1:" + runner.httpPort();
            Map<Integer, Integer> answers = new TreeMap<>();
            for (int wave = 1; wave <= WAVES; wave++) {
                List<CompletableFuture<Integer>> sent = new ArrayList<>();
                for (int i = 0; i < PARALLEL; i++) {
                    String path = i % 2 == 0 ? "/hooks/site1" : "/api/reconcile";
                    HttpRequest.BodyPublisher body = i % 4 < 2 ? HttpRequest.BodyPublishers.ofByteArray(TEN_MB)
                            : HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(TEN_MB));
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                            .POST(body).build();
                    // a refused upload may end in a closed connection instead of an answer: -1
                    sent.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                            .handle((response, error) -> response == null ? -1 : response.statusCode()));
                }
                if (wave == 2) {
                    WpAdmin.of(1).create(login, email, Map.of());
                }
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                sent.forEach(f -> answers.merge(f.join(), 1, Integer::sum));

                assertTrue(runner.process().isAlive(), "the runner died in wave " + wave + ":\n" + runner.output());
                long start = System.nanoTime();
                HttpResponse<String> sites = client.send(HttpRequest.newBuilder(URI.create(base + "/api/sites"))
                        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.ofString());
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.out.println("FloodIT wave " + wave + ": answers " + answers + ", then the admin API in "
                        + took.toMillis() + " ms");
                assertEquals(200, sites.statusCode(), "after wave " + wave + ": " + sites.body());
                assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "the admin API took " + took + " after wave "
                        + wave);
            }
            System.out.println("FloodIT runner peak resident memory: " + java.nio.file.Files.readAllLines(
                    Path.of("/proc/" + runner.process().pid() + "/status")).stream()
                    .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("unknown"));
            assertTrue(answers.keySet().stream().allMatch(s -> s == -1 || s == 413 || s == 503),
                    "every upload refused: " + answers);
            WpAdmin site2 = WpAdmin.of(2);
            runner.await(Duration.ofSeconds(60), "the user created during the flood on site2",
                    () -> site2.byEmail(email).isPresent());
            assertTrue(runner.process().isAlive(), "the runner that started is still up");
        }
    }
}
