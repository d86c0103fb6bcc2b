package io.usermesh.delivery;

import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;

/**
 * Two deliveries of one user to one target never run at once (say A→C and, through B, A→B→C), so
 * neither takes the other's half-written state for its own outcome. Taken by deliver-to-site before
 * the lookup, given back when the exchange completes, whatever its outcome (possibly on another
 * thread: hence semaphores, which no thread owns).
 */
public final class UserLocks {

    private static final String HELD = "UsermeshUserLock";
    private final Semaphore[] stripes = new Semaphore[64];

    public UserLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Semaphore(1);
        }
    }

    public void acquire(Queued queued, Exchange exchange) throws InterruptedException {
        int stripe = Math.floorMod((queued.target() + queued.delivery().change().state().username()).hashCode(),
                stripes.length);
        stripes[stripe].acquire();
        exchange.setProperty(HELD, stripe);
    }

    public void release(Exchange exchange) {
        Integer stripe = exchange.getProperty(HELD, Integer.class);
        if (stripe != null) {
            exchange.removeProperty(HELD);
            stripes[stripe].release();
        }
    }
}
