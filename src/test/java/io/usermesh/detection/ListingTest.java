package io.usermesh.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SiteStatus;
import io.usermesh.testing.FakeWordPress;
import io.usermesh.testing.TestSettings;
import io.usermesh.wordpress.UserPage;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WordPressClients;
import io.usermesh.wordpress.WordPressException;
import io.usermesh.wordpress.WpUser;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A listing reads a big site's pages two at a time and still hands them on in order. */
class ListingTest {

    @TempDir
    Path dataDir;

    FakeWordPress wp;
    DefaultCamelContext camel;
    WordPressClient client;

    @BeforeEach
    void start() throws Exception {
        wp = new FakeWordPress(4); // four PHP workers
        for (int i = 1; i <= 950; i++) {
            wp.put(i, "user" + i, "user" + i + "@example.test", "F", "subscriber");
        }
        camel = new DefaultCamelContext();
        camel.start();
        Site site = new Site("shop", "shop", URI.create(wp.url()), SiteStatus.ACTIVE, "admin", Secret.of("x"), false,
                Optional.empty(), SiteSettings.DEFAULTS);
        client = new WordPressClients(camel, TestSettings.h2(dataDir)).client(site);
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        wp.close();
    }

    @Test
    void pagesAreReadTwoAtATimeAndHandedOnInOrder() {
        wp.pageMillis = 100;
        List<Integer> order = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        int total = Listing.eachPage(client, page -> {
            order.add(page.page());
            page.users().stream().map(WpUser::id).forEach(ids::add);
        });

        assertEquals(950, total);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), order);
        assertEquals(950, ids.size());
        assertEquals(950, ids.stream().distinct().count());
        assertEquals(2, wp.pagesAtOnce.get(), "two at once, never more");
    }

    @Test
    void aPageThatFailsFailsTheListing() {
        wp.failPage = 7;
        List<UserPage> seen = new ArrayList<>();
        assertThrows(WordPressException.class, () -> Listing.eachPage(client, seen::add));
        assertTrue(seen.stream().allMatch(p -> p.page() < 7), "nothing past the failed page is handed on");
    }
}
