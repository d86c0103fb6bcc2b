package io.usermesh.runtime;

import io.usermesh.admin.AdminApi;
import io.usermesh.admin.Dashboard;
import io.usermesh.admin.SiteHealth;
import io.usermesh.audit.AuditQuery;
import io.usermesh.audit.AuditLog;
import io.usermesh.config.SyncSettings;
import io.usermesh.config.UsermeshConfig;
import io.usermesh.delivery.CircuitBreakers;
import io.usermesh.delivery.DeadLetters;
import io.usermesh.delivery.Deliverer;
import io.usermesh.delivery.DeliveryFailures;
import io.usermesh.delivery.DeliveryWorker;
import io.usermesh.delivery.Dispatcher;
import io.usermesh.delivery.Outbox;
import io.usermesh.delivery.UserLinks;
import io.usermesh.detection.Poller;
import io.usermesh.detection.PushQueue;
import io.usermesh.detection.PushReceiver;
import io.usermesh.detection.PushWorker;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.pipeline.Pipeline;
import io.usermesh.pipeline.SitePauses;
import io.usermesh.pipeline.UserFlags;
import io.usermesh.reconcile.ReconcileJob;
import io.usermesh.wordpress.WordPressClients;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.apache.camel.spi.Registry;

/** Creates the beans the routes call by name and binds them in the Camel registry. */
final class SyncBeans {

    /** How soon a pause or resume made on another runner holds here. */
    private static final Duration PAUSE_REFRESH = Duration.ofSeconds(2);

    private SyncBeans() {
    }

    static void bind(CamelContext camel, UsermeshConfig config, DataSource dataSource) {
        Registry registry = camel.getRegistry();
        Clock clock = Clock.systemUTC();
        SyncSettings sync = config.settings().sync();
        WordPressClients clients = new WordPressClients(camel, config.settings());
        AuditLog auditLog = new AuditLog(camel.createProducerTemplate(), dataSource, config.sites());
        SnapshotStore snapshots = new SnapshotStore(dataSource);
        UserFlags flags = new UserFlags(dataSource);
        Pipeline pipeline = Pipeline.standard(config.sites(), flags, auditLog::record, clock);
        Outbox outbox = new Outbox(dataSource, pipeline, clock);
        CircuitBreakers breakers = new CircuitBreakers(sync.circuitFailures(), sync.circuitProbe(), clock);
        SitePauses pauses = new SitePauses(dataSource, clock, PAUSE_REFRESH);
        Dispatcher dispatcher = new Dispatcher(config.sites(), pauses, outbox, breakers,
                config.settings().wpMaxConnectionsPerSite());
        JdbcMessageIdRepository applied = DeliveryWorker.appliedRepository(dataSource);
        Deliverer deliverer = new Deliverer(config.sites(), clients, snapshots, new UserLinks(dataSource),
                auditLog::record, clock);
        DeadLetters deadLetters = new DeadLetters(dataSource, clock);

        registry.bind("wordPressClients", clients);
        SiteHealth siteHealth = new SiteHealth(config.sites(), clients);
        registry.bind("siteHealth", siteHealth);
        registry.bind("dashboard", new Dashboard());
        registry.bind("auditLog", auditLog);
        registry.bind("userFlags", flags);
        registry.bind("outbox", outbox);
        registry.bind("deadLetters", deadLetters);
        registry.bind("idempotentRepository", applied);
        Poller poller = new Poller(config.sites(), pauses, clients, snapshots, outbox::enqueue, auditLog::record,
                sync.deleteGuardPercent(), clock);
        registry.bind("poller", poller);
        PushQueue pushQueue = new PushQueue(dataSource, clock);
        registry.bind("pushQueue", pushQueue);
        registry.bind("pushReceiver", new PushReceiver(config.sites(), pushQueue, auditLog::record, clock,
                config.settings().http().maxPendingPushes(), config.settings().http().refusalLogInterval()));
        registry.bind("pushWorker", new PushWorker(pushQueue, poller, clock));
        registry.bind("dispatcher", dispatcher);
        registry.bind("deliveryWorker", new DeliveryWorker(dataSource, deliverer, outbox, applied, breakers,
                dispatcher));
        ReconcileJob reconciler = new ReconcileJob(config.sites(), pauses, clients, dataSource, outbox, snapshots, clock);
        registry.bind("reconciler", reconciler);
        registry.bind("adminApi", new AdminApi(config.settings().adminToken(), config.sites(), siteHealth,
                new AuditQuery(dataSource), deadLetters, outbox, applied, flags, pauses, reconciler));
        registry.bind("deliveryFailures", new DeliveryFailures(outbox, deadLetters, breakers, sync,
                auditLog::record, clock));
    }
}
