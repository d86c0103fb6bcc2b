package io.usermesh.config;

import java.time.Duration;

/**
 * How the sync engine protects data and retries: the usermesh.sync.* and usermesh.delivery.* keys.
 *
 * @param deleteGuardPercent a poll that finds more than this share of a site's users gone (and more
 *        than one) holds the deletions back
 * @param maxAttempts delivery attempts for a retryable failure before the change goes to dead letters
 * @param initialBackoff the wait before the second attempt; it doubles per attempt, with jitter
 * @param maxBackoff the longest wait between two attempts
 * @param circuitFailures consecutive failures after which a target is short-circuited
 * @param circuitProbe how long a short-circuited target rests before one delivery probes it
 * @param concurrency writes to one target at once when usermesh starts
 * @param maxConcurrency the most writes to one target at once the adaptive limit may reach
 */
public record SyncSettings(int deleteGuardPercent, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
        int circuitFailures, Duration circuitProbe, int concurrency, int maxConcurrency) {

    public static final SyncSettings DEFAULTS = new SyncSettings(20, 8, Duration.ofSeconds(5),
            Duration.ofMinutes(10), 5, Duration.ofSeconds(30), 4, 8);

    /** As before, with the default concurrency. */
    public SyncSettings(int deleteGuardPercent, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
            int circuitFailures, Duration circuitProbe) {
        this(deleteGuardPercent, maxAttempts, initialBackoff, maxBackoff, circuitFailures, circuitProbe, 4, 8);
    }
}
