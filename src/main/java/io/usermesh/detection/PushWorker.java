package io.usermesh.detection;

import io.usermesh.detection.PushQueue.PushEvent;
import io.usermesh.wordpress.WordPressException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works off push_event (route hook-process): for each event, the user it names is looked at now
 * ({@link Poller#refresh}) and what changed goes to the outbox as any detected change. A site
 * that cannot be read is asked again a few times; then the event is dropped, since the site's
 * next poll finds the change all the same.
 */
public final class PushWorker {

    private static final Logger LOG = LoggerFactory.getLogger(PushWorker.class);
    static final int ATTEMPTS = 5;
    private static final Duration CLAIM = Duration.ofMinutes(2);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);

    private final PushQueue queue;
    private final Poller poller;
    private final Clock clock;
    private final String runner = "runner-" + UUID.randomUUID().toString().substring(0, 8);

    public PushWorker(PushQueue queue, Poller poller, Clock clock) {
        this.queue = queue;
        this.poller = poller;
        this.clock = clock;
    }

    /** Returns how many events were handled. */
    public int processDue() {
        int handled = 0;
        for (PushEvent event : queue.claim(50, runner, CLAIM)) {
            handle(event);
            handled++;
        }
        return handled;
    }

    private void handle(PushEvent event) {
        try {
            int changes = poller.refresh(event.siteId(), event.wpUserId()).size();
            LOG.debug("site {}: push {} for user {}: {} change(s)", event.siteId(), event.topic(), event.wpUserId(),
                    changes);
            queue.done(event.id());
        } catch (WordPressException e) {
            int attempts = event.attempts() + 1;
            if (e.error().retryable() && attempts < ATTEMPTS) {
                queue.retryLater(event.id(), attempts, clock.instant().plus(FIRST_RETRY.multipliedBy(1L << (attempts - 1))),
                        e.getMessage());
            } else {
                LOG.warn("site {}: push {} for user {} dropped after {} attempt(s): {}; the next poll finds the change",
                        event.siteId(), event.topic(), event.wpUserId(), attempts, e.getMessage());
                queue.drop(event.id(), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("site {}: push {} for user {} failed; the next poll finds the change", event.siteId(),
                    event.topic(), event.wpUserId(), e);
            queue.drop(event.id(), e.toString());
        }
    }
}
