package io.usermesh.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usermesh.audit.AuditQuery;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SiteStatus;
import io.usermesh.config.SitesConfig;
import io.usermesh.delivery.UserLinks;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.http.IncomingRequest;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.UserFlags;
import io.usermesh.storage.Database;
import io.usermesh.testing.TestSettings;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/users?q=: the person on every site, from usermesh's own tables. */
class UserDirectoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    Database db;
    SnapshotStore snapshots;
    UserLinks links;
    UserFlags flags;
    UserDirectory directory;

    @BeforeEach
    void tables() {
        db = Database.open(TestSettings.h2(dataDir));
        db.migrate();
        snapshots = new SnapshotStore(db.dataSource());
        links = new UserLinks(db.dataSource());
        flags = new UserFlags(db.dataSource());
        SitesConfig sites = new SitesConfig(SiteSettings.DEFAULTS, List.of(site("shop"), site("blog"), site("crm")),
                List.of());
        directory = new UserDirectory(() -> sites, snapshots, links, flags, new AuditQuery(db.dataSource()));
    }

    @AfterEach
    void close() {
        db.close();
    }

    static Site site(String id) {
        return new Site(id, id, URI.create("https://" + id + ".example.test"), SiteStatus.ACTIVE, "admin",
                Secret.of("x"), false, Optional.empty(), SiteSettings.DEFAULTS);
    }

    private static UserState ann(String role) {
        return new UserState("ann", "Ann@Example.test", "ann", "Ann", "", "ann", "", "", List.of(role), Map.of());
    }

    private JsonNode search(String q) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        IncomingRequest.attach(exchange, new IncomingRequest(Map.of(), q == null ? Map.of() : Map.of("q", List.of(q)),
                Map.of(), InetAddress.getLoopbackAddress()));
        return JSON.readTree(directory.search(exchange));
    }

    @Test
    void theUserOnEverySiteWithItsLinkAndFlags() throws Exception {
        snapshots.recordBaseline("shop", 7, ann("customer"), Instant.now());
        snapshots.recordBaseline("blog", 40, ann("subscriber"), Instant.now());
        links.link("shop", 7, "blog", 40, "ann@example.test");
        flags.set("blog", "ann@example.test", new UserFlags.Flags(false, true));

        JsonNode found = search("ANN@example.TEST");
        JsonNode shop = found.path("sites").get(0);
        JsonNode blog = found.path("sites").get(1);
        JsonNode crm = found.path("sites").get(2);
        assertEquals(7, shop.path("id").asLong());
        assertEquals("customer", shop.path("roles").get(0).asText());
        assertEquals(40, blog.path("id").asLong());
        assertEquals("ann", blog.path("name").asText(), "the display name");
        assertEquals(shop.path("person").asText(), blog.path("person").asText(), "linked as one person");
        assertFalse(shop.path("person").isNull());
        assertTrue(blog.path("protected").asBoolean() && !shop.path("protected").asBoolean());
        assertTrue(crm.path("exists").isNull(), "crm was never polled: usermesh cannot say " + crm);
        assertEquals(found.path("sites"), search("ann").path("sites"), "by login too");
    }

    @Test
    void aMissingOrOverlongQueryIsRefused() {
        assertEquals(400, assertThrows(AdminApiException.class, () -> search(null)).status());
        assertEquals(400, assertThrows(AdminApiException.class, () -> search("a".repeat(101))).status());
        assertEquals(400, assertThrows(AdminApiException.class, () -> search("ann\nbob")).status());
    }
}
