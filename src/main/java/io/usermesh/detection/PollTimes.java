package io.usermesh.detection;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * When each site was last polled by this runner, through a full listing or its changes feed (the
 * admin API's {@code lastPoll}): a poll that failed, or one that another runner of the database ran,
 * does not move it.
 */
public final class PollTimes {

    private final Map<String, Instant> last = new ConcurrentHashMap<>();
    private final BiConsumer<String, Duration> timed;

    public PollTimes() {
        this((site, took) -> { });
    }

    /** @param timed told how long each poll took (the poll duration metric) */
    public PollTimes(BiConsumer<String, Duration> timed) {
        this.timed = timed;
    }

    /** A poll of the site that started {@code at} and succeeded {@code took} later. */
    public void polled(String siteId, Instant at, Duration took) {
        last.merge(siteId, at, (before, now) -> now.isAfter(before) ? now : before);
        timed.accept(siteId, took);
    }

    public Optional<Instant> last(String siteId) {
        return Optional.ofNullable(last.get(siteId));
    }
}
