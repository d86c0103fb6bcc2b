package io.usermesh.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.ConfigLoader;
import io.usermesh.config.UsermeshSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** application.properties reaches Camel's properties component: the routes' {{usermesh.…}} placeholders. */
class CamelSettingsTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(usermesh\\.[^}:]+)(?::([^}]*))?}}");

    @TempDir
    Path configDir;

    @Test
    void everyUsermeshPlaceholderOfTheRoutesIsAValidatedKeyWithTheRoutesDefault() throws IOException {
        Properties camel = CamelSettings.of(settings(""), null);
        Map<String, String> used = routePlaceholders();

        assertFalse(used.isEmpty(), "routes/ uses {{usermesh.…}} placeholders");
        used.forEach((key, fallback) -> {
            assertTrue(camel.containsKey(key), key + " is used by routes/ but is no usermesh setting");
            if (!fallback.isEmpty()) {
                assertEquals(fallback, camel.getProperty(key), key + ": the route's fallback and the default");
            }
        });
    }

    @Test
    void aValueFromTheFileResolvesInTheRoutes() throws Exception {
        Properties properties = CamelSettings.of(settings("""
                usermesh.push.periodMs=250
                usermesh.siteHealth.period=2m
                usermesh.audit.purgeCron=0 0 4 * * ?
                """), null);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getPropertiesComponent().setInitialProperties(properties);

            assertEquals("250", camel.resolvePropertyPlaceholders("{{usermesh.push.periodMs:500}}"));
            assertEquals("500", camel.resolvePropertyPlaceholders("{{usermesh.outbox.periodMs}}"));
            assertEquals("120000", camel.resolvePropertyPlaceholders("{{usermesh.siteHealth.period:60000}}"));
            assertEquals("0 0 4 * * ?", camel.resolvePropertyPlaceholders("{{usermesh.audit.purgeCron}}"));
        }
    }

    @Test
    void aSystemPropertyCannotOverrideAValidatedValue() throws Exception {
        Properties properties = CamelSettings.of(settings("usermesh.push.periodMs=250\n"), null);
        System.setProperty("usermesh.push.periodMs", "-1"); // refused, were it in the file
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getPropertiesComponent().setInitialProperties(properties);
            CamelSettings.onlyValidated(camel);

            assertEquals("250", camel.resolvePropertyPlaceholders("{{usermesh.push.periodMs}}"));
        } finally {
            System.clearProperty("usermesh.push.periodMs");
        }
    }

    @Test
    void secretsStayOutOfCamelsProperties() {
        Properties camel = CamelSettings.of(settings("usermesh.admin.token=" + "t".repeat(40) + "\n"), null);

        assertFalse(camel.values().stream().anyMatch(v -> v.toString().contains("t".repeat(40))));
    }

    private UsermeshSettings settings(String properties) {
        try {
            Files.writeString(configDir.resolve(ConfigLoader.PROPERTIES_FILE), properties);
            Files.writeString(configDir.resolve(ConfigLoader.SITES_FILE), """
                    sites:
                      - id: shop
                        url: https://shop.example.com
                        username: sync-bot
                    """);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return ConfigLoader.load(configDir, Map.of()).settings();
    }

    /** Every {{usermesh.key}} or {{usermesh.key:fallback}} in routes/*.camel.yaml, by key. */
    private static Map<String, String> routePlaceholders() throws IOException {
        Map<String, String> used = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Matcher m = PLACEHOLDER.matcher(Files.readString(file));
                while (m.find()) {
                    used.put(m.group(1), m.group(2) == null ? "" : m.group(2));
                }
            }
        }
        return used;
    }
}
