package io.usermesh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.SyncSettings;
import io.usermesh.storage.Backoff;
import io.usermesh.testing.ManualClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Backoff with jitter and Retry-After, and the per-target circuit breaker. */
class RetryPolicyTest {

    static final SyncSettings SETTINGS = new SyncSettings(20, 8, Duration.ofSeconds(5), Duration.ofMinutes(10), 3,
            Duration.ofSeconds(30));

    final Backoff backoff = new Backoff(SETTINGS.initialBackoff(), SETTINGS.maxBackoff());

    @Test
    void backoffDoublesPerAttemptWithinJitterAndCap() {
        for (int attempt = 1; attempt <= 12; attempt++) {
            long base = Math.min(5_000L << (attempt - 1), 600_000L);
            for (int i = 0; i < 50; i++) {
                long wait = backoff.after(attempt, Optional.empty()).toMillis();
                assertTrue(wait >= base / 2 && wait <= Math.min(base * 3 / 2, 600_000L),
                        "attempt " + attempt + ": " + wait + " ms for a base of " + base);
            }
        }
    }

    @Test
    void aSitesRetryAfterIsHonoured() {
        assertEquals(Duration.ofSeconds(120), backoff.after(1, Optional.of(Duration.ofSeconds(120))));
    }

    @Test
    void aTargetFailingAgainAndAgainIsShortCircuitedThenProbed() {
        ManualClock clock = new ManualClock();
        CircuitBreakers breakers = new CircuitBreakers(3, Duration.ofSeconds(30), clock);
        breakers.failure("blog");
        breakers.failure("blog");
        assertEquals(8, breakers.allowance("blog", 8), "two failures: still closed");
        breakers.failure("blog");
        assertEquals(0, breakers.allowance("blog", 8), "open: no change is taken");
        assertEquals(8, breakers.allowance("shop", 8), "other targets are not affected");

        clock.now = clock.now.plusSeconds(31);
        assertEquals(1, breakers.allowance("blog", 8), "after the probe period one change probes");
        assertEquals(0, breakers.allowance("blog", 8), "only one probe at a time");
        breakers.success("blog");
        assertEquals(8, breakers.allowance("blog", 8), "a success closes the circuit");
    }
}
