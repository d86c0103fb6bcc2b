package io.usermesh.scheduling;

import java.util.Properties;

/** The Quartz configuration of a usermesh runner: a clustered JDBC job store on the runner's database. */
final class QuartzProperties {

    static final long IDLE_WAIT_MS = 5_000;
    /** Enough for finishing firings to be recorded; a poll still running then is stuck. */
    static final long SHUTDOWN_WAIT_MS = 5_000;

    private QuartzProperties() {
    }

    static Properties of(String dataSourceName, QuartzOptions options) {
        Properties p = new Properties();
        // Every runner of a cluster must use the same scheduler name: it is the SCHED_NAME that ties
        // their rows in the QRTZ_ tables together.
        p.setProperty("org.quartz.scheduler.instanceName", Scheduling.SCHEDULER_NAME);
        // Host name plus start time: unique per runner, and a restarted runner is a new instance whose
        // predecessor's unfinished firings are recovered like any dead runner's.
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.jmx.export", "false");
        // How far ahead a runner reserves the next trigger, and how long an idle runner sleeps: a trigger
        // released by a stopping runner is taken up by another within this time (Quartz's default is 30 s).
        p.setProperty("org.quartz.scheduler.idleWaitTime", String.valueOf(IDLE_WAIT_MS));

        p.setProperty("org.quartz.threadPool.class", BoundedShutdownThreadPool.class.getName());
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(options.threadCount()));
        p.setProperty("org.quartz.threadPool.shutdownWaitMillis", String.valueOf(SHUTDOWN_WAIT_MS));
        // A poll stuck past the shutdown timeout must not keep the JVM alive.
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        // Shutdown interrupts running jobs: camel-quartz then stops the exchange from routing any further.
        p.setProperty("org.quartz.scheduler.interruptJobsOnShutdownWithWait", "true");

        // JobStoreTX (Quartz commits its own transactions on our pool), releasing its triggers on stop.
        // Quartz never creates or drops tables: Flyway's V2__quartz.sql owns them.
        p.setProperty("org.quartz.jobStore.class", HandoverJobStore.class.getName());
        // The standard delegate's SQL serves MariaDB and H2 in MODE=MariaDB alike; ours only changes how
        // yes/no columns are written, which H2 needs.
        p.setProperty("org.quartz.jobStore.driverDelegateClass", FlagColumnsDelegate.class.getName());
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval",
                String.valueOf(options.clusterCheckinInterval().toMillis()));
        p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(options.misfireThreshold().toMillis()));
        // Camel's job data are all strings: storing them as properties keeps Java deserialisation of
        // database blobs out of the runner.
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        // Two runners selecting the same due trigger without the row lock can deadlock on InnoDB.
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        return p;
    }
}
