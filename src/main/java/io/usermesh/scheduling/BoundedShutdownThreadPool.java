package io.usermesh.scheduling;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.simpl.SimpleThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz's SimpleThreadPool, but a shutdown that waits for running jobs waits at most
 * {@link #setShutdownWaitMillis shutdownWaitMillis}.
 *
 * <p>The scheduler is stopped "waiting for jobs" so that it also joins its own scheduling thread and lets a
 * finishing firing record its completion: without that a stateful job stays BLOCKED in the database until
 * the cluster declares this runner dead, and Quartz threads still use the pool after the runner closed it.
 * But a poll still running at that point has outlived Camel's graceful shutdown and is stuck; an unbounded
 * wait would hang the stop. Its firing is left to the cluster's failed-instance recovery.
 */
public class BoundedShutdownThreadPool extends SimpleThreadPool {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedShutdownThreadPool.class);

    private final AtomicInteger running = new AtomicInteger();
    private final Object idle = new Object();
    private long shutdownWaitMillis = 5_000;

    /** Set by Quartz from org.quartz.threadPool.shutdownWaitMillis. */
    public void setShutdownWaitMillis(long shutdownWaitMillis) {
        this.shutdownWaitMillis = shutdownWaitMillis;
    }

    @Override
    public boolean runInThread(Runnable job) {
        if (job == null) {
            return false;
        }
        running.incrementAndGet();
        boolean accepted = super.runInThread(() -> {
            try {
                job.run();
            } finally {
                finished();
            }
        });
        if (!accepted) {
            finished();
        }
        return accepted;
    }

    private void finished() {
        if (running.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    @Override
    public void shutdown(boolean waitForJobsToComplete) {
        super.shutdown(false);
        if (!waitForJobsToComplete) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(shutdownWaitMillis);
        synchronized (idle) {
            while (running.get() > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    LOG.warn("{} job(s) still running after {} ms; stopping without them (the cluster recovers"
                            + " their firings)", running.get(), shutdownWaitMillis);
                    return;
                }
                try {
                    idle.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
