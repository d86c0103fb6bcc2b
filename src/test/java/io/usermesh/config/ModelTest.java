package io.usermesh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The helper methods the other packages rely on. */
class ModelTest {

    @Test
    void linkCarriesAlongItsDirection() {
        Link link = new Link("shop", "blog", Direction.BIDIRECTIONAL, EnumSet.of(Action.CREATE, Action.EDIT),
                EnumSet.of(Action.EDIT), List.of());

        assertTrue(link.carries("shop", "blog", Action.CREATE), "outgoing");
        assertFalse(link.carries("blog", "shop", Action.CREATE), "not incoming");
        assertTrue(link.carries("blog", "shop", Action.EDIT));
        assertFalse(link.carries("shop", "other", Action.EDIT));
        assertEquals("blog", link.other("shop"));
        assertThrows(IllegalArgumentException.class, () -> link.other("other"));
    }

    @Test
    void plainHttpIsFlaggedOnlyBeyondThisMachine() {
        assertTrue(site("http://shop.example.com").plainHttpBeyondLoopback());
        assertTrue(site("http://10.0.0.5:8080").plainHttpBeyondLoopback());
        assertFalse(site("https://shop.example.com").plainHttpBeyondLoopback());
        assertFalse(site("http://127.0.0.2:8081").plainHttpBeyondLoopback());
        assertFalse(site("http://localhost:8080").plainHttpBeyondLoopback());
        assertFalse(site("http://[::1]:8080").plainHttpBeyondLoopback());
    }

    private static Site site(String url) {
        return new Site("shop", "Shop", java.net.URI.create(url), SiteStatus.ACTIVE, "bot", Secret.EMPTY, false,
                java.util.Optional.empty(), SiteSettings.DEFAULTS);
    }

    @Test
    void pushAndPullAreOneWay() {
        Set<Action> all = EnumSet.allOf(Action.class);
        Link push = new Link("shop", "blog", Direction.PUSH, all, all, List.of());
        Link pull = new Link("shop", "blog", Direction.PULL, all, all, List.of());

        assertTrue(push.carries("shop", "blog", Action.DELETE));
        assertFalse(push.carries("blog", "shop", Action.DELETE));
        assertFalse(pull.carries("shop", "blog", Action.DELETE));
        assertTrue(pull.carries("blog", "shop", Action.DELETE));
    }

    @Test
    void linkActionsKeepDeclarationOrder() {
        Link link = new Link("a", "b", Direction.PUSH, Set.of(Action.METADATA, Action.CREATE), Set.of(), List.of());

        assertEquals(List.of(Action.CREATE, Action.METADATA), List.copyOf(link.outgoing()));
    }

    @Test
    void sitesConfigFindsLinks() {
        Link ab = new Link("a", "b", Direction.PUSH, Set.of(), Set.of(), List.of());
        Link bc = new Link("b", "c", Direction.PUSH, Set.of(), Set.of(), List.of());
        SitesConfig config = new SitesConfig(SiteSettings.DEFAULTS, List.of(), List.of(ab, bc));

        assertEquals(List.of(ab, bc), config.linksOf("b"));
        assertEquals(List.of(bc), config.linksOf("c"));
    }

    @Test
    void webhookAllowLists() throws Exception {
        Webhook open = new Webhook(Secret.EMPTY, List.of(), List.of());
        Webhook closed = new Webhook(Secret.of("k"), List.of("10.0.0.0/8", "::1/128"),
                List.of("https://shop.example.com"));

        assertTrue(open.allowsIp(InetAddress.getByName("203.0.113.9")));
        assertTrue(open.allowsSource(null));
        assertTrue(closed.allowsIp(InetAddress.getByName("10.200.3.4")));
        assertFalse(closed.allowsIp(InetAddress.getByName("11.0.0.1")));
        assertTrue(closed.allowsIp(InetAddress.getByName("::1")));
        assertFalse(closed.allowsIp(InetAddress.getByName("::2")));
        assertTrue(closed.allowsSource("https://SHOP.example.com/"));
        assertFalse(closed.allowsSource("https://evil.example.com"));
        assertFalse(closed.allowsSource(null));
        assertThrows(IllegalArgumentException.class, () -> new Webhook(Secret.EMPTY, List.of("nope"), List.of()));
    }

    @Test
    void siteSettingsHelpers() {
        SiteSettings s = new SiteSettings(MatchBy.EMAIL, List.of("customer"), true, "none",
                Map.of("customer", "subscriber"), 30, true, Duration.ofSeconds(30), true);

        assertTrue(s.syncsRoles(List.of("customer", "editor")));
        assertFalse(s.syncsRoles(List.of("editor")));
        assertTrue(SiteSettings.DEFAULTS.syncsRoles(List.of()), "[] syncs every role");
        assertEquals("subscriber", s.mapRole("customer"));
        assertEquals("editor", s.mapRole("editor"));
        assertFalse(s.reassignsContent());
        assertTrue(SiteSettings.DEFAULTS.reassignsContent());
    }
}
