package io.usermesh.detection;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each site's users were last listed in full by a poll of this runner (the admin API's
 * {@code lastPoll}): a poll that failed, or one that another runner of the database ran, does not
 * move it.
 */
public final class PollTimes {

    private final Map<String, Instant> last = new ConcurrentHashMap<>();

    public void polled(String siteId, Instant at) {
        last.merge(siteId, at, (before, now) -> now.isAfter(before) ? now : before);
    }

    public Optional<Instant> last(String siteId) {
        return Optional.ofNullable(last.get(siteId));
    }
}
