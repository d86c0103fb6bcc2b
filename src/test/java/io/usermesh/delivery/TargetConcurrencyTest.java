package io.usermesh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The adaptive per-target limit: additive increase while the target keeps up, halving on overload. */
class TargetConcurrencyTest {

    private final AtomicLong nanos = new AtomicLong();
    private final TargetConcurrency concurrency = new TargetConcurrency(2, 4, nanos::get);
    private final DefaultCamelContext camel = new DefaultCamelContext();

    /** {@code n} writes that keep the target at its limit, each answered in {@code ms}. */
    private void busyWrites(int n, long ms) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            int limit = concurrency.current("b");
            Exchange[] running = new Exchange[limit];
            for (int k = 0; k < limit; k++) {
                running[k] = new DefaultExchange(camel);
                concurrency.acquire("b", running[k]);
            }
            nanos.addAndGet(ms * 1_000_000);
            concurrency.success("b", "update", running[0]); // the others still hold their permits
            for (Exchange e : running) {
                concurrency.release("b", e);
            }
        }
    }

    @Test
    void startsAtTheConfiguredValueAndRisesByOnePerRunOfFlatSuccessesUpToTheMaximum() throws InterruptedException {
        assertEquals(2, concurrency.current("b"));
        busyWrites(2, 100);
        assertEquals(3, concurrency.current("b"), "a run as long as the limit at flat latency");
        busyWrites(3, 110);
        assertEquals(4, concurrency.current("b"));
        busyWrites(20, 100);
        assertEquals(4, concurrency.current("b"), "never above the maximum");
    }

    @Test
    void aTargetWhoseLatencyGrowsWithTheLoadKeepsItsLimit() throws InterruptedException {
        busyWrites(2, 100);
        assertEquals(3, concurrency.current("b"));
        busyWrites(10, 400);
        assertEquals(3, concurrency.current("b"), "more writes at once only queue there");
    }

    @Test
    void writesBelowTheLimitOrWithoutARequestSayNothing() throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            Exchange one = new DefaultExchange(camel);
            concurrency.acquire("b", one);
            nanos.addAndGet(100_000_000);
            concurrency.success("b", "update", one); // one write at a limit of 2: the target was not busy
            concurrency.release("b", one);
        }
        assertEquals(2, concurrency.current("b"));
        Exchange[] both = {new DefaultExchange(camel), new DefaultExchange(camel)};
        for (int i = 0; i < 10; i++) {
            concurrency.acquire("b", both[0]);
            concurrency.acquire("b", both[1]);
            concurrency.success("b", "current", both[0]); // found up to date: nothing was written
            concurrency.release("b", both[0]);
            concurrency.release("b", both[1]);
        }
        assertEquals(2, concurrency.current("b"));
    }

    @Test
    void anOverloadHalvesTheLimitOncePerRunAndNeverBelowOne() throws InterruptedException {
        busyWrites(2, 100);
        busyWrites(3, 100);
        assertEquals(4, concurrency.current("b"));
        concurrency.overload("b");
        assertEquals(2, concurrency.current("b"));
        concurrency.overload("b"); // the writes under way when it fell fail as well
        concurrency.overload("b");
        assertEquals(2, concurrency.current("b"), "one halving for one overload");
        concurrency.overload("b");
        assertEquals(1, concurrency.current("b"), "a run later the site still fails: halved again");
        for (int i = 0; i < 5; i++) {
            concurrency.overload("b");
        }
        assertEquals(1, concurrency.current("b"));
        assertEquals(2, new TargetConcurrency(2, 4, nanos::get).current("other"), "per target");
    }

    @Test
    void aWriteWaitsWhileTheTargetHasAsManyUnderWayAsItsLimit() throws Exception {
        Exchange first = new DefaultExchange(camel);
        Exchange second = new DefaultExchange(camel);
        concurrency.acquire("b", first);
        concurrency.acquire("b", second);
        CountDownLatch third = new CountDownLatch(1);
        Thread waiting = new Thread(() -> {
            try {
                concurrency.acquire("b", new DefaultExchange(camel));
                third.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiting.start();
        assertEquals(1, third.getCount());
        waiting.join(200);
        assertTrue(waiting.isAlive(), "the third write waits");
        concurrency.release("b", first);
        assertTrue(third.await(5, TimeUnit.SECONDS), "and goes once a permit is back");
        concurrency.release("b", first); // released twice: the second does nothing
        concurrency.release("b", second);
    }

    @Test
    void aStartAboveTheMaximumIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TargetConcurrency(5, 4));
    }
}
