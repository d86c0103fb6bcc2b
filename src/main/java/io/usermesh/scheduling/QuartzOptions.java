package io.usermesh.scheduling;

import io.usermesh.config.UsermeshSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * The tunable parts of the clustered Quartz scheduler.
 *
 * @param clusterCheckinInterval how often a runner records in QRTZ_SCHEDULER_STATE that it is alive; a runner
 *        silent for about this long plus 7.5 s is taken as dead and its running jobs are recovered by another
 * @param misfireThreshold a firing later than this (all runners down, or a long poll kept the next one waiting)
 *        is a misfire: it fires once now instead of firing every missed interval back to back
 * @param threadCount how many jobs (polls) may run at once on this runner
 */
public record QuartzOptions(Duration clusterCheckinInterval, Duration misfireThreshold, int threadCount) {

    static final Duration CHECKIN_INTERVAL = Duration.ofMillis(7_500);
    static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(10);
    static final int MAX_THREADS = 8;
    /** Connections kept free for Quartz's own check-in and trigger acquisition. */
    static final int RESERVED_CONNECTIONS = 2;

    public QuartzOptions {
        Objects.requireNonNull(clusterCheckinInterval, "clusterCheckinInterval");
        Objects.requireNonNull(misfireThreshold, "misfireThreshold");
        if (threadCount < 1) {
            throw new IllegalArgumentException("threadCount must be at least 1: " + threadCount);
        }
    }

    /**
     * Every poll writes to the database from its Quartz thread. If polls could take every pooled connection,
     * the scheduler's check-in would wait for one, miss its interval, and the other runners would "recover"
     * jobs that are still running here: so the thread count stays below the pool size.
     */
    public static QuartzOptions of(UsermeshSettings settings) {
        int threads = Math.max(1, Math.min(MAX_THREADS, settings.dbPoolSize() - RESERVED_CONNECTIONS));
        return new QuartzOptions(CHECKIN_INTERVAL, MISFIRE_THRESHOLD, threads);
    }

    public QuartzOptions withClusterCheckinInterval(Duration interval) {
        return new QuartzOptions(interval, misfireThreshold, threadCount);
    }
}
