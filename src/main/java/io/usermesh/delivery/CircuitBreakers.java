package io.usermesh.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One circuit breaker per target. After {@code failures} consecutive retryable failures the target
 * is open: the dispatcher takes none of its changes (they wait in the outbox, holding no thread)
 * until {@code probe} has passed; then one change probes it, and a success closes the circuit.
 */
public final class CircuitBreakers {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakers.class);

    private record State(int failures, Instant openUntil) {
    }

    private final int failures;
    private final Duration probe;
    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public CircuitBreakers(int failures, Duration probe, Clock clock) {
        this.failures = failures;
        this.probe = probe;
        this.clock = clock;
    }

    /** How many changes the target may take now: all when closed, one probe when due, none when open. */
    public int allowance(String target, int wanted) {
        State state = states.get(target);
        if (state == null || state.openUntil() == null) {
            return wanted;
        }
        if (clock.instant().isBefore(state.openUntil())) {
            return 0;
        }
        // half open: one probe; until it reports back, stay open for another probe period
        states.put(target, new State(state.failures(), clock.instant().plus(probe)));
        return Math.min(1, wanted);
    }

    /** True while the target's circuit is open (half open included: it waits for its probe's answer). */
    public boolean isOpen(String target) {
        State state = states.get(target);
        return state != null && state.openUntil() != null;
    }

    public void success(String target) {
        State previous = states.remove(target);
        if (previous != null && previous.openUntil() != null) {
            LOG.info("target {} answers again: circuit closed", target);
        }
    }

    public void failure(String target) {
        states.compute(target, (t, state) -> {
            int count = state == null ? 1 : state.failures() + 1;
            if (count >= failures) {
                if (state == null || state.openUntil() == null) {
                    LOG.warn("target {} failed {} times in a row: circuit open, next probe in {}s", t, count,
                            probe.toSeconds());
                }
                return new State(count, clock.instant().plus(probe));
            }
            return new State(count, null);
        });
    }
}
