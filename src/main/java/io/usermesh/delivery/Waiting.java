package io.usermesh.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The changes waiting in the outbox for one target: how many, and since when the oldest has waited. */
public record Waiting(long count, Instant oldest) {

    public static final Waiting NONE = new Waiting(0, null);

    /** How long the oldest has waited: the target's lag (zero when nothing waits). */
    public Duration lag(Clock clock) {
        return oldest == null ? Duration.ZERO : Duration.between(oldest, clock.instant()).isNegative() ? Duration.ZERO
                : Duration.between(oldest, clock.instant());
    }
}
