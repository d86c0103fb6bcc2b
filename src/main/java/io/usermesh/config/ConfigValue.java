package io.usermesh.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.quartz.CronExpression;

/**
 * One scalar from a configuration file, placeholders already resolved, with where it came from so that every
 * typed reading can fail with file, line and key. Both file formats share these readings.
 *
 * @param value the resolved text
 * @param raw the text as written in the file, placeholders unresolved
 */
record ConfigValue(String value, String raw, String file, int line, String key) {

    private static final Pattern DURATION = Pattern.compile("(\\d+(ms|s|m|h|d))+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final int SHOWN_MAX = 80;
    private static final int MIN_TOKEN = 32;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})\\s*(KiB|MiB|KB|MB|K|M)?", Pattern.CASE_INSENSITIVE);
    private static final long MAX_SIZE = 64L << 20;

    ConfigException fail(String problem) {
        return new ConfigException(file, line, key, problem);
    }

    /** The placeholder is well formed, but what it names is not there. */
    ConfigException unresolved(String problem) {
        return ConfigException.unresolved(file, line, key, problem);
    }

    /**
     * The value quoted for a message. When a placeholder supplied it, the placeholder is shown instead: a
     * variable or file meant for a secret may have been put in the wrong key, and must not be echoed.
     */
    String shown() {
        String text = value.equals(raw) ? value : raw;
        return "'" + (text.length() > SHOWN_MAX ? text.substring(0, SHOWN_MAX) + "..." : text) + "'";
    }

    String text() {
        return value;
    }

    String nonEmpty() {
        if (value.isBlank()) {
            throw fail("must not be empty");
        }
        return value.trim();
    }

    Secret asSecret() {
        return Secret.of(value);
    }

    /**
     * The admin API's bearer token: empty (the API refuses everything) or at least 32 characters, so it
     * cannot be guessed by trying. Its value is never quoted back.
     */
    Secret asAdminToken() {
        String v = value.trim();
        if (!v.isEmpty() && v.length() < MIN_TOKEN) {
            throw fail("the admin token must be at least " + MIN_TOKEN + " characters (it has " + v.length()
                    + "); generate one with: openssl rand -hex 32");
        }
        return Secret.of(v);
    }

    /** A size in bytes, written as 65536, 64KiB, 1MiB (or KB, MB: the same 1024 steps); at least 1. */
    long asSize() {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw fail("bad size " + shown() + ": use a whole number of bytes or a unit KiB or MiB, e.g. 64KiB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        long size = unit.startsWith("m") ? n << 20 : unit.startsWith("k") ? n << 10 : n;
        if (size < 1 || size > MAX_SIZE) {
            throw fail("size must be from 1 byte to 64MiB, got " + shown());
        }
        return size;
    }

    boolean asBoolean() {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw fail("bad boolean " + shown() + ": use true or false");
    }

    int asPositiveInt() {
        int n = asInt();
        if (n < 1) {
            throw fail("must be at least 1, got " + n);
        }
        return n;
    }

    int asPercent() {
        int n = asInt();
        if (n < 1 || n > 100) {
            throw fail("must be a percentage 1..100, got " + n);
        }
        return n;
    }

    /** 0 lets the operating system pick a free port, which tests use. */
    int asPort() {
        int n = asInt();
        if (n < 0 || n > 65535) {
            throw fail("must be a port number 1..65535 (or 0 for any free port), got " + n);
        }
        return n;
    }

    private int asInt() {
        String v = value.trim();
        if (v.matches("[+-]?\\d{1,10}")) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException tooLarge) {
                // reported below like any other bad number
            }
        }
        throw fail("bad number " + shown() + ": expected a whole number");
    }

    /** Written as 30s, 5m, 1h30m, 500ms or 2d; ISO-8601 (PT30S) is accepted too. Always greater than zero. */
    Duration asDuration() {
        String v = value.trim();
        Duration d;
        try {
            d = v.regionMatches(true, 0, "P", 0, 1) ? Duration.parse(v) : sumOfParts(v);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            d = null;
        }
        if (d == null) {
            throw fail("bad duration " + shown() + ": use a number with a unit ms, s, m, h or d, e.g. 30s or 5m");
        }
        if (d.isNegative() || d.isZero()) {
            throw fail("duration must be greater than zero, got " + shown());
        }
        return d;
    }

    private static Duration sumOfParts(String v) {
        if (!DURATION.matcher(v).matches()) {
            return null;
        }
        Duration total = Duration.ZERO;
        Matcher part = DURATION_PART.matcher(v);
        while (part.find()) {
            long n = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return total;
    }

    /** Enum constants are written in lowercase in the files; any case is accepted. */
    <E extends Enum<E>> E asEnum(Class<E> type, String what) {
        String v = value.trim();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(v)) {
                return constant;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        throw fail("unknown " + what + " " + shown() + "; allowed: " + allowed);
    }

    String asSiteId() {
        String v = value.trim();
        if (!Site.ID.matcher(v).matches()) {
            throw fail("malformed id " + shown() + ": use 1 to 32 characters from a-z, 0-9 and '-'");
        }
        return v;
    }

    /**
     * Empty, or an absolute http or https URL that is itself a secret (a webhook URL carries its own
     * credential in its path): checked like {@link #asHttpUrl}, never quoted back.
     */
    Secret asSecretUrlOrEmpty() {
        String v = value.trim();
        if (v.isEmpty()) {
            return Secret.EMPTY;
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw fail("malformed URL (not shown: it is a secret): must be an absolute http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw fail("malformed URL (not shown: it is a secret): must be an absolute http or https URL");
        }
        return Secret.of(v);
    }

    /**
     * An absolute http or https URL with a host, returned without trailing slash because paths are appended to
     * it. Credentials in the URL are refused: they belong in username and applicationPassword.
     */
    URI asHttpUrl() {
        String v = value.trim();
        // a URL with user info may hold a password, so such a value is never quoted back
        String shownUrl = v.contains("@") ? "" : " " + shown();
        String problem = "must be an absolute http or https URL with a host, e.g. https://shop.example.com";
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw fail("malformed URL" + shownUrl + ": " + problem);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw fail("malformed URL" + shownUrl + ": " + problem);
        }
        if (uri.getRawUserInfo() != null) {
            throw fail("the URL must not contain a user name or password; use username and applicationPassword");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw fail("malformed URL" + shownUrl + ": must not have a query (?) or fragment (#)");
        }
        return URI.create(stripTrailingSlashes(v));
    }

    /** Stored with a prefix length; see {@link Cidr}. */
    String asCidr() {
        String v = value.trim();
        try {
            return Cidr.normalize(v);
        } catch (IllegalArgumentException e) {
            throw fail("bad CIDR " + shown() + ": " + e.getMessage() + " (e.g. 10.0.0.0/8, 127.0.0.1/32, ::1/128)");
        }
    }

    /** Relative to the working directory, stored absolute so that it means the same wherever it is used. */
    Path asPath() {
        try {
            return Path.of(nonEmpty()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw fail("bad path " + shown() + ": " + e.getReason());
        }
    }

    /** A whole number of milliseconds from {@code min} to {@code max} (the keys whose name ends in Ms). */
    Duration asMillis(int min, int max) {
        int n = asInt();
        if (n < min || n > max) {
            throw fail("must be a whole number of milliseconds from " + min + " to " + max + ", got " + n);
        }
        return Duration.ofMillis(n);
    }

    /** A duration as {@link #asDuration()}, from {@code min} to {@code max} (both written the same way). */
    Duration asDurationBetween(String min, String max) {
        Duration d = asDuration();
        if (d.compareTo(sumOfParts(min)) < 0 || d.compareTo(sumOfParts(max)) > 0) {
            throw fail("duration must be from " + min + " to " + max + ", got " + shown());
        }
        return d;
    }

    /** A Quartz cron expression that must be there (the schedule of something that always runs). */
    String asCron() {
        if (value.isBlank()) {
            throw fail("must not be empty: a Quartz cron expression with seconds first, e.g. '0 15 3 * * ?'");
        }
        return asCronOrEmpty();
    }

    /** Empty means off; otherwise a Quartz cron expression, checked now rather than when the route starts. */
    String asCronOrEmpty() {
        String v = value.trim();
        if (!v.isEmpty()) {
            try {
                CronExpression.validateExpression(v);
            } catch (ParseException e) {
                throw fail("bad cron expression " + shown() + ": " + e.getMessage()
                        + " (Quartz syntax with seconds first, e.g. '0 0 3 * * ?')");
            }
        }
        return v;
    }

    static String stripTrailingSlashes(String url) {
        String s = url;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
