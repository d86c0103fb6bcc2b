package io.usermesh.runtime;

import io.usermesh.admin.AdminApi;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.usermesh.alerts.Alerts;
import io.usermesh.metrics.StateGauges;
import io.usermesh.metrics.SyncMetrics;
import io.usermesh.admin.Dashboard;
import io.usermesh.admin.SiteHealth;
import io.usermesh.admin.UserDirectory;
import io.usermesh.audit.AuditQuery;
import io.usermesh.audit.AuditLog;
import io.usermesh.config.SyncSettings;
import io.usermesh.config.UsermeshConfig;
import io.usermesh.delivery.CircuitBreakers;
import io.usermesh.delivery.DeadLetters;
import io.usermesh.delivery.Deliverer;
import io.usermesh.delivery.DeliveryFailures;
import io.usermesh.delivery.DeliveryRecords;
import io.usermesh.delivery.AppliedChanges;
import io.usermesh.delivery.Dispatcher;
import io.usermesh.delivery.Outbox;
import io.usermesh.delivery.TargetConcurrency;
import io.usermesh.delivery.UserLinks;
import io.usermesh.detection.PollTimes;
import io.usermesh.detection.PollCursors;
import io.usermesh.detection.Poller;
import io.usermesh.detection.PushQueue;
import io.usermesh.detection.PushReceiver;
import io.usermesh.detection.PushRefusals;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.config.CurrentSites;
import io.usermesh.delivery.AppliedChanges;
import io.usermesh.delivery.UserLocks;
import io.usermesh.pipeline.PipelineEntry;
import io.usermesh.pipeline.RuleHeaders;
import io.usermesh.pipeline.Skips;
import io.usermesh.pipeline.SitePauses;
import io.usermesh.pipeline.SourceRules;
import io.usermesh.pipeline.TargetRules;
import io.usermesh.pipeline.FlagsOnSites;
import io.usermesh.pipeline.UserFlags;
import io.usermesh.wordpress.Companions;
import io.usermesh.reconcile.ReconcileJob;
import io.usermesh.wordpress.WordPressClients;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.apache.camel.spi.Registry;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** Creates the beans the routes call by name and binds them in the Camel registry. */
public final class SyncBeans {

    /** How soon a pause or resume made on another runner holds here. */
    private static final Duration PAUSE_REFRESH = Duration.ofSeconds(2);

    private SyncBeans() {
    }

    public static void bind(CamelContext camel, UsermeshConfig config, DataSource dataSource) {
        Registry registry = camel.getRegistry();
        Clock clock = Clock.systemUTC();
        SyncSettings sync = config.settings().sync();
        // what sites.yaml says now: a reload (SitesReload) replaces it while the beans keep running
        CurrentSites sites = new CurrentSites(config.sites());
        registry.bind("currentSites", sites);
        // one transaction mechanism for routes (transacted) and beans (Jdbc.inTransaction): Spring's
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        registry.bind("transactionManager", transactions);
        registry.bind("PROPAGATION_REQUIRED", new SpringTransactionPolicy(transactions));

        WordPressClients clients = new WordPressClients(camel, config.settings(), sites);
        // one meter registry for Camel's own metrics and usermesh's (camel-micrometer-prometheus looks it up)
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind("metricsRegistry", meters);
        SyncMetrics metrics = new SyncMetrics(meters);
        registry.bind("syncMetrics", metrics);
        AuditLog auditLog = new AuditLog(camel.createProducerTemplate(), dataSource, sites, metrics::audited);
        SnapshotStore snapshots = new SnapshotStore(dataSource);
        UserFlags flags = new UserFlags(dataSource);
        Outbox outbox = new Outbox(dataSource, clock);
        CircuitBreakers breakers = new CircuitBreakers(sync.circuitFailures(), sync.circuitProbe(), clock);
        SitePauses pauses = new SitePauses(dataSource, clock, PAUSE_REFRESH);
        JdbcMessageIdRepository applied = AppliedChanges.repository(dataSource);
        DeadLetters deadLetters = new DeadLetters(dataSource, clock);
        PipelineEntry pipeline = new PipelineEntry(camel.createProducerTemplate());

        // the change pipeline's steps (routes/pipeline.camel.yaml), in the route's order
        Skips skips = new Skips(sites, auditLog::record, clock);
        Companions companions = new Companions(sites, clients, clock);
        registry.bind("companions", companions);
        TargetRules targetRules = new TargetRules(sites, flags, companions, skips);
        registry.bind("sourceRules", new SourceRules(sites, flags, targetRules, skips));
        registry.bind("targetRules", targetRules);
        registry.bind("ruleHeaders", new RuleHeaders());
        registry.bind("skips", skips);
        registry.bind("outbox", outbox);
        registry.bind("pipelineEntry", pipeline);

        // detection (poll.camel.yaml, hooks.camel.yaml)
        PollTimes polls = new PollTimes(metrics::polled);
        Poller poller = new Poller(sites, pauses, clients, snapshots, auditLog::record, sync.deleteGuardPercent(),
                clock, polls, new PollCursors(dataSource));
        registry.bind("poller", poller);
        registry.bind("snapshots", snapshots);
        PushQueue pushQueue = new PushQueue(dataSource, clock);
        registry.bind("pushQueue", pushQueue);
        registry.bind("pushReceiver", new PushReceiver(sites, pushQueue, clock,
                config.settings().http().maxPendingPushes(), metrics::pushed));
        registry.bind("pushRefusals", new PushRefusals(sites, auditLog::record, clock,
                config.settings().http().refusalLogInterval(), metrics::pushed));

        // delivery (delivery.camel.yaml, error-handling.camel.yaml)
        TargetConcurrency concurrency = new TargetConcurrency(sync.concurrency(), sync.maxConcurrency());
        registry.bind("targetConcurrency", concurrency);
        registry.bind("dispatcher", new Dispatcher(sites, pauses, outbox, breakers, concurrency));
        registry.bind("appliedRepository", applied);
        registry.bind("userLocks", new UserLocks());
        UserLinks links = new UserLinks(dataSource);
        registry.bind("deliverer", new Deliverer(sites, clients, snapshots, links, clock));
        registry.bind("deliveryRecords", new DeliveryRecords(snapshots, links, clock));
        registry.bind("circuitBreakers", breakers);
        registry.bind("deliveryFailures", new DeliveryFailures(sites, outbox, deadLetters, breakers, concurrency, sync,
                auditLog::record, clock));

        registry.bind("wordPressClients", clients);
        SiteHealth siteHealth = new SiteHealth(sites, clients, clock);
        registry.bind("siteHealth", siteHealth);
        registry.bind("stateGauges", new StateGauges(meters, sites, outbox, deadLetters, siteHealth, polls, breakers,
                concurrency, clock));
        registry.bind("alerts", new Alerts(sites, pauses, siteHealth, dataSource, outbox, deadLetters,
                config.settings().alerts(), clock));
        registry.bind("dashboard", new Dashboard());
        registry.bind("auditLog", auditLog);
        registry.bind("userFlags", flags);
        registry.bind("deadLetters", deadLetters);
        ReconcileJob reconciler = new ReconcileJob(sites, pauses, clients, dataSource, pipeline, snapshots, clock);
        registry.bind("reconciler", reconciler);
        AuditQuery auditQuery = new AuditQuery(dataSource);
        registry.bind("adminApi", new AdminApi(config.settings().adminToken(), sites, siteHealth,
                auditQuery, deadLetters, outbox, applied, flags,
                new FlagsOnSites(clients, snapshots, companions, clock), pauses, reconciler, concurrency, polls, clock));
        registry.bind("userDirectory", new UserDirectory(sites, snapshots, links, flags, auditQuery));
    }
}
