package io.usermesh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigValueTest {

    private static ConfigValue v(String value) {
        return new ConfigValue(value, value, "f", 1, "k");
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), v("500ms").asDuration());
        assertEquals(Duration.ofSeconds(30), v("30s").asDuration());
        assertEquals(Duration.ofMinutes(5), v("5m").asDuration());
        assertEquals(Duration.ofMinutes(90), v("1h30m").asDuration());
        assertEquals(Duration.ofDays(2), v("2d").asDuration());
        assertEquals(Duration.ofSeconds(45), v(" PT45S ").asDuration());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "5 m", "5x", "-5s", "1.5s", "99999999999999999999d", "P"})
    void badDurations(String text) {
        assertThrows(ConfigException.class, () -> v(text).asDuration());
    }

    @Test
    void zeroDurationIsRefused() {
        assertEquals("duration must be greater than zero, got '0s'",
                assertThrows(ConfigException.class, () -> v("0s").asDuration()).problem());
    }

    @Test
    void millisecondsWithinBounds() {
        assertEquals(Duration.ofMillis(500), v(" 500 ").asMillis(10, 60_000));
        assertEquals(Duration.ofMillis(10), v("10").asMillis(10, 60_000));
        assertEquals(Duration.ofMinutes(1), v("60000").asMillis(10, 60_000));
        assertEquals("must be a whole number of milliseconds from 10 to 60000, got 9",
                assertThrows(ConfigException.class, () -> v("9").asMillis(10, 60_000)).problem());
        assertThrows(ConfigException.class, () -> v("60001").asMillis(10, 60_000));
        assertThrows(ConfigException.class, () -> v("500ms").asMillis(10, 60_000));
    }

    @Test
    void durationsWithinBounds() {
        assertEquals(Duration.ofSeconds(1), v("1s").asDurationBetween("1s", "1d"));
        assertEquals(Duration.ofDays(1), v("24h").asDurationBetween("1s", "1d"));
        assertEquals("duration must be from 1s to 1d, got '999ms'",
                assertThrows(ConfigException.class, () -> v("999ms").asDurationBetween("1s", "1d")).problem());
        assertThrows(ConfigException.class, () -> v("1d1s").asDurationBetween("1s", "1d"));
    }

    @Test
    void requiredCron() {
        assertEquals("0 15 3 * * ?", v(" 0 15 3 * * ? ").asCron());
        assertTrue(assertThrows(ConfigException.class, () -> v(" ").asCron()).problem().startsWith("must not be empty"));
        assertTrue(assertThrows(ConfigException.class, () -> v("0 15 3 * *").asCron()).problem()
                .startsWith("bad cron expression '0 15 3 * *'"));
    }

    @Test
    void numbers() {
        assertEquals(65535, v("65535").asPort());
        assertEquals(0, v("0").asPort());
        assertEquals(7, v(" 7 ").asPositiveInt());
        assertThrows(ConfigException.class, () -> v("-1").asPort());
        assertThrows(ConfigException.class, () -> v("99999999999").asPositiveInt());
        assertThrows(ConfigException.class, () -> v("1e3").asPositiveInt());
    }

    @Test
    void sizes() {
        assertEquals(65536, v("65536").asSize());
        assertEquals(64 << 10, v("64KiB").asSize());
        assertEquals(64 << 10, v("64 kb").asSize());
        assertEquals(1 << 20, v("1MiB").asSize());
        assertThrows(ConfigException.class, () -> v("0").asSize());
        assertThrows(ConfigException.class, () -> v("65MiB").asSize());
        assertThrows(ConfigException.class, () -> v("1GiB").asSize());
        assertThrows(ConfigException.class, () -> v("-1").asSize());
        assertThrows(ConfigException.class, () -> v("1.5MiB").asSize());
    }

    @Test
    void adminTokens() {
        assertEquals(Secret.EMPTY, v("").asAdminToken(), "empty: the admin API is off");
        assertEquals(32, v("0123456789abcdef0123456789abcdef").asAdminToken().reveal().length());
        ConfigException shortToken = assertThrows(ConfigException.class, () -> v("s3cr3t-but-short").asAdminToken());
        assertEquals(-1, shortToken.getMessage().indexOf("s3cr3t"), "the token is not quoted back");
    }

    @Test
    void booleansAndEnums() {
        assertEquals(true, v("TRUE").asBoolean());
        assertEquals(false, v("false").asBoolean());
        assertThrows(ConfigException.class, () -> v("no").asBoolean());
        assertEquals(Direction.BIDIRECTIONAL, v("Bidirectional").asEnum(Direction.class, "direction"));
    }

    @Test
    void urls() {
        assertEquals(URI.create("https://shop.example.com"), v("https://shop.example.com///").asHttpUrl());
        assertEquals(URI.create("http://localhost:8081/blog"), v(" http://localhost:8081/blog/ ").asHttpUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"shop.example.com", "ftp://x.com", "https://", "https:///path", "https://x.com/?a=b",
            "https://x.com/#top", "https://x .com", "/relative"})
    void badUrls(String text) {
        assertThrows(ConfigException.class, () -> v(text).asHttpUrl());
    }

    @Test
    void siteIds() {
        assertEquals("shop-2", v("shop-2").asSiteId());
        assertEquals("a".repeat(32), v("a".repeat(32)).asSiteId());
        assertThrows(ConfigException.class, () -> v("a".repeat(33)).asSiteId());
        assertThrows(ConfigException.class, () -> v("").asSiteId());
        assertThrows(ConfigException.class, () -> v("shop_2").asSiteId());
    }

    @Test
    void cidrs() {
        assertEquals("10.0.0.0/8", v("10.0.0.0/8").asCidr());
        assertEquals("127.0.0.1/32", v("127.0.0.1").asCidr());
        assertEquals("::1/128", v("::1").asCidr());
        assertEquals("2001:db8::/32", v("2001:db8::/32").asCidr());
        assertEquals("0.0.0.0/0", v("0.0.0.0/0").asCidr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0/8", "10.0.0.256", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "::1/129",
            "localhost", "example.com/24", "1.2.3.4/8/8", "gg::1"})
    void badCidrs(String text) {
        assertThrows(ConfigException.class, () -> v(text).asCidr());
    }

    @Test
    void cron() {
        assertEquals("", v(" ").asCronOrEmpty());
        assertEquals("0 0 3 * * ?", v("0 0 3 * * ?").asCronOrEmpty());
        assertThrows(ConfigException.class, () -> v("every night").asCronOrEmpty());
    }

    @Test
    void longValuesAreCutInMessages() {
        assertEquals("'" + "x".repeat(80) + "...'", v("x".repeat(200)).shown());
    }
}
