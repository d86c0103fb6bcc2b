package io.usermesh.delivery;

import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.pipeline.SitePauses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Takes due changes from the outbox for the delivery queues: per target no more than its queue can
 * work on, nothing for a paused target (its changes wait until it is resumed), nothing for a target
 * whose circuit is open.
 */
public final class Dispatcher {

    /** How long a claim holds; a runner that dies mid-delivery frees its rows after this. */
    static final Duration CLAIM = Duration.ofMinutes(2);

    private final Supplier<SitesConfig> sites;
    private final SitePauses pauses;
    private final Outbox outbox;
    private final CircuitBreakers breakers;
    private final TargetConcurrency concurrency;
    private final String runner = "runner-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Set<Long>> inFlight = new ConcurrentHashMap<>();

    public Dispatcher(Supplier<SitesConfig> sites, SitePauses pauses, Outbox outbox, CircuitBreakers breakers,
            TargetConcurrency concurrency) {
        this.sites = sites;
        this.pauses = pauses;
        this.outbox = outbox;
        this.breakers = breakers;
        this.concurrency = concurrency;
    }

    /** Called by the outbox-dispatch route: due changes for every target. */
    public List<Queued> claimDue() {
        List<Queued> due = new ArrayList<>();
        for (Site site : sites.get().sites()) {
            due.addAll(claim(site));
        }
        return due;
    }

    /**
     * Called by the outbox-refill route when a delivery to {@code target} is over: its next changes
     * are claimed at once, not at the next tick of outbox-dispatch, so a fast target never waits
     * for the timer (at two per permit per tick the timer alone capped a target at 16 changes/s).
     */
    public List<Queued> claimFor(String target) {
        return sites.get().site(target).map(this::claim).orElse(List.of());
    }

    private List<Queued> claim(Site site) {
        if (!pauses.isActive(site)) {
            return List.of();
        }
        Set<Long> busy = inFlight.computeIfAbsent(site.id(), id -> ConcurrentHashMap.newKeySet());
        // twice the target's limit: the next writes wait queued while the current ones run
        int room = breakers.allowance(site.id(), 2 * concurrency.current(site.id()) - busy.size());
        if (room <= 0) {
            return List.of();
        }
        List<Queued> claimed = outbox.claim(site.id(), room, runner, CLAIM);
        claimed.forEach(q -> busy.add(q.id()));
        return claimed;
    }

    /** A delivery is over, whatever its outcome (deliver-to-site's onCompletion). */
    public void finished(String target, long outboxId) {
        Set<Long> busy = inFlight.get(target);
        if (busy != null) {
            busy.remove(outboxId);
        }
    }
}
