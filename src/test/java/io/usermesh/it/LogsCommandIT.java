package io.usermesh.it;

import static io.usermesh.audit.AuditFixture.site;
import static io.usermesh.audit.AuditFixture.sites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditFixture;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Secret;
import io.usermesh.model.Origin;
import io.usermesh.storage.Database;
import io.usermesh.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code usermesh logs}: the audit trail on MariaDB, filtered as the contract names the options. */
class LogsCommandIT {

    /** Shaped like a WordPress application password, made up for each run (the sites are unreachable anyway). */
    static final String APP_PASSWORD = UUID.randomUUID().toString().replace("-", "").substring(0, 24)
            .replaceAll("(.{4})(?!$)", "$1 ");

    @TempDir
    Path workDir;

    @Test
    void filtersTheAuditTrailAndPrintsNoSecret() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (MariaDb mariaDb = MariaDb.create();
                Database db = Database.open(TestSettings.withDb(mariaDb.url(), MariaDb.USER,
                        Secret.of(MariaDb.PASSWORD), workDir.resolve("data")))) {
            db.migrate();
            try (AuditFixture audit = AuditFixture.start(db.dataSource(),
                    sites(30, site("shop", 30, true), site("blog", 30, true)), Map.of())) {
                audit.log().record(new AuditEntry(now, "ev-1", "shop", "blog", "ann@example.com", "create",
                        AuditStatus.SUCCESS, 201, "created", 34L, Origin.POLL));
                audit.log().record(new AuditEntry(now.minusSeconds(1), "ev-2", "blog", "shop", "bob@example.com",
                        "roles", AuditStatus.FAILED, 400, "role customer does not exist on shop; add roleMap",
                        12L, Origin.POLL));
                audit.log().record(new AuditEntry(now.minusSeconds(2), "ev-3", "blog", null, "cid@example.com",
                        "delete", AuditStatus.SKIPPED, null, "held back", null, Origin.POLL));
                audit.log().record(new AuditEntry(now.minus(Duration.ofDays(3)), "ev-4", "shop", "blog",
                        "ann@example.com", "edit", AuditStatus.SUCCESS, 200, null, 20L, Origin.RECONCILE));
            }
            Path config = Configs.write(workDir, """
                    sites:
                      - id: shop
                        url: http://127.0.0.1:9/shop
                        username: sync-bot
                        applicationPassword: "%s"
                      - id: blog
                        url: http://127.0.0.1:9/blog
                        username: sync-bot
                        applicationPassword: "%s"
                    links:
                      - between: [shop, blog]
                        direction: bidirectional
                    """.formatted(APP_PASSWORD, APP_PASSWORD), "");
            Map<String, String> env = SyncRunner.dbEnv(mariaDb);

            String all = logs(env, config, 0);
            assertEquals(List.of("ann@example.com create success", "bob@example.com roles failed",
                    "cid@example.com delete skipped", "ann@example.com edit success"), rowsOf(all));
            assertTrue(all.contains("role customer does not exist on shop; add roleMap"), all);
            assertTrue(all.contains("4 of 4 matching row(s)"), all);

            String failed = logs(env, config, 0, "--site", "shop", "--status", "FAILED");
            assertEquals(List.of("bob@example.com roles failed"), rowsOf(failed));

            String recent = logs(env, config, 0, "--since", now.minus(Duration.ofDays(1)).toString(), "--limit", "2");
            assertEquals(List.of("ann@example.com create success", "bob@example.com roles failed"), rowsOf(recent));
            assertTrue(recent.contains("2 of 3 matching row(s)"), recent);

            String older = logs(env, config, 0, "--until", now.minus(Duration.ofDays(1)).toString().substring(0, 10));
            assertEquals(List.of("ann@example.com edit success"), rowsOf(older));

            String json = logs(env, config, 0, "--user", "ann@example.com", "--json");
            List<JsonNode> lines = json.lines().filter(l -> l.startsWith("{")).map(LogsCommandIT::parse).toList();
            assertEquals(2, lines.size(), json);
            assertEquals("create", lines.get(0).path("action").asText());
            assertEquals("SUCCESS", lines.get(0).path("status").asText());
            assertEquals(201, lines.get(0).path("httpStatus").asInt());
            assertEquals("RECONCILE", lines.get(1).path("origin").asText());

            String bad = logs(env, config, 2, "--status", "lost");
            assertTrue(bad.contains("status must be one of [success, skipped, failed, conflict, dead], got 'lost'"),
                    bad);
            String badTime = logs(env, config, 2, "--since", "yesterday");
            assertTrue(badTime.contains("--since must be an ISO-8601 time"), badTime);

            for (String out : List.of(all, failed, recent, older, json, bad, badTime)) {
                assertFalse(out.contains(APP_PASSWORD) || out.contains(APP_PASSWORD.replace(" ", "")),
                        "no application password in the output");
            }
        }
    }

    private String logs(Map<String, String> env, Path config, int exitCode, String... options) throws Exception {
        String[] args = new String[options.length + 3];
        args[0] = "logs";
        args[1] = "--config-dir";
        args[2] = config.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        JarProcess.Result result = JarProcess.run(workDir, env, Duration.ofSeconds(60), args);
        assertEquals(exitCode, result.exitCode(), result.output());
        return result.output();
    }

    /** "user action status" of each table row, in the printed order. */
    private static List<String> rowsOf(String table) {
        return table.lines().filter(l -> l.matches("^\\d{4}-\\d\\d-\\d\\dT.*")).map(l -> {
            String[] cols = l.trim().split("\\s+");
            return cols[3] + " " + cols[4] + " " + cols[5];
        }).toList();
    }

    private static JsonNode parse(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
