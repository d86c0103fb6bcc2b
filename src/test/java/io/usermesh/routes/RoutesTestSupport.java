package io.usermesh.routes;

import io.usermesh.config.Action;
import io.usermesh.config.Direction;
import io.usermesh.config.Link;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SiteStatus;
import io.usermesh.config.SitesConfig;
import io.usermesh.config.UsermeshConfig;
import io.usermesh.config.UsermeshSettings;
import io.usermesh.config.Webhook;
import io.usermesh.runtime.SiteRoutes;
import io.usermesh.runtime.SyncBeans;
import io.usermesh.testing.CountingDataSource;
import io.usermesh.testing.FakeWordPress;
import java.util.HashMap;
import java.util.Map;
import io.usermesh.storage.Database;
import io.usermesh.storage.Jdbc;
import io.usermesh.testing.TestSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;

/**
 * Camel's test kit on the shipped route files (routes/ of the checkout, not copies) with the beans
 * the runner binds, on an embedded H2 database. Sites a, b and c, each an in-JVM fake WordPress: a
 * is linked to c, then to b (that order), both ways with every action; c has prohibitIncoming.
 */
abstract class RoutesTestSupport extends CamelMainTestSupport {

    /** The route files under test but the custom rules; the scheduled and HTTP routes are left out. */
    static final String ROUTES = "file:routes/pipeline.camel.yaml,file:routes/delivery.camel.yaml,"
            + "file:routes/audit.camel.yaml,file:routes/error-handling.camel.yaml";

    Path dataDir;
    Database db;
    Jdbc jdbc;
    /** The runner's own statements (the test's queries through {@link #jdbc} are not counted). */
    CountingDataSource runnerDb;
    SitesConfig sites;
    final Map<String, FakeWordPress> wp = new HashMap<>();

    /** Route ids not started; by default deliveries are not taken from the outbox. */
    String excludedRoutes() {
        return "audit-purge,outbox-dispatch";
    }

    @Override
    protected int getShutdownTimeout() {
        return 1; // seda consumers and timers need no grace period in a test
    }

    /** The file with route custom-rules. */
    String customRules() {
        return "routes/custom-rules.camel.yaml";
    }

    /** The webhook block of site {@code id}; none by default. */
    Optional<Webhook> webhook(String id) {
        return Optional.empty();
    }

    /** The source site, the target with prohibitIncoming, and the other target (linked in that order). */
    List<String> siteIds() {
        return List.of("a", "c", "b");
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.setRoutesIncludePattern(ROUTES + ",file:" + customRules());
        configuration.setRouteFilterExcludePattern(excludedRoutes());
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        dataDir = Files.createTempDirectory("usermesh-routes");
        UsermeshSettings settings = settings(dataDir);
        db = Database.open(settings);
        db.migrate();
        jdbc = new Jdbc(db.dataSource());
        List<String> ids = siteIds();
        for (String id : ids) {
            wp.put(id, new FakeWordPress());
        }
        sites = adjust(new SitesConfig(SiteSettings.DEFAULTS, List.of(site(ids.get(0), false),
                site(ids.get(2), false), site(ids.get(1), true)),
                List.of(link(ids.get(0), ids.get(1)), link(ids.get(0), ids.get(2)))));
        CamelContext camel = super.createCamelContext();
        runnerDb = new CountingDataSource(db.dataSource());
        camel.getRegistry().bind("dataSource", runnerDb.dataSource());
        SyncBeans.bind(camel, new UsermeshConfig(dataDir, settings, sites), runnerDb.dataSource());
        SiteRoutes.addDeliveryRoutes(camel, sites, 2);
        return camel;
    }

    @Override
    protected void doPostTearDown() throws Exception {
        wp.values().forEach(FakeWordPress::close);
        if (db != null) {
            db.close();
        }
    }

    /** The runner's settings: by default the documented ones, on embedded H2 under {@code dataDir}. */
    UsermeshSettings settings(Path dataDir) {
        return TestSettings.h2(dataDir);
    }

    /** The sites and links the runner gets; by default those of this class's description. */
    SitesConfig adjust(SitesConfig standard) {
        return standard;
    }

    long count(String sql, Object... params) {
        return jdbc.query(sql, rs -> rs.getLong(1), params).get(0);
    }

    private Site site(String id, boolean prohibitIncoming) {
        return new Site(id, id, URI.create(wp.get(id).url()), SiteStatus.ACTIVE, "admin", Secret.of("p"),
                prohibitIncoming, webhook(id), SiteSettings.DEFAULTS);
    }

    private static Link link(String a, String b) {
        return new Link(a, b, Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class), EnumSet.allOf(Action.class),
                List.of());
    }
}
