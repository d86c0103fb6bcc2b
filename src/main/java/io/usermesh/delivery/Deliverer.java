package io.usermesh.delivery;

import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.detection.Snapshot;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.Delivery;
import io.usermesh.pipeline.Rules;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WordPressClients;
import io.usermesh.wordpress.WordPressException;
import io.usermesh.wordpress.WpError;
import io.usermesh.wordpress.WpUser;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * The steps of deliver-to-site that talk to the target: the lookup, then create, update, delete or
 * skip. Each applies one change to one target site over its REST API and answers what it did
 * ({@link Applied}: the target's resulting state, the audit row, the change going onward) for
 * route delivered to record. Failures are thrown as {@link DeliveryException} for the route
 * configuration to handle.
 */
public final class Deliverer {

    /** The header naming the step deliver-to-site takes after the lookup. */
    public static final String OPERATION = "UsermeshOperation";
    /** The header with the reason of a "skip". */
    public static final String REASON = "UsermeshSkipReason";
    private static final String TARGET_USER = "UsermeshTargetUser";

    private final SitesConfig sites;
    private final WordPressClients clients;
    private final SnapshotStore snapshots;
    private final TargetLookup lookup;
    private final Clock clock;

    public Deliverer(SitesConfig sites, WordPressClients clients, SnapshotStore snapshots, UserLinks links,
            Clock clock) {
        this.sites = sites;
        this.clients = clients;
        this.snapshots = snapshots;
        this.lookup = new TargetLookup(links);
        this.clock = clock;
    }

    /**
     * Step "lookup" of deliver-to-site: finds the change's user on the target and names what to do in
     * header {@value #OPERATION}: create, update, delete, or skip (with the reason in
     * {@value #REASON}); the user found is kept in the exchange for the next step.
     */
    public void lookup(Queued queued, Exchange exchange) {
        Delivery delivery = queued.delivery();
        UserChange change = delivery.change();
        Site target = target(delivery);
        Optional<WpUser> existing = call(delivery, Rules.name(change.kind().action()),
                () -> lookup.find(change, target, clients.client(target)));
        existing.ifPresent(user -> exchange.setProperty(TARGET_USER, user));
        String reason = null;
        String operation;
        if (change.kind() == ChangeKind.DELETED) {
            operation = existing.isEmpty() ? "skip" : "delete";
            reason = "user is not on " + target.id();
        } else if (existing.isPresent()) {
            operation = "update";
        } else if (!delivery.allowCreate()) {
            operation = "skip";
            reason = "user is missing on " + target.id() + " and the link does not allow create";
        } else if (change.kind() == ChangeKind.UPDATED && !target.settings().createOnEdit()) {
            operation = "skip";
            reason = "user is missing on " + target.id() + " and createOnEdit is false";
        } else {
            operation = "create";
        }
        exchange.getMessage().setHeader(OPERATION, operation);
        exchange.getMessage().setHeader(REASON, "skip".equals(operation) ? reason : null);
    }

    /** Step "skip": nothing is written; the audit row says why. */
    public Applied skip(Queued queued, @Header(REASON) String reason, Exchange exchange) {
        Delivery delivery = queued.delivery();
        String action = delivery.change().kind() == ChangeKind.DELETED ? "delete" : "create";
        return Applied.auditOnly(delivery, null, audit(delivery, action, AuditStatus.SKIPPED, null, reason,
                started(exchange)));
    }

    /** Step "create": creates the user on the target. */
    public Applied create(Queued queued, Exchange exchange) {
        Delivery delivery = queued.delivery();
        Site target = target(delivery);
        return create(delivery, target, clients.client(target), started(exchange));
    }

    /** Step "update": writes the fields that differ, unless the target changed the user too (a conflict). */
    public Applied update(Queued queued, Exchange exchange) {
        Delivery delivery = queued.delivery();
        Site target = target(delivery);
        return update(delivery, target, clients.client(target), found(exchange), started(exchange));
    }

    /** Step "delete": deletes the user on the target. */
    public Applied delete(Queued queued, Exchange exchange) {
        Delivery delivery = queued.delivery();
        Site target = target(delivery);
        return delete(delivery, target, clients.client(target), found(exchange), started(exchange));
    }

    private Site target(Delivery delivery) {
        return sites.site(delivery.target()).orElseThrow();
    }

    private static WpUser found(Exchange exchange) {
        return exchange.getProperty(TARGET_USER, WpUser.class);
    }

    private static Instant started(Exchange exchange) {
        return Instant.ofEpochMilli(exchange.getClock().getCreated());
    }

    private Applied create(Delivery delivery, Site target, WordPressClient client, Instant start) {
        UserChange change = delivery.change();
        // a new account gets the whole user, whatever changed: its profile, and roles and meta where allowed
        Map<String, Object> fields = FieldMapper.forCreate(change, creationGroups(delivery, target), delivery.link(),
                target.settings());
        WpUser created = call(delivery, "create", () -> client.createUser(fields));
        UserState state = UserState.of(created);
        return new Applied(delivery, created.id(), state, false, audit(delivery, "create", AuditStatus.SUCCESS, 201,
                "created as user " + created.id() + " on " + target.id(), start),
                change.onwardFrom(target.id(), created.id(), state));
    }

    private static java.util.Set<FieldGroup> creationGroups(Delivery delivery, Site target) {
        java.util.Set<FieldGroup> groups = FieldGroup.carriedBy(delivery.link(), delivery.change().sourceSite(),
                target.id(), java.util.List.of(FieldGroup.ROLES, FieldGroup.METADATA, FieldGroup.PASSWORD));
        groups.add(FieldGroup.PROFILE);
        return groups;
    }

    private Applied update(Delivery delivery, Site target, WordPressClient client, WpUser current,
            Instant start) {
        UserChange change = delivery.change();
        UserState now = UserState.of(current);
        Map<String, Object> fields = FieldMapper.forUpdate(change, delivery.groups(), delivery.link(),
                target.settings());
        if (alreadyApplied(delivery, target, now)) {
            return new Applied(delivery, current.id(), now, false, audit(delivery, "edit", AuditStatus.SUCCESS, null,
                    "already up to date on " + target.id(), start), change.onwardFrom(target.id(), current.id(), now));
        }
        Optional<String> conflict = conflict(change, target, current.id(), now);
        if (conflict.isPresent()) {
            // the accounts are still the same person: linked, but nothing written
            return Applied.auditOnly(delivery, current.id(), audit(delivery, "edit", AuditStatus.CONFLICT, null,
                    conflict.get(), start));
        }
        WpUser updated = call(delivery, "edit", () -> client.updateUser(current.id(), fields));
        UserState state = UserState.of(updated);
        return new Applied(delivery, updated.id(), state, false, audit(delivery, "edit", AuditStatus.SUCCESS, 200,
                "updated " + groupNames(delivery) + " of user " + updated.id() + " on " + target.id(), start),
                change.onwardFrom(target.id(), updated.id(), state));
    }

    private Applied delete(Delivery delivery, Site target, WordPressClient client, WpUser current,
            Instant start) {
        UserChange change = delivery.change();
        Long reassign = call(delivery, "delete", () -> TargetLookup.reassignId(target, client));
        call(delivery, "delete", () -> {
            client.deleteUser(current.id(), reassign);
            return null;
        });
        return new Applied(delivery, current.id(), null, true, audit(delivery, "delete", AuditStatus.SUCCESS, 200,
                "deleted user " + current.id() + " on " + target.id() + (reassign == null ? " with its content"
                        : ", content to " + target.settings().deleteReassign()), start),
                change.onwardFrom(target.id(), current.id(), change.state()));
    }

    /**
     * Both sides changed the user since the last sync: the change detected later wins. The target's
     * change is the later one when its poll found it after this change was detected, or when it is
     * not even detected yet (the target differs from its snapshot).
     */
    private Optional<String> conflict(UserChange change, Site target, long targetUserId, UserState now) {
        Optional<Snapshot> known = snapshots.find(target.id(), targetUserId);
        if (known.isEmpty()) {
            return Optional.empty();
        }
        Snapshot snapshot = known.get();
        boolean undetected = !now.fingerprint().equals(snapshot.fingerprint());
        boolean laterOnTarget = snapshot.changedAt() != null && snapshot.changedAt().isAfter(change.detectedAt());
        if (!undetected && !laterOnTarget) {
            return Optional.empty();
        }
        return Optional.of("both sides changed the user; the later change on " + target.id() + " (fingerprint "
                + shortFp(now.fingerprint()) + ") wins over the one from " + change.sourceSite() + " (fingerprint "
                + shortFp(change.fingerprint()) + ")");
    }

    /** Whether the target already holds every field this delivery would send. */
    private static boolean alreadyApplied(Delivery delivery, Site target, UserState now) {
        UserChange change = delivery.change();
        boolean newPassword = delivery.groups().contains(FieldGroup.PASSWORD) && !change.password().isEmpty();
        return !newPassword && FieldMapper.differing(change.state(), now, delivery.groups(), delivery.link(),
                target.settings()).isEmpty();
    }

    private <T> T call(Delivery delivery, String action, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (WordPressException e) {
            throw new DeliveryException(delivery, action, e.error(), reason(delivery, action, e.error()),
                    e.retryAfter().orElse(null));
        }
    }

    private String reason(Delivery delivery, String action, WpError error) {
        Site target = sites.site(delivery.target()).orElseThrow();
        if (error.kind() == WpError.Kind.INVALID_ROLE) {
            String roles = String.join(", ", FieldMapper.mappedRoles(delivery.change().state(), target.settings()));
            return "role " + roles + " does not exist on " + target.id() + "; add a roleMap entry for "
                    + target.id() + " (" + error.describe() + ")";
        }
        return action + " on " + target.id() + " failed: " + error.describe();
    }

    private AuditEntry audit(Delivery delivery, String action, AuditStatus status, Integer httpStatus, String message,
            Instant start) {
        return entry(delivery, action, status, httpStatus, message, start, clock.instant());
    }

    /** The audit row of a delivery; also used for failures, by the route configuration. */
    public static AuditEntry entry(Delivery delivery, String action, AuditStatus status, Integer httpStatus,
            String message, Instant start, Instant end) {
        UserChange change = delivery.change();
        return new AuditEntry(end, change.eventId(), change.sourceSite(), delivery.target(), userKey(delivery),
                action, status, httpStatus, message, end.toEpochMilli() - start.toEpochMilli(), change.origin());
    }

    private static String userKey(Delivery delivery) {
        return delivery.change().state().auditKey();
    }

    private static String groupNames(Delivery delivery) {
        return delivery.groups().stream().sorted().map(FieldGroup::name).map(n -> n.toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    private static String shortFp(String fingerprint) {
        return fingerprint.substring(0, Math.min(12, fingerprint.length()));
    }
}
