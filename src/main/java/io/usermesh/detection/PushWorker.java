package io.usermesh.detection;

import io.usermesh.detection.PushQueue.PushEvent;
import io.usermesh.storage.Backoff;
import io.usermesh.wordpress.WordPressException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works off push_event (route hook-process): for each event, the user it names is looked at now
 * ({@link Poller#refresh}) and what changed goes through route change-detected as a poll's changes do. A site
 * that cannot be read is asked again a few times; then the event is dropped, since the site's
 * next poll finds the change all the same.
 */
public final class PushWorker {

    private static final Logger LOG = LoggerFactory.getLogger(PushWorker.class);
    static final int ATTEMPTS = 5;
    private static final Duration CLAIM = Duration.ofMinutes(2);
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(1));

    private final PushQueue queue;
    private final Poller poller;
    private final ProducerTemplate template;
    private final Clock clock;
    private final String runner = "runner-" + UUID.randomUUID().toString().substring(0, 8);

    public PushWorker(PushQueue queue, Poller poller, ProducerTemplate template, Clock clock) {
        this.queue = queue;
        this.poller = poller;
        this.template = template;
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
            List<Detected> changes = poller.refresh(event.siteId(), event.wpUserId());
            // each found change is recorded and queued as a poll's is (route change-detected)
            changes.forEach(detected -> template.requestBody("direct:change-detected", detected));
            LOG.debug("site {}: push {} for user {}: {} change(s)", event.siteId(), event.topic(), event.wpUserId(),
                    changes.size());
            queue.done(event.id());
        } catch (WordPressException e) {
            int attempts = event.attempts() + 1;
            if (e.error().retryable() && attempts < ATTEMPTS) {
                queue.retryLater(event.id(), attempts, clock.instant().plus(BACKOFF.after(attempts, e.retryAfter())),
                        e.getMessage());
            } else {
                LOG.warn("site {}: push {} for user {} dropped after {} attempt(s): {}; the next poll finds the change",
                        event.siteId(), event.topic(), event.wpUserId(), attempts, e.getMessage());
                queue.giveUp(event.id(), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("site {}: push {} for user {} failed; the next poll finds the change", event.siteId(),
                    event.topic(), event.wpUserId(), e);
            queue.giveUp(event.id(), e.toString());
        }
    }
}
