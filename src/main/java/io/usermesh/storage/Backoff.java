package io.usermesh.storage;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed piece of work is tried again: {@code initial} doubled per attempt, capped at
 * {@code max}, with ±50% jitter so retries do not arrive in step; never sooner than the other side
 * asked (Retry-After).
 */
public record Backoff(Duration initial, Duration max) {

    public Duration after(int attempts, Optional<Duration> atLeast) {
        long base = initial.toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
        long capped = Math.min(base, max.toMillis());
        long jittered = (long) (capped * ThreadLocalRandom.current().nextDouble(0.5, 1.5));
        long wait = Math.min(jittered, max.toMillis());
        return Duration.ofMillis(Math.max(wait, atLeast.map(Duration::toMillis).orElse(0L)));
    }
}
