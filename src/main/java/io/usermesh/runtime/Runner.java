package io.usermesh.runtime;

import io.usermesh.admin.SiteHealth;
import io.usermesh.admin.SitesHealthCheck;
import io.usermesh.config.Site;
import io.usermesh.config.UsermeshConfig;
import io.usermesh.scheduling.Scheduling;
import io.usermesh.storage.Database;
import io.usermesh.storage.DatabaseHealthCheck;
import io.usermesh.config.CurrentSites;
import io.usermesh.delivery.Outbox;
import io.usermesh.wordpress.WordPressClients;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.spi.Registry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts Camel Main with the database, the beans the routes use, and the two HTTP servers. */
public final class Runner {

    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

    private final UsermeshConfig config;
    private final Path routesDir;
    private final Map<String, String> env;

    /** @param env what placeholders were resolved from: a reload of sites.yaml resolves them again */
    public Runner(UsermeshConfig config, Path routesDir, Map<String, String> env) {
        this.config = config;
        this.routesDir = routesDir;
        this.env = env;
    }

    /** Blocks until the runner is stopped (SIGTERM, SIGINT); returns the process exit code. */
    public int run() throws Exception {
        try (Database database = Database.open(config.settings())) {
            LOG.info("database {}", database.describe());
            try {
                database.migrate();
            } catch (FlywayException e) {
                LOG.error("cannot prepare the database {}: {}", database.describe(), e.getMessage());
                return 1;
            }
            Main main = new Main() {
                @Override
                protected void doStart() throws Exception {
                    try {
                        super.doStart();
                    } catch (Exception e) {
                        RouteFiles.reportFailure(getCamelContext(), e);
                        throw e;
                    }
                }
            };
            main.setInitialProperties(CamelSettings.of(config.settings(), routesDir));
            main.bind("dataSource", database.dataSource());
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void beforeConfigure(BaseMainSupport support) {
                    CamelContext camel = support.getCamelContext();
                    CamelSettings.onlyValidated(camel);
                    SyncBeans.bind(camel, config, database.dataSource());
                    Registry beans = camel.getRegistry();
                    beans.bind("sitesReload", new SitesReload(camel, beans.lookupByNameAndType("currentSites",
                            CurrentSites.class), beans.lookupByNameAndType("wordPressClients", WordPressClients.class),
                            beans.lookupByNameAndType("outbox", Outbox.class), config.configDir(), env,
                            config.settings().sync().maxConcurrency(), Clock.systemUTC()));
                    camel.getManagementStrategy().addEventNotifier(new BusinessServerGuard(camel,
                            config.settings().http()));
                    Scheduling.configureQuartz(camel, database.dataSource(), config.settings());
                }

                @Override
                public void afterConfigure(BaseMainSupport support) {
                    CamelContext camel = support.getCamelContext();
                    registerHealthChecks(camel, database);
                    RouteFiles.requireCustomRules(camel);
                    SiteRoutes.addDeliveryRoutes(camel, config.sites(), config.settings().sync().maxConcurrency());
                    Scheduling.addPollRoutes(camel, config.sites());
                    ReconcileSchedule.add(camel, config.settings());
                }
            });
            config.sites().sites().stream().filter(Site::plainHttpBeyondLoopback).forEach(site -> LOG.warn(
                    "site {} is reached over plain http at {}: its application password and its users' data cross"
                            + " the network in clear; use https", site.id(), site.url()));
            LOG.info("usermesh starting with {} site(s), {} link(s); routes from {}", config.sites().sites().size(),
                    config.sites().links().size(), routesDir == null ? "the jar" : routesDir);
            main.run();
            return main.getExitCode();
        }
    }

    private void registerHealthChecks(CamelContext camel, Database database) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(camel);
        SiteHealth siteHealth = camel.getRegistry().lookupByNameAndType("siteHealth", SiteHealth.class);
        registry.register(new DatabaseHealthCheck(database.dataSource()));
        registry.register(new SitesHealthCheck(camel.getRegistry().lookupByNameAndType("currentSites",
                CurrentSites.class), siteHealth));
    }
}
