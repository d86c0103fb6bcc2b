package io.usermesh.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads application.properties. It is parsed here line by line rather than with java.util.Properties so that
 * every error can name its line; the syntax is the same (comments, separators, continuations, escapes).
 */
final class PropertiesLoader {

    /** A usermesh.* key: its default as it would be written in the file, and the env variable that overrides it. */
    private record Key(String name, String defaultText, String envVar, Function<ConfigValue, Object> reader) {
    }

    private record Line(String key, String value, int number) {
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        key("usermesh.db.url", "", "USERMESH_DB_URL", ConfigValue::text);
        key("usermesh.db.user", "", "USERMESH_DB_USER", ConfigValue::text);
        key("usermesh.db.password", "", "USERMESH_DB_PASSWORD", ConfigValue::asSecret);
        key("usermesh.db.poolSize", "10", null, ConfigValue::asPositiveInt);
        key("usermesh.http.host", "127.0.0.1", null, ConfigValue::nonEmpty);
        key("usermesh.http.port", "8280", null, ConfigValue::asPort);
        key("usermesh.http.maxConcurrentRequests", "64", null, ConfigValue::asPositiveInt);
        key("usermesh.http.maxHookBody", "256KiB", null, ConfigValue::asSize);
        key("usermesh.http.maxApiBody", "64KiB", null, ConfigValue::asSize);
        key("usermesh.http.bodyTimeout", "10s", null, ConfigValue::asDuration);
        key("usermesh.management.host", "127.0.0.1", null, ConfigValue::nonEmpty);
        key("usermesh.management.port", "9280", null, ConfigValue::asPort);
        key("usermesh.admin.token", "", "USERMESH_ADMIN_TOKEN", ConfigValue::asAdminToken);
        key("usermesh.push.maxPending", "10000", null, ConfigValue::asPositiveInt);
        key("usermesh.push.refusalLogInterval", "1m", null, ConfigValue::asDuration);
        key("usermesh.wp.connectTimeout", "5s", null, ConfigValue::asDuration);
        key("usermesh.wp.responseTimeout", "30s", null, ConfigValue::asDuration);
        key("usermesh.wp.maxConnections", "40", null, ConfigValue::asPositiveInt);
        key("usermesh.wp.maxConnectionsPerSite", "10", null, ConfigValue::asPositiveInt);
        key("usermesh.shutdown.timeout", "30s", null, ConfigValue::asDuration);
        key("usermesh.dataDir", "data", null, ConfigValue::asPath);
        key("usermesh.reconcile.cron", "", null, ConfigValue::asCronOrEmpty);
        key("usermesh.sync.deleteGuardPercent", "20", null, ConfigValue::asPercent);
        key("usermesh.delivery.maxAttempts", "8", null, ConfigValue::asPositiveInt);
        key("usermesh.delivery.initialBackoff", "5s", null, ConfigValue::asDuration);
        key("usermesh.delivery.maxBackoff", "10m", null, ConfigValue::asDuration);
        key("usermesh.delivery.circuitFailures", "5", null, ConfigValue::asPositiveInt);
        key("usermesh.delivery.circuitProbe", "30s", null, ConfigValue::asDuration);
        key("usermesh.delivery.concurrency", "4", null, ConfigValue::asPositiveInt);
        key("usermesh.delivery.maxConcurrency", "8", null, ConfigValue::asPositiveInt);
        // read by the route files as {{usermesh.…}} placeholders (RouteSettings)
        key("usermesh.push.periodMs", "500", null, v -> v.asMillis(10, 60_000));
        key("usermesh.outbox.periodMs", "500", null, v -> v.asMillis(10, 60_000));
        key("usermesh.siteHealth.period", "1m", null, v -> v.asDurationBetween("1s", "1d"));
        key("usermesh.audit.purgeCron", "0 15 3 * * ?", null, ConfigValue::asCron);
        key("usermesh.reload.watchPeriod", "2s", null, v -> v.asDurationBetween("100ms", "1h"));
        key("usermesh.alerts.period", "30s", null, v -> v.asDurationBetween("100ms", "1h"));
        key("usermesh.alerts.webhookUrl", "", "USERMESH_ALERTS_WEBHOOK_URL", ConfigValue::asSecretUrlOrEmpty);
        key("usermesh.alerts.siteDownAfter", "5m", null, v -> v.asDurationBetween("1s", "7d"));
        key("usermesh.alerts.lagThreshold", "15m", null, v -> v.asDurationBetween("1s", "7d"));
    }

    private static void key(String name, String defaultText, String envVar, Function<ConfigValue, Object> reader) {
        KEYS.put(name, new Key(name, defaultText, envVar, reader));
    }

    /** Every usermesh.* key with its default as written in the file; tests check the docs against it. */
    static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        KEYS.values().forEach(k -> defaults.put(k.name(), k.defaultText()));
        return defaults;
    }

    private final String file;
    private final Placeholders placeholders;
    private final Map<String, String> env;
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, Integer> keyLines = new HashMap<>();
    private final Map<String, String> camel = new LinkedHashMap<>();

    private PropertiesLoader(String file, Placeholders placeholders, Map<String, String> env) {
        this.file = file;
        this.placeholders = placeholders;
        this.env = env;
    }

    /** @param text the file's content, or "" when there is no file */
    static UsermeshSettings parse(String text, String file, Placeholders placeholders, Map<String, String> env) {
        return new PropertiesLoader(file, placeholders, env).read(text);
    }

    private UsermeshSettings read(String text) {
        for (Line line : entries(text)) {
            Integer first = keyLines.putIfAbsent(line.key(), line.number());
            if (first != null) {
                throw new ConfigException(file, line.number(), line.key(), "duplicate key (first at line " + first + ")");
            }
            if (line.key().startsWith("camel.") && line.key().length() > "camel.".length()) {
                camel.put(line.key(), placeholders.value(line.value(), file, line.number(), line.key()).text());
            } else if (KEYS.containsKey(line.key())) {
                Key key = KEYS.get(line.key());
                // an env override makes the file's value irrelevant, even one whose placeholder cannot resolve
                if (envOverride(key) == null) {
                    values.put(key.name(), key.reader().apply(
                            placeholders.value(line.value(), file, line.number(), key.name())));
                }
            } else {
                throw new ConfigException(file, line.number(), line.key(), unknownKeyProblem(line.key()));
            }
        }
        KEYS.values().forEach(this::fillIn);
        return settings();
    }

    private static String unknownKeyProblem(String key) {
        return key.startsWith("usermesh.")
                ? "unknown key; allowed usermesh keys: " + String.join(", ", KEYS.keySet())
                : "unknown key; only the usermesh.* keys and camel.* keys (passed to Camel) are allowed";
    }

    /** Env variables here hold values as they are: they are not searched for placeholders. */
    private void fillIn(Key key) {
        String override = envOverride(key);
        if (override != null) {
            values.put(key.name(), key.reader().apply(new ConfigValue(override, override, "env " + key.envVar(), 0,
                    key.name())));
        } else if (!values.containsKey(key.name())) {
            values.put(key.name(), key.reader().apply(new ConfigValue(key.defaultText(), key.defaultText(), file, 0,
                    key.name())));
        }
    }

    /** An empty variable counts as unset, so that {@code FOO=} in a compose file does not blank a setting. */
    private String envOverride(Key key) {
        String value = key.envVar() == null ? null : env.get(key.envVar());
        return value == null || value.isEmpty() ? null : value;
    }

    private UsermeshSettings settings() {
        int httpPort = get("usermesh.http.port");
        int managementPort = get("usermesh.management.port");
        if (httpPort != 0 && httpPort == managementPort) {
            throw failAt("usermesh.management.port", "usermesh.http.port",
                    "usermesh.http.port and usermesh.management.port must differ (both are " + httpPort + ")");
        }
        int maxConnections = get("usermesh.wp.maxConnections");
        int perSite = get("usermesh.wp.maxConnectionsPerSite");
        if (perSite > maxConnections) {
            throw failAt("usermesh.wp.maxConnectionsPerSite", "usermesh.wp.maxConnections",
                    "usermesh.wp.maxConnectionsPerSite (" + perSite + ") must not exceed usermesh.wp.maxConnections ("
                            + maxConnections + ")");
        }
        int concurrency = get("usermesh.delivery.concurrency");
        int maxConcurrency = get("usermesh.delivery.maxConcurrency");
        if (concurrency > maxConcurrency) {
            throw failAt("usermesh.delivery.concurrency", "usermesh.delivery.maxConcurrency",
                    "usermesh.delivery.concurrency (" + concurrency + ") must not exceed usermesh.delivery.maxConcurrency ("
                            + maxConcurrency + ")");
        }
        // the adaptive limit never asks for more connections than the site's pool holds
        maxConcurrency = Math.min(maxConcurrency, perSite);
        concurrency = Math.min(concurrency, maxConcurrency);
        return new UsermeshSettings(get("usermesh.db.url"), get("usermesh.db.user"), get("usermesh.db.password"),
                get("usermesh.db.poolSize"), new HttpSettings(get("usermesh.http.host"), httpPort,
                        get("usermesh.management.host"), managementPort, get("usermesh.http.maxConcurrentRequests"),
                        get("usermesh.http.maxHookBody"), get("usermesh.http.maxApiBody"),
                        get("usermesh.http.bodyTimeout"), get("usermesh.push.maxPending"),
                        get("usermesh.push.refusalLogInterval")),
                get("usermesh.admin.token"), get("usermesh.wp.connectTimeout"), get("usermesh.wp.responseTimeout"),
                maxConnections, perSite, get("usermesh.shutdown.timeout"), get("usermesh.dataDir"),
                get("usermesh.reconcile.cron"), new SyncSettings(get("usermesh.sync.deleteGuardPercent"),
                        get("usermesh.delivery.maxAttempts"), get("usermesh.delivery.initialBackoff"),
                        get("usermesh.delivery.maxBackoff"), get("usermesh.delivery.circuitFailures"),
                        get("usermesh.delivery.circuitProbe"), concurrency, maxConcurrency),
                new RouteSettings(get("usermesh.push.periodMs"), get("usermesh.outbox.periodMs"),
                        get("usermesh.siteHealth.period"), get("usermesh.audit.purgeCron"),
                        get("usermesh.reload.watchPeriod"), get("usermesh.alerts.period")),
                new AlertSettings(get("usermesh.alerts.webhookUrl"), get("usermesh.alerts.siteDownAfter"),
                        get("usermesh.alerts.lagThreshold")), camel);
    }

    /** Blames {@code key} at its line, or {@code otherKey} when only that one is in the file. */
    private ConfigException failAt(String key, String otherKey, String problem) {
        String blamed = keyLines.containsKey(key) || !keyLines.containsKey(otherKey) ? key : otherKey;
        return new ConfigException(file, keyLines.getOrDefault(blamed, 0), blamed, problem);
    }

    @SuppressWarnings("unchecked")
    private <T> T get(String key) {
        return (T) values.get(key);
    }

    // --- java.util.Properties syntax, keeping the line where each entry starts

    private List<Line> entries(String text) {
        String[] physical = text.split("\r\n|\r|\n", -1);
        List<Line> result = new ArrayList<>();
        for (int i = 0; i < physical.length; i++) {
            int number = i + 1;
            String line = physical[i].stripLeading();
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '!') {
                continue;
            }
            StringBuilder logical = new StringBuilder();
            while (endsWithContinuation(line)) {
                logical.append(line, 0, line.length() - 1);
                if (++i == physical.length) {
                    line = "";
                    break;
                }
                line = physical[i].stripLeading();
            }
            logical.append(line);
            result.add(split(logical.toString(), number));
        }
        return result;
    }

    private static boolean endsWithContinuation(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private Line split(String logical, int number) {
        int end = 0;
        while (end < logical.length() && "=: \t\f".indexOf(logical.charAt(end)) < 0) {
            end += logical.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(end, logical.length());
        int valueStart = end;
        while (valueStart < logical.length() && " \t\f".indexOf(logical.charAt(valueStart)) >= 0) {
            valueStart++;
        }
        if (valueStart < logical.length() && "=:".indexOf(logical.charAt(valueStart)) >= 0) {
            valueStart++;
        }
        String key = unescape(logical.substring(0, end), number, "-");
        String value = unescape(logical.substring(valueStart), number, key);
        return new Line(key, value.trim(), number);
    }

    private String unescape(String s, int number, String key) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char next = s.charAt(++i);
            switch (next) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 5 > s.length() || !s.substring(i + 1, i + 5).matches("[0-9A-Fa-f]{4}")) {
                        throw new ConfigException(file, number, key, "malformed \\uxxxx escape");
                    }
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
