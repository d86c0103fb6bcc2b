package io.usermesh.delivery;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Action;
import io.usermesh.config.Direction;
import io.usermesh.config.Link;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.Delivery;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Two deliveries of one user to one target wait for each other; the lock is given back from any thread. */
class UserLocksTest {

    @Test
    void theSecondDeliveryOfAUserWaitsUntilTheFirstIsReleasedFromAnotherThread() throws Exception {
        UserLocks locks = new UserLocks();
        UserState ann = new UserState("ann", "ann@example.test", "Ann", "Ann", "", "ann", "", "", List.of(),
                Map.of());
        Queued queued = new Queued(1, 0, new Delivery(new UserChange("e1", "a", 7, ChangeKind.CREATED, ann, Set.of(),
                "", Origin.POLL, Instant.now(), List.of("a")), "b", new Link("a", "b", Direction.PUSH,
                EnumSet.allOf(Action.class), EnumSet.allOf(Action.class), List.of()), Set.of(), true));
        Exchange first = new DefaultExchange(new DefaultCamelContext());
        Exchange second = new DefaultExchange(new DefaultCamelContext());
        locks.acquire(queued, first);

        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                locks.acquire(queued, second);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            waiting.get(300, TimeUnit.MILLISECONDS);
            assertFalse(true, "the second delivery did not wait");
        } catch (TimeoutException expected) {
            // still waiting, as it should
        }
        CompletableFuture.runAsync(() -> locks.release(first)).get(); // onCompletion may run on another thread
        waiting.get(5, TimeUnit.SECONDS);
        locks.release(second);
        locks.release(second); // a second release of the same exchange gives nothing back twice
        Exchange third = new DefaultExchange(new DefaultCamelContext());
        locks.acquire(queued, third);
        assertTrue(third.getProperties().containsKey("UsermeshUserLock"));
    }
}
