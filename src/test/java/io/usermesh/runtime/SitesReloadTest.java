package io.usermesh.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.ConfigLoader;
import io.usermesh.config.CurrentSites;
import io.usermesh.config.SitesConfig;
import io.usermesh.testing.TestSettings;
import io.usermesh.wordpress.WordPressClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the watch reads and when; applying a file to routes is ReloadIT's, on real sites. */
class SitesReloadTest {

    private static final String SITES = """
            sites:
              - id: shop
                url: https://shop.example.com
                username: sync-bot
                applicationPassword: ${file:shop.pw}
            links: []
            """;

    @TempDir
    Path dir;

    private DefaultCamelContext camel;
    private CurrentSites current;
    private SitesReload reload;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("shop.pw"), "aaaa bbbb cccc dddd\n");
        Files.writeString(dir.resolve("sites.yaml"), SITES);
        camel = new DefaultCamelContext();
        current = new CurrentSites(ConfigLoader.loadSites(dir, Map.of()));
        reload = new SitesReload(camel, current, new WordPressClients(camel, TestSettings.h2(dir), current), null,
                dir, Map.of(), 4, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void nothingIsReadAgainWhileNothingChanged() throws Exception {
        reload.ifChanged();
        reload.ifChanged();
        assertEquals("started", reload.last().status());
    }

    @Test
    void aBrokenEditIsReadOnceItStaysTheSameAndIsRefusedWithFileLineAndKey() throws Exception {
        SitesConfig running = current.get();
        Files.writeString(dir.resolve("sites.yaml"), SITES.replace("https://shop.example.com", "shop.example.com"));

        reload.ifChanged();
        assertEquals("started", reload.last().status(), "a file seen changing once may be half written");
        reload.ifChanged();
        assertEquals("refused", reload.last().status());
        assertTrue(reload.last().error().contains("sites.yaml:3: sites[0].url: malformed URL"), reload.last().error());
        assertSame(running, current.get(), "the running configuration stays");

        reload.ifChanged();
        assertEquals("refused", reload.last().status(), "a refused file is not read again until it changes");
    }

    @Test
    void aFileAPlaceholderReadsCountsAsAnEditAndAnEqualResultChangesNothing() throws Exception {
        SitesConfig running = current.get();
        Files.writeString(dir.resolve("shop.pw"), "aaaa bbbb cccc dddd");  // only the final newline goes

        reload.ifChanged();
        reload.ifChanged();
        assertEquals("unchanged", reload.last().status(), "the password file was read again");
        assertSame(running, current.get());
        assertTrue(!reload.lastOutcome().contains("aaaa"), "no secret in the outcome: " + reload.lastOutcome());
    }
}
