package io.usermesh.detection;

import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.SitePauses;
import io.usermesh.wordpress.WordPressClients;
import io.usermesh.wordpress.WpUser;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects user changes on a site by listing its users and diffing their fingerprints against
 * user_snapshot. The first poll of a site only records a baseline.
 */
public final class Poller {

    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
    private static final Set<FieldGroup> ALL_GROUPS = EnumSet.of(FieldGroup.PROFILE, FieldGroup.ROLES,
            FieldGroup.METADATA);

    private final Supplier<SitesConfig> sites;
    private final SitePauses pauses;
    private final WordPressClients clients;
    private final SnapshotStore snapshots;
    private final Consumer<AuditEntry> audit;
    private final int deleteGuardPercent;
    private final Clock clock;
    private final Map<String, String> roleless = new java.util.concurrent.ConcurrentHashMap<>();
    private final PollTimes polls;

    public Poller(Supplier<SitesConfig> sites, SitePauses pauses, WordPressClients clients, SnapshotStore snapshots,
            Consumer<AuditEntry> audit, int deleteGuardPercent, Clock clock) {
        this(sites, pauses, clients, snapshots, audit, deleteGuardPercent, clock, new PollTimes());
    }

    /** @param polls told the start of every listing that succeeded */
    public Poller(Supplier<SitesConfig> sites, SitePauses pauses, WordPressClients clients, SnapshotStore snapshots,
            Consumer<AuditEntry> audit, int deleteGuardPercent, Clock clock, PollTimes polls) {
        this.polls = polls;
        this.sites = sites;
        this.pauses = pauses;
        this.clients = clients;
        this.snapshots = snapshots;
        this.audit = audit;
        this.deleteGuardPercent = deleteGuardPercent;
        this.clock = clock;
    }

    /**
     * Called by the poll-site route; returns the changes found, in user id order, for route
     * change-detected to record and queue one by one.
     */
    public List<Detected> poll(String siteId) {
        Site site = sites.get().site(siteId).orElseThrow(() -> new IllegalArgumentException("unknown site " + siteId));
        if (!pauses.isActive(site)) {
            return List.of(); // its changes are found by the first poll after it is resumed
        }
        Instant started = clock.instant();
        Listing listing = Listing.read(clients.client(site));
        polls.polled(siteId, started, java.time.Duration.between(started, clock.instant()));
        Map<Long, Snapshot> known = snapshots.load(siteId);
        if (known.isEmpty()) {
            for (WpUser user : listing.users()) {
                snapshots.recordBaseline(siteId, user.id(), UserState.of(user), started);
            }
            LOG.info("site {}: baseline of {} users recorded; changes from now on are synced", siteId,
                    listing.users().size());
            return List.of();
        }
        List<Detected> changes = new ArrayList<>();
        Set<Long> present = new HashSet<>();
        for (WpUser user : listing.users()) {
            present.add(user.id());
            examine(site, user, known.get(user.id()), started, Origin.POLL).ifPresent(changes::add);
        }
        List<Snapshot> gone = known.values().stream()
                .filter(s -> !present.contains(s.wpUserId()) && !s.seenAt().isAfter(started))
                .sorted(java.util.Comparator.comparingLong(Snapshot::wpUserId))
                .toList();
        if (!gone.isEmpty()) {
            deletions(site, gone, known.size(), listing, changes);
        }
        return changes;
    }

    /**
     * Called for pushed events (webhook, companion): looks at the users they name now, in one request,
     * as a poll would, and returns what changed. The site's own REST API is asked, not the push's
     * body, so a push only says "look here", and one for a change usermesh itself wrote finds nothing
     * new (no echo). A named user the site no longer has was deleted, if usermesh knew it.
     */
    public List<Detected> refresh(String siteId, Collection<Long> wpUserIds) {
        Site site = sites.get().site(siteId).orElseThrow(() -> new IllegalArgumentException("unknown site " + siteId));
        if (!pauses.isActive(site) || !snapshots.hasBaseline(siteId)) {
            return List.of(); // the first poll (after resume) records or finds it
        }
        Instant started = clock.instant();
        Map<Long, Snapshot> before = snapshots.find(siteId, wpUserIds); // read before the site, as a poll does
        Map<Long, WpUser> read = new HashMap<>();
        clients.client(site).getUsers(wpUserIds).forEach(user -> read.put(user.id(), user));
        List<Detected> found = new ArrayList<>();
        for (long id : new LinkedHashSet<>(wpUserIds)) {
            WpUser user = read.get(id);
            if (user != null) {
                examine(site, user, before.get(id), started, Origin.WEBHOOK).ifPresent(found::add);
            } else if (before.containsKey(id)) {
                found.add(deleted(site, before.get(id), Origin.WEBHOOK));
            }
        }
        return found;
    }

    /** One user read from the site against its snapshot: created, updated, or nothing to say. */
    private Optional<Detected> examine(Site site, WpUser user, Snapshot before, Instant started, Origin origin) {
        if (before != null && before.seenAt().isAfter(started)) {
            return Optional.empty(); // usermesh wrote this user while the listing ran: the listing is older
        }
        UserState state = UserState.of(user);
        if (unsettled(site.id(), user.id(), state, before)) {
            return Optional.empty();
        }
        if (before == null) {
            return Optional.of(detected(site, user.id(), ChangeKind.CREATED, state, createdGroups(state), null, origin));
        }
        if (state.fingerprint().equals(before.fingerprint())) {
            return Optional.empty();
        }
        return Optional.of(detected(site, user.id(), ChangeKind.UPDATED, state, state.changedFrom(before.state()),
                before, origin));
    }

    /** A new user brings everything; its password only where the site shows it (companion plugin). */
    private static Set<FieldGroup> createdGroups(UserState state) {
        if (!state.hasPasswordDigest()) {
            return ALL_GROUPS;
        }
        Set<FieldGroup> groups = EnumSet.copyOf(ALL_GROUPS);
        groups.add(FieldGroup.PASSWORD);
        return groups;
    }

    /**
     * WordPress writes a user and its roles in two steps (REST create and role updates first store the
     * user without a role): a listing in between shows "no roles". Such a state is taken only when the
     * next poll still shows it, so a half-written user is neither synced without its role nor filtered
     * out by syncRoles.
     */
    private boolean unsettled(String siteId, long userId, UserState state, Snapshot before) {
        String key = siteId + "/" + userId;
        if (!state.roles().isEmpty() || (before != null && before.state().roles().isEmpty())) {
            roleless.remove(key);
            return false;
        }
        String seen = roleless.put(key, state.fingerprint());
        if (state.fingerprint().equals(seen)) {
            roleless.remove(key);
            return false;
        }
        return true;
    }

    private void deletions(Site site, List<Snapshot> gone, int knownCount, Listing listing, List<Detected> changes) {
        String reason = null;
        if (!listing.complete()) {
            reason = "listing returned " + listing.users().size() + " of " + listing.reportedTotal()
                    + " users; deletions are not inferred from an incomplete listing";
        } else if (gone.size() > 1 && gone.size() * 100L > (long) deleteGuardPercent * knownCount) {
            reason = gone.size() + " of " + knownCount + " users disappeared at once (more than "
                    + deleteGuardPercent + "%); deletions held back, check the site and run a reconciliation";
        }
        if (reason != null) {
            LOG.warn("site {}: {}", site.id(), reason);
            audit.accept(new AuditEntry(clock.instant(), UUID.randomUUID().toString(), site.id(), null,
                    gone.size() + " users", "delete", AuditStatus.SKIPPED, null, reason, null, Origin.POLL));
            return;
        }
        gone.forEach(s -> changes.add(deleted(site, s, Origin.POLL)));
    }

    private Detected deleted(Site site, Snapshot gone, Origin origin) {
        return detected(site, gone.wpUserId(), ChangeKind.DELETED, gone.state(), Set.of(), gone, origin);
    }

    /** A change of one user; {@code before} is its snapshot (null for a new user), the fingerprint it replaces. */
    private Detected detected(Site site, long userId, ChangeKind kind, UserState state, Set<FieldGroup> groups,
            Snapshot before, Origin origin) {
        return new Detected(new UserChange(UUID.randomUUID().toString(), site.id(), userId, kind, state, groups,
                before == null ? "" : before.fingerprint(), origin, clock.instant(), List.of(site.id())),
                before);
    }
}
