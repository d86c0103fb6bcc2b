package io.usermesh.it;

import io.usermesh.testing.TestSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.it.TestBed.WpSite;
import io.usermesh.wordpress.UserPage;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WordPressClients;
import io.usermesh.wordpress.WordPressException;
import io.usermesh.wordpress.WpError;
import io.usermesh.wordpress.WpUser;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST client against a real WordPress 6.1 test-bed site. */
class WordPressClientIT {

    static CamelContext camel;
    static WordPressClients clients;

    @BeforeAll
    static void start() {
        camel = new DefaultCamelContext();
        camel.start();
        clients = new WordPressClients(camel, TestSettings.withDb("", "", Secret.EMPTY, Path.of("target")));
    }

    @AfterAll
    static void stop() throws Exception {
        camel.close();
    }

    static WordPressClient client(WpSite wp, String password) {
        Site site = TestSites.site("site" + wp.index() + (password.equals(wp.appPassword()) ? "" : "-bad"),
                wp.url(), wp.user(), password);
        return clients.client(site);
    }

    @Test
    void createsReadsUpdatesListsAndDeletesUsers() {
        WordPressClient wp = client(TestBed.site(1), TestBed.site(1).appPassword());
        String login = "it-" + UUID.randomUUID().toString().substring(0, 8);
        WpUser created = wp.createUser(Map.of("username", login, "email", login + "@example.test",
                "password", UUID.randomUUID().toString(), "first_name", "Ann", "roles", List.of("editor")));
        try {
            assertEquals(login, created.username());
            assertEquals(List.of("editor"), created.roles());

            WpUser updated = wp.updateUser(created.id(), Map.of("last_name", "Lee", "description", "hello"));
            assertEquals("Lee", updated.lastName());
            assertEquals("hello", wp.getUser(created.id()).description());

            Set<String> listed = new HashSet<>();
            UserPage page = wp.listUsers(1);
            int total = page.total();
            page.users().forEach(u -> listed.add(u.username()));
            while (!page.isLast()) {
                page = wp.listUsers(page.page() + 1);
                page.users().forEach(u -> listed.add(u.username()));
            }
            assertTrue(listed.contains(login), "the new user is listed");
            assertTrue(listed.contains("admin"));
            assertEquals(total, listed.size(), "X-WP-Total matches the users on all pages");
        } finally {
            wp.deleteUser(created.id(), 1L);
        }
        WordPressException gone = assertThrows(WordPressException.class, () -> wp.getUser(created.id()));
        assertEquals(WpError.Kind.NOT_FOUND, gone.error().kind());
    }

    @Test
    void mapsWordPressErrorsToTypedResults() {
        WpSite site = TestBed.site(1);
        WordPressClient wp = client(site, site.appPassword());

        WordPressException role = assertThrows(WordPressException.class, () -> wp.createUser(Map.of(
                "username", "it-role-" + UUID.randomUUID().toString().substring(0, 6),
                "email", UUID.randomUUID() + "@example.test", "password", "x-" + UUID.randomUUID(),
                "roles", List.of("shop_manager"))));
        assertEquals(WpError.Kind.INVALID_ROLE, role.error().kind(), role.getMessage());
        assertEquals(400, role.error().httpStatus());
        assertFalse(role.error().retryable());

        WordPressException duplicate = assertThrows(WordPressException.class, () -> wp.createUser(Map.of(
                "username", "admin", "email", UUID.randomUUID() + "@example.test", "password", "x-" + UUID.randomUUID())));
        assertEquals(WpError.Kind.DUPLICATE_USER, duplicate.error().kind(), duplicate.getMessage());

        String wrong = "abcd efgh ijkl mnop qrst uvwx";
        WordPressException auth = assertThrows(WordPressException.class, () -> client(site, wrong).me());
        assertEquals(WpError.Kind.BAD_CREDENTIALS, auth.error().kind());
        assertTrue(auth.error().describe().startsWith("401 bad credentials"), auth.error().describe());
        assertFalse(auth.getMessage().contains(wrong));
    }

    @Test
    void meReportsUserManagementCapabilities() {
        WpUser me = client(TestBed.site(2), TestBed.site(2).appPassword()).me();
        assertEquals("admin", me.username());
        for (String cap : List.of("create_users", "edit_users", "delete_users", "list_users")) {
            assertEquals(Boolean.TRUE, me.capabilities().get(cap), cap);
        }
    }
}
