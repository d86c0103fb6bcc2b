package io.usermesh.audit;

import io.usermesh.testing.TestSettings;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SiteStatus;
import io.usermesh.config.SitesConfig;
import io.usermesh.config.UsermeshSettings;
import io.usermesh.detection.PushQueue;
import io.usermesh.storage.Database;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * routes/audit.camel.yaml in a plain Camel context over a migrated database, wired as the runner does it:
 * {@code dataSource} and {@code auditLog} in the registry. Public for the MariaDB integration test.
 */
public final class AuditFixture implements AutoCloseable {

    private final CamelContext camel;
    private final AuditLog log;

    private AuditFixture(CamelContext camel, AuditLog log) {
        this.camel = camel;
        this.log = log;
    }

    /**
     * Starts both audit routes. Quartz gets an in-memory job store here, so the purge route runs without the
     * runner's Quartz set-up; {@code properties} may set {@code usermesh.audit.purgeCron}.
     */
    public static AuditFixture start(DataSource dataSource, SitesConfig sites, Map<String, String> properties)
            throws Exception {
        CamelContext camel = new DefaultCamelContext();
        properties.forEach(camel.getPropertiesComponent()::addInitialProperty);
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(Map.of("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore",
                "org.quartz.threadPool.threadCount", "1"));
        camel.addComponent("quartz", quartz);
        AuditLog log = new AuditLog(camel.createProducerTemplate(), dataSource, () -> sites, entry -> { });
        camel.getRegistry().bind("dataSource", dataSource);
        camel.getRegistry().bind("auditLog", log);
        camel.getRegistry().bind("pushQueue", new PushQueue(dataSource, java.time.Clock.systemUTC()));
        camel.getRegistry().bind("outbox", new io.usermesh.delivery.Outbox(dataSource, java.time.Clock.systemUTC()));
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.resolveResource(camel, "file:routes/audit.camel.yaml"));
        camel.start();
        return new AuditFixture(camel, log);
    }

    /** The embedded H2 default database under {@code dataDir}, migrated. */
    public static Database h2(Path dataDir) {
        Database db = Database.open(TestSettings.h2(dataDir));
        db.migrate();
        return db;
    }

    public static SitesConfig sites(int defaultRetentionDays, Site... sites) {
        return new SitesConfig(settings(defaultRetentionDays, true), List.of(sites), List.of());
    }

    public static Site site(String id, int retentionDays, boolean syncLog) {
        return new Site(id, id, URI.create("https://" + id + ".example.com"), SiteStatus.ACTIVE, "sync-bot",
                Secret.of("x"), false, Optional.empty(), settings(retentionDays, syncLog));
    }

    private static SiteSettings settings(int retentionDays, boolean syncLog) {
        SiteSettings d = SiteSettings.DEFAULTS;
        return new SiteSettings(d.matchBy(), d.syncRoles(), d.createOnEdit(), d.deleteReassign(), d.roleMap(),
                retentionDays, syncLog, d.pollInterval(), d.autoSync());
    }

    public AuditLog log() {
        return log;
    }

    public CamelContext camel() {
        return camel;
    }

    @Override
    public void close() {
        camel.stop();
    }
}
