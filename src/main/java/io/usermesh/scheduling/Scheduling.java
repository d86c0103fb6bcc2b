package io.usermesh.scheduling;

import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.config.UsermeshSettings;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.DBConnectionManager;

/**
 * The runner's scheduler: camel-quartz on a clustered Quartz JDBC job store in the runner's own database,
 * and one poll route per active site made from the {@value #POLL_TEMPLATE} route template.
 *
 * <p>Every runner sharing a database forms one cluster: each poll job fires on one runner at a time, and
 * when a runner stops the others go on firing all jobs. Runners of one cluster need the same sites.yaml,
 * the same CamelContext name (camel.main.name) and clocks kept in sync (NTP): Quartz compares the check-in
 * times they write.
 */
public final class Scheduling {

    /** SCHED_NAME in the QRTZ_ tables. */
    public static final String SCHEDULER_NAME = "usermesh";
    /** The route template that polls one site, with parameters siteId and pollIntervalMs. */
    public static final String POLL_TEMPLATE = "poll-site";
    /** The Quartz group of the poll jobs: the template's endpoint is quartz:usermesh-poll/{{siteId}}. */
    public static final String POLL_GROUP = "usermesh-poll";

    private Scheduling() {
    }

    /** Call before the CamelContext starts (Camel Main: a MainListener's beforeConfigure). */
    public static void configureQuartz(CamelContext camel, DataSource dataSource, UsermeshSettings settings) {
        configureQuartz(camel, dataSource, QuartzOptions.of(settings));
    }

    public static void configureQuartz(CamelContext camel, DataSource dataSource, QuartzOptions options) {
        // Quartz looks its connections up by name in a JVM-wide registry; a name per pool keeps two runners
        // in one JVM (tests) on their own databases. Quartz never creates or drops tables: Flyway owns them.
        String dataSourceName = "usermesh-" + Integer.toHexString(System.identityHashCode(dataSource));
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName,
                new DataSourceConnectionProvider(dataSource));

        QuartzComponent quartz = camel.getComponent("quartz", QuartzComponent.class);
        quartz.setProperties(QuartzProperties.of(dataSourceName, options));
        // By default camel-quartz appends the CamelContext name to the scheduler name; the cluster needs
        // one fixed name on every runner.
        quartz.setPrefixInstanceName(false);
        quartz.setEnableJmx(false);
        // Camel stops the scheduler "waiting for jobs": it joins Quartz's threads before the runner closes
        // the pool, and finishing firings get recorded. Camel's graceful shutdown (camel.main.shutdownTimeout)
        // has already waited for running polls, so BoundedShutdownThreadPool caps the rest of the wait: a poll
        // still running then is stuck and must not hang the stop.
        quartz.setInterruptJobsOnShutdown(false);
    }

    /**
     * Adds route poll-&lt;siteId&gt; for every active site that syncs automatically (autoSync), from the
     * {@value #POLL_TEMPLATE} template, and when the scheduler starts deletes the stored jobs of group
     * {@value #POLL_GROUP} that no route of this context uses: those of removed, paused and manual sites
     * (see {@link StalePollJobs}).
     * Call after the routes are loaded and before the context starts (Camel Main: a MainListener's
     * afterConfigure), with {@link #configureQuartz} done.
     *
     * @return the ids of the routes added
     */
    public static Set<String> addPollRoutes(CamelContext camel, SitesConfig sites) {
        Set<String> routeIds = new LinkedHashSet<>();
        for (Site site : sites.sites()) {
            if (site.isActive() && site.settings().autoSync()) {
                routeIds.add(addPollRoute(camel, site));
            }
        }
        camel.getComponent("quartz", QuartzComponent.class).addScheduleInitTask(new StalePollJobs(camel));
        return routeIds;
    }

    /**
     * Adds the poll route of one site. On a started context the route starts at once; its job is found in
     * the database if another runner (or an earlier start) stored it, and rescheduled if the interval changed.
     *
     * @return the route id
     */
    public static String addPollRoute(CamelContext camel, Site site) {
        long intervalMs = site.settings().pollInterval().toMillis();
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("site '" + site.id() + "': pollInterval must be positive");
        }
        return TemplatedRouteBuilder.builder(camel, POLL_TEMPLATE)
                .routeId(pollRouteId(site.id()))
                .parameter("siteId", site.id())
                .parameter("pollIntervalMs", String.valueOf(intervalMs))
                .add();
    }

    /**
     * After poll routes were removed from a running context (a reload): deletes their stored jobs, as a
     * start does (see {@link StalePollJobs}), so they stop firing on every runner of the cluster.
     */
    public static void removeStalePollJobs(CamelContext camel) throws Exception {
        new StalePollJobs(camel).initializeTask(camel.getComponent("quartz", QuartzComponent.class).getScheduler());
    }

    public static String pollRouteId(String siteId) {
        return "poll-" + siteId;
    }
}
