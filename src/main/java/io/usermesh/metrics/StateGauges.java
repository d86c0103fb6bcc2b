package io.usermesh.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.usermesh.admin.SiteHealth;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.delivery.CircuitBreakers;
import io.usermesh.delivery.DeadLetters;
import io.usermesh.delivery.Outbox;
import io.usermesh.delivery.TargetConcurrency;
import io.usermesh.delivery.Waiting;
import io.usermesh.detection.PollTimes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gauges of the state every runner shares or sees: per target the changes waiting in the outbox, the
 * age of the oldest (the lag) and the dead letters waiting, read from the database at most once per
 * {@link #MAX_AGE} whatever the number of sites or scrapes ({@link Outbox#waitingByTarget} and
 * {@link DeadLetters#waitingByTarget}, as the admin API and the alerts read them);
 * and per site what this runner knows: up or down, its last successful poll, an open circuit, the
 * adaptive concurrency. A site added by a reload gets its gauges at the next read.
 */
public final class StateGauges {

    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private record Read(Instant at, Map<String, Waiting> outbox, Map<String, Long> dead) {
    }

    private final MeterRegistry registry;
    private final Supplier<SitesConfig> sites;
    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final SiteHealth health;
    private final PollTimes polls;
    private final CircuitBreakers breakers;
    private final TargetConcurrency concurrency;
    private final Clock clock;
    private volatile Read last;

    public StateGauges(MeterRegistry registry, Supplier<SitesConfig> sites, Outbox outbox, DeadLetters deadLetters,
            SiteHealth health, PollTimes polls, CircuitBreakers breakers, TargetConcurrency concurrency, Clock clock) {
        this.registry = registry;
        this.sites = sites;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.health = health;
        this.polls = polls;
        this.breakers = breakers;
        this.concurrency = concurrency;
        this.clock = clock;
        register();
    }

    /** Gauges for every configured site; registering one again is a no-op, so a reload only adds. */
    public void register() {
        for (Site site : sites.get().sites()) {
            String id = site.id();
            Gauge.builder("usermesh.outbox.pending", () -> read().outbox().getOrDefault(id, Waiting.NONE)
                    .count()).description("Changes waiting for the target").tag("target", id).register(registry);
            Gauge.builder("usermesh.outbox.oldest.age", () -> read().outbox().getOrDefault(id, Waiting.NONE)
                    .lag(clock).toMillis() / 1000.0)
                    .description("How long the oldest change for the target has waited (0: none)")
                    .baseUnit("seconds").tag("target", id).register(registry);
            Gauge.builder("usermesh.dead.letters", () -> read().dead().getOrDefault(id, 0L))
                    .description("Dead letters waiting for a replay").tag("target", id).register(registry);
            Gauge.builder("usermesh.site.up", () -> health.lastResult(id).map(c -> c.passed() ? 1 : 0).orElse(0))
                    .description("1 when the site's last health probe from this runner passed").tag("site", id)
                    .register(registry);
            Gauge.builder("usermesh.poll.last.success.timestamp", () -> polls.last(id)
                    .map(at -> at.toEpochMilli() / 1000.0).orElse(0.0)).baseUnit("seconds")
                    .description("When this runner last listed the site's users (epoch seconds; 0: not yet)")
                    .tag("site", id).register(registry);
            Gauge.builder("usermesh.circuit.open", () -> breakers.isOpen(id) ? 1 : 0)
                    .description("1 while this runner holds deliveries to the target after repeated failures")
                    .tag("target", id).register(registry);
            Gauge.builder("usermesh.delivery.concurrency", () -> concurrency.current(id))
                    .description("Writes to the target at once: the adaptive limit now").tag("target", id)
                    .register(registry);
        }
    }

    private Read read() {
        Read read = last;
        Instant now = clock.instant();
        if (read == null || !read.at().plus(MAX_AGE).isAfter(now)) {
            synchronized (this) {
                read = last;
                if (read == null || !read.at().plus(MAX_AGE).isAfter(now)) {
                    read = new Read(now, outbox.waitingByTarget(), deadLetters.waitingByTarget());
                    last = read;
                    register(); // sites a reload added
                }
            }
        }
        return read;
    }
}
