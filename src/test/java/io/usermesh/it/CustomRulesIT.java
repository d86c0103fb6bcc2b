package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.it.SyncRunner.LogRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An integrator's edit of routes/ on real sites: the runner runs a copy of routes/ whose custom-rules
 * route skips accounts of one email domain for site3 (with a reason) and logs every change it sees.
 * site1 pushes to site2 and to site3.
 */
class CustomRulesIT {

    static final Duration TWO_POLLS = Duration.ofSeconds(2 * 3 + 10);
    static final String CUSTOM_RULES = """
            - route:
                id: custom-rules
                from:
                  uri: direct:custom-rules
                  steps:
                    - log:
                        loggingLevel: INFO
                        logName: it.custom-rules
                        message: "custom rule saw ${header.UsermeshAction} of ${header.UsermeshLogin} for ${header.UsermeshTarget}"
                    - filter:
                        simple: "${header.UsermeshTarget} == 'site3' && ${header.UsermeshEmail} ends with '@partner.test'"
                        steps:
                          - setHeader:
                              name: UsermeshSkip
                              constant: "partner accounts stay off site3"
            """;

    @TempDir
    static Path workDir;

    static SyncRunner runner;
    static final WpAdmin SITE1 = WpAdmin.of(1);
    static final WpAdmin SITE2 = WpAdmin.of(2);
    static final WpAdmin SITE3 = WpAdmin.of(3);

    /** A copy of the checkout's routes/ with {@code customRules} as custom-rules.camel.yaml. */
    static Path routesWith(Path dir, String customRules) throws Exception {
        Files.createDirectories(dir);
        try (var files = Files.list(TestBed.projectDir().resolve("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        Files.writeString(dir.resolve("custom-rules.camel.yaml"), customRules);
        return dir;
    }

    @BeforeAll
    static void startRunner() throws Exception {
        String yaml = Configs.sitesYaml("  pollInterval: 3s\n",
                List.of(TestBed.site(1), TestBed.site(2), TestBed.site(3)), Map.of(),
                """
                links:
                  - between: [site1, site2]
                    direction: push
                  - between: [site1, site3]
                    direction: push
                """);
        runner = SyncRunner.start(workDir, yaml, "", List.of("site1", "site2", "site3"), MariaDb.create(), true,
                routesWith(workDir.resolve("my-routes"), CUSTOM_RULES));
    }

    @AfterAll
    static void stopRunner() throws Exception {
        Sync.closeAll(runner);
    }

    @Test
    void aCustomRuleKeepsOneDomainOffOneTargetWithItsReason() throws Exception {
        String partnerLogin = Sync.uniqueLogin("partner");
        String partner = partnerLogin + "@partner.test";
        String otherLogin = Sync.uniqueLogin("other");
        String other = Sync.email(otherLogin);
        SITE1.create(partnerLogin, partner, Map.of("roles", List.of("author")));
        SITE1.create(otherLogin, other, Map.of("roles", List.of("author")));

        runner.await(TWO_POLLS, "other on site2 and site3",
                () -> SITE2.byEmail(other).isPresent() && SITE3.byEmail(other).isPresent());
        runner.await(TWO_POLLS, "partner on site2", () -> SITE2.byEmail(partner).isPresent());
        LogRow skipped = runner.awaitRow(TWO_POLLS, "partner's row for site3",
                r -> r.userKey().equalsIgnoreCase(partner) && "site3".equals(r.target()));

        assertEquals("skipped", skipped.status(), skipped.toString());
        assertEquals("create", skipped.action(), skipped.toString());
        assertEquals("custom rule: partner accounts stay off site3", skipped.message());
        assertTrue(SITE3.byEmail(partner).isEmpty(), "the partner account never reached site3");
        assertEquals(List.of("create:success"), rowsTo(partner, "site2"));
        assertEquals(List.of("create:success"), rowsTo(other, "site3"));
    }

    @Test
    void aLogStepInCustomRulesWritesItsLine() throws Exception {
        String login = Sync.uniqueLogin("logged");
        SITE1.create(login, Sync.email(login), Map.of("roles", List.of("author")));

        // one line per target: the split sends the change to site2, then to site3
        List<String> expected = List.of("custom rule saw create of " + login + " for site2",
                "custom rule saw create of " + login + " for site3");
        runner.await(TWO_POLLS, "the custom rule's log lines", () -> expected.stream()
                .allMatch(line -> runner.output().contains(line)));
    }

    @Test
    void aBrokenCustomRulesRouteStopsStartUpNamingTheFileAndTheRoute() throws Exception {
        Path dir = workDir.resolve("broken");
        Path routes = routesWith(dir.resolve("routes"), """
                - route:
                    id: custom-rules
                    from:
                      uri: direct:custom-rules
                      steps:
                        - bean:
                            ref: noSuchBean
                """);
        Path config = Configs.write(dir, Configs.sitesYaml(List.of(TestBed.site(1))),
                "usermesh.http.port=" + SyncRunner.freePort() + "\nusermesh.management.port=" + SyncRunner.freePort()
                        + "\n");
        JarProcess.Result result = JarProcess.run(dir, Map.of(), Duration.ofSeconds(60), "run", "--config-dir",
                config.toString(), "--routes-dir", routes.toString());

        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("route custom-rules in file:" + routes.resolve("custom-rules.camel.yaml"))
                && result.output().contains("No bean could be found in the registry for: noSuchBean"),
                result.output());
    }

    private static List<String> rowsTo(String userKey, String target) {
        return runner.logFor(userKey).stream().filter(r -> target.equals(r.target()))
                .map(r -> r.action() + ":" + r.status()).toList();
    }
}
