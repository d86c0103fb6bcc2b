package io.usermesh.delivery;

import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.detection.Snapshot;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.Delivery;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WordPressClients;
import io.usermesh.wordpress.WordPressException;
import io.usermesh.wordpress.WpError;
import io.usermesh.wordpress.WpUser;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;

/**
 * The steps of deliver-to-site about the target's user: the lookup, which decides what to do; for a
 * create, update or delete the request that the route's camel-http step sends, and the reading of
 * the site's answer; otherwise the outcome without a write. Each outcome is an {@link Applied} (the
 * target's resulting state, the audit row, the change going onward) for the route to record. A
 * site's refusal is thrown as its {@link io.usermesh.wordpress.WordPressException} for the route
 * configuration delivery-errors.
 */
@SuppressWarnings("unchecked") // the maps of REST fields
public final class Deliverer {

    /** The header naming what deliver-to-site does after the lookup: create, update, delete, skip, conflict, current. */
    public static final String OPERATION = "UsermeshOperation";
    /** The header with the reason of an outcome without a write. */
    public static final String REASON = "UsermeshSkipReason";
    /**
     * The header naming the write that the site's answer turned this one into (update or create), for
     * deliver-to-site's second choice; set at most once per delivery.
     */
    public static final String AGAIN = "UsermeshAgain";
    private static final String AGAIN_BECAUSE = "UsermeshAgainBecause";
    private static final String TARGET_USER = "UsermeshTargetUser";
    private static final String TARGET_SNAPSHOT = "UsermeshTargetSnapshot";
    private static final String WRITTEN = "UsermeshWrittenFields";
    private static final String USERS = "/wp-json/wp/v2/users";

    private final Supplier<SitesConfig> sites;
    private final WordPressClients clients;
    private final SnapshotStore snapshots;
    private final TargetLookup lookup;
    private final UserLinks links;
    private final Clock clock;

    public Deliverer(Supplier<SitesConfig> sites, WordPressClients clients, SnapshotStore snapshots, UserLinks links,
            Clock clock) {
        this.sites = sites;
        this.clients = clients;
        this.snapshots = snapshots;
        this.lookup = new TargetLookup(links, snapshots);
        this.links = links;
        this.clock = clock;
    }

    /**
     * Step "lookup": finds the change's user on the target and names what to do in header
     * {@value #OPERATION} (with the reason in {@value #REASON} when nothing is written); the user
     * found is kept in the exchange for the next steps.
     */
    public void lookup(Queued queued, Message message, Exchange exchange) {
        Delivery delivery = queued.delivery();
        Site target = target(delivery);
        Optional<TargetLookup.Found> existing = lookup.find(delivery.change(), target, clients.client(target));
        existing.ifPresent(found -> {
            exchange.setProperty(TARGET_USER, found.user());
            exchange.setProperty(TARGET_SNAPSHOT, found.snapshot());
        });
        message.setHeader(REASON, null);
        message.setHeader(AGAIN, null);
        message.setHeader(OPERATION, existing.map(found -> whenPresent(delivery, target, found, message))
                .orElseGet(() -> whenMissing(delivery, target, message)));
    }

    private static String whenMissing(Delivery delivery, Site target, Message message) {
        String skip = missingReason(delivery, target);
        return skip == null ? "create" : noWrite(message, "skip", skip);
    }

    /** Why a change for a user missing on the target is not created there, or null: it is. */
    private static String missingReason(Delivery delivery, Site target) {
        ChangeKind kind = delivery.change().kind();
        if (kind == ChangeKind.DELETED) {
            return "user is not on " + target.id();
        }
        if (!delivery.allowCreate()) {
            return "user is missing on " + target.id() + " and the link does not allow create";
        }
        if (kind == ChangeKind.UPDATED && !target.settings().createOnEdit()) {
            return "user is missing on " + target.id() + " and createOnEdit is false";
        }
        return null;
    }

    private static String whenPresent(Delivery delivery, Site target, TargetLookup.Found found, Message message) {
        if (delivery.change().kind() == ChangeKind.DELETED) {
            return "delete";
        }
        UserState now = UserState.of(found.user());
        boolean fieldsHeld = fieldsHeld(delivery, target, now);
        if (fieldsHeld && !passwordTravels(delivery)) {
            return noWrite(message, "current", "already up to date on " + target.id());
        }
        return conflict(delivery.change(), target, found.snapshot(), now, fieldsHeld)
                .map(reason -> noWrite(message, "conflict", reason))
                .orElse("update");
    }

    private static String noWrite(Message message, String operation, String reason) {
        message.setHeader(REASON, reason);
        return operation;
    }

    /** Step "create": the request for the new account, which gets the whole user whatever changed. */
    public void create(@ExchangeProperty(DeliveryFailures.QUEUED) Queued queued, Message message) {
        Delivery delivery = queued.delivery();
        Site target = target(delivery);
        Set<FieldGroup> groups = createGroups(delivery, target);
        request(target, message, "POST", USERS, clients.client(target).userQuery(),
                FieldMapper.forCreate(delivery.change(), groups, delivery.link(), target.settings(),
                        passwordHash(delivery.change(), groups)));
    }

    /** A new account gets the whole user the link carries, whatever changed. */
    private static Set<FieldGroup> createGroups(Delivery delivery, Site target) {
        Set<FieldGroup> groups = FieldGroup.carriedBy(delivery.link(), delivery.change().sourceSite(), target.id(),
                List.of(FieldGroup.ROLES, FieldGroup.METADATA));
        groups.add(FieldGroup.PROFILE);
        if (delivery.groups().contains(FieldGroup.PASSWORD)) {
            groups.add(FieldGroup.PASSWORD); // the pipeline's verdict: both sites have the companion
        }
        return groups;
    }

    /**
     * Step "update": the request that writes the fields of the groups the link carries that the target
     * lacks, judged against the target's snapshot (no read before the write). On a site with the
     * companion the request also carries what the snapshot shows of each field it overwrites
     * (usermesh.expect), and the site refuses it if the user changed there since.
     */
    public void update(@ExchangeProperty(DeliveryFailures.QUEUED) Queued queued, Message message,
            Exchange exchange) {
        Delivery delivery = queued.delivery();
        Site target = target(delivery);
        WpUser now = found(exchange);
        UserState before = UserState.of(now);
        // the update of a user made on the target since its last poll gets the whole user, as a create would
        Set<FieldGroup> groups = "update".equals(message.getHeader(AGAIN)) ? createGroups(delivery, target)
                : delivery.groups();
        Map<String, Object> fields = FieldMapper.changedOnly(FieldMapper.forUpdate(delivery.change(), groups,
                delivery.link(), target.settings(), passwordHash(delivery.change(), groups)), before);
        exchange.setProperty(WRITTEN, fields);
        Map<String, Object> expect = FieldMapper.expected(fields, before);
        Map<String, Object> body = fields;
        if (before.companion() != null && !expect.isEmpty()) {
            body = new LinkedHashMap<>(fields);
            Map<String, Object> companion = new LinkedHashMap<>(
                    (Map<String, Object>) fields.getOrDefault(WordPressClient.COMPANION_FIELD, Map.of()));
            companion.put("expect", expect);
            body.put(WordPressClient.COMPANION_FIELD, companion);
        }
        request(target, message, "POST", USERS + "/" + now.id(), clients.client(target).userQuery(), body);
    }

    /**
     * The source's password hash when the password travels: read from the source's companion plugin
     * now, for this one request, never kept (the pipeline lets PASSWORD through only between sites
     * that both have the companion). The user's current hash is sent, so a retry or a late delivery
     * never sets an older password.
     */
    private Secret passwordHash(UserChange change, Set<FieldGroup> groups) {
        if (!groups.contains(FieldGroup.PASSWORD)) {
            return Secret.EMPTY;
        }
        Site source = sites.get().site(change.sourceSite()).orElseThrow();
        return clients.client(source).passwordHash(change.sourceUserId());
    }

    /** Step "delete": the request that deletes the user for good, its content to deleteReassign. */
    public void delete(Queued queued, Message message, Exchange exchange) {
        Site target = target(queued.delivery());
        Long reassign = lookup.reassignId(target, clients.client(target));
        request(target, message, "DELETE", USERS + "/" + found(exchange).id(),
                Map.of("force", "true", "reassign", reassign == null ? "false" : reassign.toString()), null);
    }

    private void request(Site target, Message message, String method, String path, Map<String, String> query,
            Map<String, Object> fields) {
        clients.client(target).prepare(message, method, path, query, fields, true);
    }

    /** After the create request: the new user, as the site answered it. */
    public Applied created(@ExchangeProperty(DeliveryFailures.QUEUED) Queued queued, Message answer,
            Exchange exchange) {
        Delivery delivery = queued.delivery();
        WpUser user;
        try {
            user = WpUser.fromJson(client(delivery).answer(answer));
        } catch (WordPressException e) {
            if (e.error().kind() != WpError.Kind.DUPLICATE_USER) {
                throw e;
            }
            return alreadyThere(delivery, answer, exchange, e);
        }
        String because = exchange.getProperty(AGAIN_BECAUSE, String.class);
        return written(delivery, user, "create", 201, because == null
                ? "created as user " + user.id() + " on " + delivery.target()
                : because + "; created it again as user " + user.id(), exchange);
    }

    /**
     * The target refused the create as a duplicate: the user was made there since its last poll, so
     * its snapshot did not know it. Found with the site's search and updated (or found up to date),
     * never created twice: the update is deliver-to-site's second write (header {@value #AGAIN}), and
     * this step answers null. A duplicate the search does not find (another person's login) stays the
     * site's refusal.
     */
    private Applied alreadyThere(Delivery delivery, Message message, Exchange exchange,
            WordPressException refusal) {
        Site target = target(delivery);
        WpUser existing = TargetLookup.bySearch(delivery.change(), target, clients.client(target))
                .filter(user -> message.getHeader(AGAIN) == null)
                .orElseThrow(() -> refusal);
        exchange.setProperty(TARGET_USER, existing);
        exchange.setProperty(TARGET_SNAPSHOT, null);
        if (fieldsHeld(delivery, target, UserState.of(existing)) && !passwordTravels(delivery)) {
            return written(delivery, existing, "edit", null, "already up to date on " + target.id(), exchange);
        }
        return again(message, exchange, "update", "user " + existing.id() + " was made on " + target.id()
                + " since its last poll (WordPress: user already exists)");
    }

    private static Applied again(Message message, Exchange exchange, String operation, String because) {
        message.setHeader(AGAIN, operation);
        exchange.setProperty(AGAIN_BECAUSE, because);
        return null;
    }

    /**
     * After the update request: the target's state is the site's answer for the fields written and the
     * snapshot's for the rest ({@link FieldMapper#asWritten}). The companion's refusal (the user changed
     * on the site since its last poll) is a conflict, or a skip for a user protected since; a 404 (the
     * user deleted there since) is handled as a user missing on the target. After the second write of a
     * create refused as a duplicate, the audit row says so.
     */
    public Applied updated(@ExchangeProperty(DeliveryFailures.QUEUED) Queued queued, Message answer,
            Exchange exchange) {
        Delivery delivery = queued.delivery();
        WpUser before = found(exchange);
        WpUser user;
        try {
            user = WpUser.fromJson(client(delivery).answer(answer));
        } catch (WordPressException e) {
            return switch (e.error().kind()) {
                case CHANGED_ON_SITE -> refusedAsChanged(delivery, before, e, exchange);
                case NOT_FOUND -> goneSince(delivery, before, answer, exchange, e);
                default -> throw e;
            };
        }
        String groups = delivery.groups().stream().sorted().map(g -> g.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        UserState state = FieldMapper.asWritten(UserState.of(before), UserState.of(user),
                exchange.getProperty(WRITTEN, Map.class));
        String because = exchange.getProperty(AGAIN_BECAUSE, String.class);
        return written(delivery, user.id(), state, "edit", 200, because == null ? "updated " + groups + " of user "
                + user.id() + " on " + delivery.target() : because + "; updated it", exchange);
    }

    /**
     * The companion refused the update: the user changed on the target since its last poll, so that
     * change is the later one. Only here is the user read (one request more, for a conflict only), so
     * the audit row names the target's fingerprint as any conflict row does.
     */
    private Applied refusedAsChanged(Delivery delivery, WpUser before, WordPressException refusal,
            Exchange exchange) {
        String said = refusal.error().message() == null ? "" : " (" + refusal.error().message() + ")";
        if ("usermesh_protected".equals(refusal.error().code())) {
            return Applied.auditOnly(delivery, null, audit(delivery, "edit", AuditStatus.SKIPPED, 409,
                    "user is protected on " + delivery.target() + said, exchange));
        }
        UserState now = UserState.of(client(delivery).getUser(before.id()));
        return Applied.auditOnly(delivery, before.id(), audit(delivery, "edit", AuditStatus.CONFLICT, 409,
                conflictReason(delivery.change(), delivery.target(), now) + said, exchange));
    }

    /**
     * The linked user was deleted on the target since its last poll: the link and snapshot go, and the
     * user is created again where the link and createOnEdit allow it, in the same delivery (deliver-to-site's
     * second write, header {@value #AGAIN}; this step answers null).
     */
    private Applied goneSince(Delivery delivery, WpUser before, Message message, Exchange exchange,
            WordPressException notFound) {
        if (message.getHeader(AGAIN) != null) {
            throw notFound;
        }
        Site target = target(delivery);
        links.unlink(target.id(), before.id());
        snapshots.delete(target.id(), before.id());
        String skip = missingReason(delivery, target);
        if (skip != null) {
            return Applied.auditOnly(delivery, null, audit(delivery, "edit", AuditStatus.SKIPPED, 404, skip,
                    exchange));
        }
        return again(message, exchange, "create", "user " + before.id() + " was deleted on " + target.id()
                + " since its last poll");
    }

    /** After the delete request. */
    public Applied deleted(@ExchangeProperty(DeliveryFailures.QUEUED) Queued queued, Message answer,
            Exchange exchange) {
        Delivery delivery = queued.delivery();
        Site target = target(delivery);
        long id = found(exchange).id();
        try {
            client(delivery).answer(answer);
        } catch (WordPressException e) {
            if (e.error().kind() != WpError.Kind.NOT_FOUND) {
                throw e;
            }
            links.unlink(target.id(), id); // deleted behind usermesh's back: nothing left to do
            return Applied.auditOnly(delivery, null, audit(delivery, "delete", AuditStatus.SKIPPED, 404,
                    "user is not on " + target.id(), exchange));
        }
        String content = target.settings().reassignsContent() ? ", content to " + target.settings().deleteReassign()
                : " with its content";
        return new Applied(delivery, id, null, true, audit(delivery, "delete", AuditStatus.SUCCESS, 200,
                "deleted user " + id + " on " + target.id() + content, exchange),
                delivery.change().onwardFrom(target.id(), id, delivery.change().state()));
    }

    private Applied written(Delivery delivery, WpUser user, String action, Integer status, String message,
            Exchange exchange) {
        return written(delivery, user.id(), UserState.of(user), action, status, message, exchange);
    }

    private Applied written(Delivery delivery, long userId, UserState state, String action, Integer status,
            String message, Exchange exchange) {
        return new Applied(delivery, userId, state, false, audit(delivery, action, AuditStatus.SUCCESS, status,
                message, exchange), delivery.change().onwardFrom(delivery.target(), userId, state));
    }

    /**
     * The outcome without a write: skip (nothing to do on the target), current (the target holds the
     * change already: linked, recorded and sent onward as if written) or conflict (the accounts are
     * linked, nothing written).
     */
    public Applied unwritten(Queued queued, @Header(OPERATION) String operation, @Header(REASON) String reason,
            Exchange exchange) {
        Delivery delivery = queued.delivery();
        WpUser user = found(exchange);
        if ("current".equals(operation)) {
            return written(delivery, user, "edit", null, reason, exchange);
        }
        boolean conflict = "conflict".equals(operation);
        String action = conflict ? "edit" : delivery.change().kind() == ChangeKind.DELETED ? "delete" : "create";
        return Applied.auditOnly(delivery, conflict ? user.id() : null, audit(delivery, action,
                conflict ? AuditStatus.CONFLICT : AuditStatus.SKIPPED, null, reason, exchange));
    }

    /**
     * Both sides changed the user since the last sync: the change detected later wins. Here, the
     * target's change is the later one when its poll found it after this change was detected (the
     * snapshot the lookup found: no second read). (A change
     * on the target that no poll has found yet is caught by the site itself, on a site with the
     * companion: the update's expect refuses it, see {@link #updated}.) A later change found by the
     * poll that left the target with every field this change carries ({@code fieldsHeld}: only the
     * password is left to write) is no conflict: it is this change arriving, e.g. a create whose runner
     * died before it recorded the write.
     */
    private static Optional<String> conflict(UserChange change, Site target, Snapshot known, UserState now,
            boolean fieldsHeld) {
        boolean laterOnTarget = !fieldsHeld && known != null && known.changedAt() != null
                && known.changedAt().isAfter(change.detectedAt());
        if (!laterOnTarget) {
            return Optional.empty();
        }
        return Optional.of(conflictReason(change, target.id(), now));
    }

    private static String conflictReason(UserChange change, String target, UserState now) {
        return "both sides changed the user; the later change on " + target + " (fingerprint "
                + shortFp(now.fingerprint()) + ") wins over the one from " + change.sourceSite() + " (fingerprint "
                + shortFp(change.fingerprint()) + ")";
    }

    /** Whether the target already holds every field of this delivery that states can compare (all but the password). */
    private static boolean fieldsHeld(Delivery delivery, Site target, UserState now) {
        return FieldMapper.differing(delivery.change().state(), now, delivery.groups(), delivery.link(),
                target.settings()).isEmpty();
    }

    /** The password is always written when it travels: digests differ per site, so no state shows it arrived. */
    private static boolean passwordTravels(Delivery delivery) {
        return delivery.groups().contains(FieldGroup.PASSWORD);
    }

    private Site target(Delivery delivery) {
        return sites.get().site(delivery.target()).orElseThrow();
    }

    private WordPressClient client(Delivery delivery) {
        return clients.client(target(delivery));
    }

    private static WpUser found(Exchange exchange) {
        return exchange.getProperty(TARGET_USER, WpUser.class);
    }

    private AuditEntry audit(Delivery delivery, String action, AuditStatus status, Integer httpStatus,
            String message, Exchange exchange) {
        return entry(delivery, action, status, httpStatus, message,
                Instant.ofEpochMilli(exchange.getClock().getCreated()), clock.instant());
    }

    /** The audit row of a delivery; also used for failures, by the route configuration. */
    public static AuditEntry entry(Delivery delivery, String action, AuditStatus status, Integer httpStatus,
            String message, Instant start, Instant end) {
        UserChange change = delivery.change();
        return new AuditEntry(end, change.eventId(), change.sourceSite(), delivery.target(),
                change.state().auditKey(), action, status, httpStatus, message,
                end.toEpochMilli() - start.toEpochMilli(), change.origin());
    }

    private static String shortFp(String fingerprint) {
        return fingerprint.substring(0, Math.min(12, fingerprint.length()));
    }
}
