package io.usermesh.delivery;

import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.config.SyncSettings;
import io.usermesh.pipeline.Delivery;
import io.usermesh.storage.Backoff;
import io.usermesh.storage.StorageException;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WordPressException;
import io.usermesh.wordpress.WpError;
import java.io.IOException;
import java.util.Optional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a delivery that failed: a retryable failure (timeout, connection refused, 5xx,
 * 429) is tried again later with exponential backoff and jitter, honouring Retry-After; after the
 * last attempt, or at once for any other failure, the change goes to dead letters. Every failed
 * attempt is one `failed` audit row, the move to dead letters one `dead` row.
 */
public final class DeliveryFailures {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryFailures.class);
    /** The exchange property deliver-to-site keeps the outbox row it works on in. */
    public static final String QUEUED = "UsermeshOutboxRow";

    private final Supplier<SitesConfig> sites;
    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final CircuitBreakers breakers;
    private final TargetConcurrency concurrency;
    private final SyncSettings settings;
    private final Backoff backoff;
    private final Consumer<AuditEntry> audit;
    private final Clock clock;

    public DeliveryFailures(Supplier<SitesConfig> sites, Outbox outbox, DeadLetters deadLetters, CircuitBreakers breakers,
            TargetConcurrency concurrency,
            SyncSettings settings, Consumer<AuditEntry> audit, Clock clock) {
        this.sites = sites;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.breakers = breakers;
        this.concurrency = concurrency;
        this.settings = settings;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        this.audit = audit;
        this.clock = clock;
    }

    /** Called by the route configuration delivery-errors. */
    public void handle(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        WordPressClient.dropCredentials(exchange.getMessage()); // when camel-http got no answer
        Queued queued = exchange.getProperty(QUEUED, Queued.class);
        if (queued == null) {
            LOG.error("delivery route failed without a queued delivery", caught);
            return;
        }
        Instant start = Instant.ofEpochMilli(exchange.getClock().getCreated());
        Delivery delivery = queued.delivery();
        int attempts = queued.attempts() + 1;
        String again = exchange.getMessage().getHeader(Deliverer.AGAIN, String.class); // the write that failed
        String action = action(again != null ? again : exchange.getMessage().getHeader(Deliverer.OPERATION,
                String.class), delivery);
        WordPressException failure = siteFailure(caught, delivery.target());
        StorageException storage = failure == null ? StorageException.in(caught) : null;
        // the database gave up on a lock (deadlock, lock wait): not the target's fault, and worth another try
        boolean contention = storage != null && storage.isTransient();
        String reason = failure != null ? reason(delivery, action, failure.error())
                : contention ? "database busy: " + storage.getMessage() : "internal error: " + caught;
        Integer status = failure == null || failure.error().httpStatus() == 0 ? null : failure.error().httpStatus();
        boolean retryable = failure != null && failure.error().retryable() || contention;
        if (failure != null && failure.error().retryable()) {
            breakers.failure(delivery.target());
            concurrency.overload(delivery.target());
        }
        if (retryable && attempts < settings.maxAttempts()) {
            Duration wait = backoff.after(attempts, failure == null ? Optional.empty() : failure.retryAfter());
            outbox.retryLater(queued.id(), attempts, clock.instant().plus(wait), reason);
            record(delivery, action, AuditStatus.FAILED, status, "attempt " + attempts + " of "
                    + settings.maxAttempts() + ": " + reason + "; next attempt in " + wait.toSeconds() + "s", start);
            return;
        }
        if (failure == null && !contention) {
            LOG.error("delivery {} -> {} failed", delivery.change().sourceSite(), delivery.target(), caught);
        } else {
            LOG.warn("{} -> {}: {}", delivery.change().sourceSite(), delivery.target(), reason);
        }
        long deadId = deadLetters.add(delivery, action, reason, status, attempts);
        outbox.giveUp(queued.id(), reason);
        record(delivery, action, AuditStatus.FAILED, status, reason, start);
        record(delivery, action, AuditStatus.DEAD, status, "moved to dead letters (id " + deadId + ") after "
                + attempts + (attempts == 1 ? " attempt" : " attempts") + "; replay it once the cause is fixed", start);
    }

    /** What the site answered, or how the request to it failed (camel-http's I/O errors), if that was it. */
    private static WordPressException siteFailure(Throwable caught, String target) {
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof WordPressException site) {
                return site;
            }
            if (cause instanceof IOException) {
                return new WordPressException(target, WordPressClient.transportError(cause));
            }
        }
        return null;
    }

    /** create, edit or delete: the write that failed, else (the lookup) the change's own action. */
    private static String action(String operation, Delivery delivery) {
        return switch (operation == null ? "" : operation) {
            case "create", "delete" -> operation;
            case "update" -> "edit";
            default -> delivery.change().kind().action().name().toLowerCase(Locale.ROOT);
        };
    }

    private String reason(Delivery delivery, String action, WpError error) {
        Site target = sites.get().site(delivery.target()).orElseThrow();
        if (error.kind() == WpError.Kind.INVALID_ROLE) {
            String roles = String.join(", ", FieldMapper.mappedRoles(delivery.change().state(), target.settings()));
            return "role " + roles + " does not exist on " + target.id() + "; add a roleMap entry for "
                    + target.id() + " (" + error.describe() + ")";
        }
        return action + " on " + target.id() + " failed: " + error.describe();
    }

    private void record(Delivery delivery, String action, AuditStatus status, Integer httpStatus, String message,
            Instant start) {
        audit.accept(Deliverer.entry(delivery, action, status, httpStatus, message, start, clock.instant()));
    }
}
