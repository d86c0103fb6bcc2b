package io.usermesh.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;

/**
 * How many deliveries may write to one target at once, adapted to the target (AIMD): it starts at
 * the configured concurrency; each run of successes as long as the limit, while the target was kept
 * busy and its latency stayed within 1.5 times the best recently seen, raises it by one; an answer
 * that says the site is overloaded (5xx, 429, a timeout, no connection) halves it, at most once per
 * run of that length; it never goes below 1 nor above the configured maximum. A WordPress site is
 * PHP workers on a few cores: past its workers more requests only queue, latency grows, and the
 * limit stops rising there.
 *
 * <p>deliver-to-site takes a permit before the lookup and the write ({@link #acquire}) and gives it
 * back when the exchange completes ({@link #release}); the queue's consumers are the maximum.
 */
public final class TargetConcurrency {

    private static final String STARTED = "UsermeshPermitSince";
    private static final java.util.Set<String> WRITES = java.util.Set.of("create", "update", "delete");
    /** How fast the best latency seen forgets a lucky one: it may grow by this factor per success. */
    private static final double BEST_DRIFT = 1.02;
    private static final double FLAT = 1.5;

    private final int start;
    private final int max;
    private final LongSupplier nanos;
    private final Map<String, Limit> limits = new ConcurrentHashMap<>();

    public TargetConcurrency(int start, int max) {
        this(start, max, System::nanoTime);
    }

    TargetConcurrency(int start, int max, LongSupplier nanos) {
        if (start < 1 || max < start) {
            throw new IllegalArgumentException("concurrency " + start + " and maximum " + max
                    + ": need 1 <= concurrency <= maximum");
        }
        this.start = start;
        this.max = max;
        this.nanos = nanos;
    }

    /** The limit of this target now. */
    public int current(String target) {
        return limit(target).current();
    }

    public int max() {
        return max;
    }

    /** Step of deliver-to-site: waits until the target has room for one more write. */
    public void acquire(String target, Exchange exchange) throws InterruptedException {
        limit(target).acquire();
        exchange.setProperty(STARTED, nanos.getAsLong());
    }

    /** deliver-to-site's onCompletion: gives the permit back, if this exchange took one. */
    public void release(String target, Exchange exchange) {
        if (exchange.removeProperty(STARTED) != null) {
            limit(target).release();
        }
    }

    /**
     * The delivery is through: when it wrote (operation create, update or delete), its latency since
     * the permit was taken may raise the limit; an outcome without a write says nothing of the site.
     */
    public void success(String target, String operation, Exchange exchange) {
        Long since = exchange.getProperty(STARTED, Long.class);
        if (since != null && WRITES.contains(operation)) {
            limit(target).success((nanos.getAsLong() - since) / 1_000_000.0);
        }
    }

    /** The target answered as an overloaded site does: the limit halves. */
    public void overload(String target) {
        limit(target).overload();
    }

    private Limit limit(String target) {
        return limits.computeIfAbsent(target, t -> new Limit(start, max));
    }

    /** One target's limit, its writes under way and what it has seen. */
    static final class Limit {
        private final int max;
        private double limit;
        private int active;
        private double best = Double.MAX_VALUE;
        private int sinceChange;
        private boolean fell;

        Limit(int start, int max) {
            this.limit = start;
            this.max = max;
        }

        synchronized int current() {
            return (int) limit;
        }

        synchronized void acquire() throws InterruptedException {
            while (active >= (int) limit) {
                wait();
            }
            active++;
        }

        synchronized void release() {
            active--;
            notifyAll();
        }

        synchronized void success(double latencyMs) {
            best = Math.min(best * BEST_DRIFT, latencyMs);
            boolean busy = active >= (int) limit; // this write still holds its permit
            boolean flat = latencyMs <= FLAT * best;
            sinceChange++;
            if (busy && flat && sinceChange >= (int) limit && limit < max) {
                limit++;
                sinceChange = 0;
                fell = false;
                notifyAll();
            }
        }

        synchronized void overload() {
            sinceChange++;
            if (fell && sinceChange <= (int) limit) {
                return; // a write already under way when the limit fell: one halving per run
            }
            limit = Math.max(1, Math.floor(limit / 2));
            sinceChange = 0;
            fell = true;
        }
    }
}
