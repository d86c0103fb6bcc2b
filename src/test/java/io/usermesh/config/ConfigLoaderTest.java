package io.usermesh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String MINIMAL_SITES = """
            sites:
              - id: shop
                url: https://shop.example.com
                username: sync-bot
            """;

    @TempDir
    Path dir;

    @Test
    void loadsAFullConfig() throws IOException {
        write("application.properties", """
                # production-like settings
                usermesh.db.url=jdbc:mariadb://db.internal:3306/usermesh
                usermesh.db.user=${env:DB_USER:-usermesh}
                usermesh.db.password=${file:db-password.txt}
                usermesh.db.poolSize=5
                usermesh.http.host=0.0.0.0
                usermesh.http.port=0
                usermesh.management.port=0
                usermesh.wp.connectTimeout=2s
                usermesh.wp.responseTimeout=1m30s
                usermesh.wp.maxConnections=20
                usermesh.wp.maxConnectionsPerSite=2
                usermesh.shutdown.timeout=PT10S
                usermesh.dataDir=${env:DATA_DIR}
                usermesh.reconcile.cron=0 0 3 * * ?
                camel.main.name=usermesh-${env:STAGE:-dev}
                camel.main.routesIncludePattern = file:routes/*.yaml
                """);
        write("db-password.txt", "db-pass-from-file\n");
        write("sites.yaml", """
                defaults:
                  matchBy: email
                  syncRoles: [customer, subscriber]
                  deleteReassign: admin
                  roleMap: {shop_manager: editor}
                  logRetentionDays: 60
                  pollInterval: 1m
                sites:
                  - id: shop
                    name: Main Store
                    url: https://shop.example.com/
                    status: active
                    username: sync-bot
                    applicationPassword: ${env:SHOP_APP_PASSWORD}
                    webhook:
                      secret: ${env:SHOP_WEBHOOK_SECRET}
                      allowIps: [127.0.0.1/32, 10.1.2.3]
                      allowSources: [https://shop.example.com/]
                  - id: blog
                    url: https://example.com/blog
                    status: paused
                    username: ${env:BLOG_USER:-editor-bot}
                    applicationPassword: ${env:BLOG_APP_PASSWORD:-}
                    prohibitIncoming: true
                    matchBy: username
                    roleMap: {customer: subscriber}
                    syncLog: false
                    pollInterval: 5m
                    autoSync: false
                links:
                  - between: [shop, blog]
                    direction: push
                    outgoing: [create, edit, delete, password, roles, metadata]
                    incoming: [create, edit, roles]
                    metaKeys: [billing_phone, billing_city]
                """);
        Map<String, String> env = Map.of("SHOP_APP_PASSWORD", "abcd efgh ijkl", "SHOP_WEBHOOK_SECRET", "hook-key",
                "DATA_DIR", "/var/lib/usermesh", "USERMESH_ADMIN_TOKEN", "admin-token-from-the-environment-000",
                "STAGE", "");

        UsermeshConfig config = ConfigLoader.load(dir, env);

        assertEquals(dir, config.configDir());
        UsermeshSettings s = config.settings();
        assertEquals("jdbc:mariadb://db.internal:3306/usermesh", s.dbUrl());
        assertFalse(s.embeddedDb());
        assertEquals("usermesh", s.dbUser());
        assertEquals("db-pass-from-file", s.dbPassword().reveal());
        assertEquals(5, s.dbPoolSize());
        assertEquals("0.0.0.0", s.http().host());
        assertEquals(0, s.http().port());
        assertEquals(0, s.http().managementPort());
        assertEquals("admin-token-from-the-environment-000", s.adminToken().reveal());
        assertEquals(Duration.ofSeconds(2), s.wpConnectTimeout());
        assertEquals(Duration.ofSeconds(90), s.wpResponseTimeout());
        assertEquals(20, s.wpMaxConnections());
        assertEquals(2, s.wpMaxConnectionsPerSite());
        assertEquals(Duration.ofSeconds(10), s.shutdownTimeout());
        assertEquals(Path.of("/var/lib/usermesh"), s.dataDir());
        assertEquals("0 0 3 * * ?", s.reconcileCron());
        assertEquals(Map.of("camel.main.name", "usermesh-dev", "camel.main.routesIncludePattern",
                "file:routes/*.yaml"), s.camelProperties());

        SitesConfig sites = config.sites();
        SiteSettings defaults = new SiteSettings(MatchBy.EMAIL, List.of("customer", "subscriber"), true, "admin",
                Map.of("shop_manager", "editor"), 60, true, Duration.ofMinutes(1), true);
        assertEquals(defaults, sites.defaults());

        Site shop = sites.site("shop").orElseThrow();
        assertEquals("Main Store", shop.name());
        assertEquals(URI.create("https://shop.example.com"), shop.url());
        assertEquals(SiteStatus.ACTIVE, shop.status());
        assertEquals("sync-bot", shop.username());
        assertEquals("abcd efgh ijkl", shop.applicationPassword().reveal());
        assertFalse(shop.prohibitIncoming());
        assertEquals(Optional.of(new Webhook(Secret.of("hook-key"), List.of("127.0.0.1/32", "10.1.2.3/32"),
                List.of("https://shop.example.com"))), shop.webhook());
        assertEquals(defaults, shop.settings());

        Site blog = sites.site("blog").orElseThrow();
        assertEquals("blog", blog.name(), "name defaults to the id");
        assertEquals(URI.create("https://example.com/blog"), blog.url());
        assertEquals(SiteStatus.PAUSED, blog.status());
        assertEquals("editor-bot", blog.username());
        assertTrue(blog.applicationPassword().isEmpty());
        assertTrue(blog.prohibitIncoming());
        assertEquals(Optional.empty(), blog.webhook());
        assertEquals(new SiteSettings(MatchBy.USERNAME, List.of("customer", "subscriber"), true, "admin",
                Map.of("customer", "subscriber"), 60, false, Duration.ofMinutes(5), false), blog.settings(),
                "per-site keys override the defaults one by one; a map replaces the default map");

        assertEquals(List.of(new Link("shop", "blog", Direction.PUSH, EnumSet.allOf(Action.class),
                EnumSet.of(Action.CREATE, Action.EDIT, Action.ROLES), List.of("billing_phone", "billing_city"))),
                sites.links());
    }

    @Test
    void everythingHasADefault() throws IOException {
        write("sites.yaml", MINIMAL_SITES + """
                  - id: blog
                    url: http://localhost:8081
                    username: admin
                links:
                  - between: [shop, blog]
                """);

        UsermeshConfig config = ConfigLoader.load(dir, Map.of());

        UsermeshSettings s = config.settings();
        assertEquals("", s.dbUrl());
        assertTrue(s.embeddedDb());
        assertEquals("", s.dbUser());
        assertTrue(s.dbPassword().isEmpty());
        assertEquals(10, s.dbPoolSize());
        assertEquals("127.0.0.1", s.http().host());
        assertEquals(8280, s.http().port());
        assertEquals(9280, s.http().managementPort());
        assertTrue(s.adminToken().isEmpty());
        assertEquals(Duration.ofSeconds(5), s.wpConnectTimeout());
        assertEquals(Duration.ofSeconds(30), s.wpResponseTimeout());
        assertEquals(40, s.wpMaxConnections());
        assertEquals(10, s.wpMaxConnectionsPerSite());
        assertEquals(4, s.sync().concurrency());
        assertEquals(8, s.sync().maxConcurrency());
        assertEquals(Duration.ofSeconds(30), s.shutdownTimeout());
        assertEquals(Path.of("data").toAbsolutePath(), s.dataDir());
        assertEquals("", s.reconcileCron());
        assertFalse(s.reconcileScheduled());
        assertEquals(Map.of(), s.camelProperties());

        SitesConfig sites = config.sites();
        assertEquals(SiteSettings.DEFAULTS, sites.defaults());
        assertEquals(new SiteSettings(MatchBy.EMAIL, List.of(), true, "admin", Map.of(), 30, true,
                Duration.ofSeconds(30), true), sites.defaults());
        Site shop = sites.sites().get(0);
        assertEquals(new Site("shop", "shop", URI.create("https://shop.example.com"), SiteStatus.ACTIVE, "sync-bot",
                Secret.EMPTY, false, Optional.empty(), SiteSettings.DEFAULTS), shop);
        Set<Action> safe = EnumSet.of(Action.CREATE, Action.EDIT, Action.ROLES);
        assertEquals(List.of(new Link("shop", "blog", Direction.BIDIRECTIONAL, safe, safe, List.of())), sites.links(),
                "a link that lists no actions creates, edits and sets roles; delete, password and metadata must be listed");
    }

    @Test
    void anApplicationPasswordNotResolvableYetReadsAsEmptyOnlyForTheCommandThatMakesIt() throws IOException {
        write("sites.yaml", """
                sites:
                  - id: shop
                    url: https://shop.example.com
                    username: sync-bot
                    applicationPassword: ${file:shop.app-password}
                links: []
                """);
        ConfigException strict = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
        assertTrue(strict.getMessage().contains("sites.yaml:5: sites[0].applicationPassword: cannot resolve"),
                strict.getMessage());
        assertTrue(ConfigLoader.loadWithoutPasswords(dir, Map.of()).sites().site("shop").orElseThrow()
                .applicationPassword().isEmpty());
        write("sites.yaml", """
                sites:
                  - id: shop
                    url: https://shop.example.com
                    username: sync-bot
                    applicationPassword: ${env:SHOP_APP_PASSWORD}
                links: []
                """);
        assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()), "the variable is unset");
        assertTrue(ConfigLoader.loadWithoutPasswords(dir, Map.of()).sites().site("shop").orElseThrow()
                .applicationPassword().isEmpty(), "an unset variable, like a missing file");

        write("sites.yaml", """
                sites:
                  - id: shop
                    url: https://shop.example.com
                    username: sync-bot
                    webhook:
                      secret: ${env:SHOP_WEBHOOK_SECRET}
                links: []
                """);
        assertThrows(ConfigException.class, () -> ConfigLoader.loadWithoutPasswords(dir, Map.of()),
                "any other secret must still resolve");
    }

    @Test
    void emptySectionsAreAllowed() throws IOException {
        write("sites.yaml", "defaults:\nsites: []\nlinks:\n");

        SitesConfig sites = ConfigLoader.load(dir, Map.of()).sites();

        assertEquals(List.of(), sites.sites());
        assertEquals(List.of(), sites.links());
        assertEquals(Optional.empty(), sites.site("shop"));
    }

    @Test
    void envOverridesWinOverTheFile() throws IOException {
        write("application.properties", """
                usermesh.db.url=jdbc:h2:mem:file
                usermesh.db.user=file-user
                usermesh.db.password=${env:NOT_SET_BUT_OVERRIDDEN}
                usermesh.admin.token=file-token-that-is-long-enough-00000
                """);
        write("sites.yaml", MINIMAL_SITES);
        Map<String, String> env = Map.of("USERMESH_DB_URL", "jdbc:mariadb://env/db", "USERMESH_DB_USER", "",
                "USERMESH_DB_PASSWORD", "env-pass", "USERMESH_ADMIN_TOKEN", "env-token-that-is-long-enough-0000000");

        UsermeshSettings s = ConfigLoader.load(dir, env).settings();

        assertEquals("jdbc:mariadb://env/db", s.dbUrl());
        assertEquals("file-user", s.dbUser(), "an empty env variable counts as unset");
        assertEquals("env-pass", s.dbPassword().reveal());
        assertEquals("env-token-that-is-long-enough-0000000", s.adminToken().reveal());
    }

    @Test
    void envOverridesApplyWithoutAPropertiesFile() throws IOException {
        write("sites.yaml", MINIMAL_SITES);

        UsermeshSettings s = ConfigLoader.load(dir, Map.of("USERMESH_DB_URL", "jdbc:h2:mem:x")).settings();

        assertEquals("jdbc:h2:mem:x", s.dbUrl());
    }

    @Test
    void aMissingSitesFileIsNamedAsGiven() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Path.of("no-such-config-dir"), Map.of()));

        assertEquals("no-such-config-dir/sites.yaml:0: -: file not found; this file is required", e.getMessage());
    }

    @Test
    void aByteOrderMarkIsIgnored() throws IOException {
        write("application.properties", "\uFEFFusermesh.http.port=8000\n");
        write("sites.yaml", "\uFEFF" + MINIMAL_SITES);

        assertEquals(8000, ConfigLoader.load(dir, Map.of()).settings().http().port());
    }

    @Test
    void recordsAreImmutable() throws IOException {
        write("sites.yaml", MINIMAL_SITES);
        UsermeshConfig config = ConfigLoader.load(dir, Map.of());

        assertThrows(UnsupportedOperationException.class, () -> config.sites().sites().clear());
        assertThrows(UnsupportedOperationException.class, () -> config.settings().camelProperties().clear());
        Link link = new Link("a", "b", Direction.PUSH, EnumSet.of(Action.EDIT), Set.of(), List.of());
        assertThrows(UnsupportedOperationException.class, () -> link.outgoing().add(Action.CREATE));
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }
}
