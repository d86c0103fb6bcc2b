package io.usermesh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The java.util.Properties syntax, read through camel.* keys because they keep their values as they are. */
class PropertiesSyntaxTest {

    private static final String FILE = "config/application.properties";

    @Test
    void separatorsCommentsAndWhitespace() {
        Map<String, String> camel = camel("""
                # a comment
                ! also a comment
                   camel.a=1
                camel.b: 2
                camel.c 3
                camel.d   =   four words   \t
                camel.e=
                camel.f=a=b:c
                """);

        assertEquals(Map.of("camel.a", "1", "camel.b", "2", "camel.c", "3", "camel.d", "four words",
                "camel.e", "", "camel.f", "a=b:c"), camel);
    }

    @Test
    void continuationsAndEscapes() {
        Map<String, String> camel = camel("""
                camel.list = one, \\
                             two, \\
                             three
                camel.escaped = tab\\there \\u0041 back\\\\slash
                camel.key\\=with\\:separators = x
                camel.last = dangling\\
                """);

        assertEquals(Map.of("camel.list", "one, two, three", "camel.escaped", "tab\there A back\\slash",
                "camel.key=with:separators", "x", "camel.last", "dangling"), camel);
    }

    @Test
    void anEntryIsReportedAtTheLineItStarts() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("""
                camel.a = \\
                  1

                usermesh.http.port = \\
                  http
                """));

        assertEquals(FILE + ":4: usermesh.http.port: bad number 'http': expected a whole number", e.getMessage());
    }

    @Test
    void badUnicodeEscape() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("camel.x=\\u00zz\n"));

        assertEquals(FILE + ":1: camel.x: malformed \\uxxxx escape", e.getMessage());
    }

    @Test
    void placeholdersAreResolvedInCamelValues() {
        assertEquals(Map.of("camel.main.name", "usermesh-prod", "camel.x", "${body} stays"),
                camel("camel.main.name=usermesh-${env:STAGE}\ncamel.x=${body} stays\n"));
    }

    @Test
    void crossChecks() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("usermesh.wp.maxConnections=2\n"));

        assertEquals(FILE + ":1: usermesh.wp.maxConnections: usermesh.wp.maxConnectionsPerSite (10) must not exceed"
                + " usermesh.wp.maxConnections (2)", e.getMessage());
        ConfigException c = assertThrows(ConfigException.class, () -> parse("usermesh.delivery.concurrency=9\n"));
        assertEquals(FILE + ":1: usermesh.delivery.concurrency: usermesh.delivery.concurrency (9) must not exceed"
                + " usermesh.delivery.maxConcurrency (8)", c.getMessage());
        UsermeshSettings capped = parse("usermesh.wp.maxConnectionsPerSite=3\n");
        assertEquals(3, capped.sync().maxConcurrency(), "never more writes than the site's connections");
        assertEquals(3, capped.sync().concurrency());
        assertEquals(0, parse("usermesh.http.port=0\nusermesh.management.port=0\n").http().port(),
                "two servers may both ask for any free port");
    }

    @Test
    void theKeysTheRoutesReadAreSettings() {
        assertEquals(RouteSettings.DEFAULTS, parse("").routes());
        RouteSettings routes = parse("""
                usermesh.push.periodMs=250
                usermesh.outbox.periodMs=${env:OUTBOX_MS:-1000}
                usermesh.siteHealth.period=5m
                usermesh.audit.purgeCron=0 0 4 * * ?
                usermesh.reload.watchPeriod=500ms
                usermesh.alerts.period=1m
                """).routes();

        assertEquals(new RouteSettings(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMinutes(5),
                "0 0 4 * * ?", Duration.ofMillis(500), Duration.ofMinutes(1)), routes);
        assertEquals(Map.of("usermesh.push.periodMs", "250", "usermesh.outbox.periodMs", "1000",
                "usermesh.siteHealth.period", "300000", "usermesh.audit.purgeCron", "0 0 4 * * ?",
                "usermesh.reload.watchPeriod", "500", "usermesh.alerts.period", "60000"), routes.placeholders());
    }

    @Test
    void aBadRouteKeyNamesItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("""
                usermesh.push.periodMs=500
                # how often outbox-dispatch runs
                usermesh.outbox.periodMs=0
                """));

        assertEquals(FILE + ":3: usermesh.outbox.periodMs: must be a whole number of milliseconds from 10 to 60000,"
                + " got 0", e.getMessage());
    }

    @Test
    void everyKeyIsDocumented() throws IOException {
        String docs = Files.readString(Path.of("docs/configuration.md"));
        for (String key : PropertiesLoader.defaults().keySet()) {
            assertTrue(docs.contains("`" + key + "`"), key + " in docs/configuration.md");
        }
        for (List<String> keys : List.of(SitesLoader.TOP_KEYS, SitesLoader.SITE_KEYS, SitesLoader.WEBHOOK_KEYS,
                SitesLoader.LINK_KEYS)) {
            for (String key : keys) {
                assertTrue(docs.contains("`" + key + "`"), key + " in docs/configuration.md");
            }
        }
    }

    private static Map<String, String> camel(String text) {
        return parse(text).camelProperties();
    }

    private static UsermeshSettings parse(String text) {
        Map<String, String> env = Map.of("STAGE", "prod");
        return PropertiesLoader.parse(text, FILE, new Placeholders(env, Path.of("config")), env);
    }
}
