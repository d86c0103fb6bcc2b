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
import io.usermesh.wordpress.FeedPage;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WordPressClients;
import io.usermesh.wordpress.WordPressException;
import io.usermesh.wordpress.WpUser;
import java.time.Clock;
import java.time.Duration;
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
 * Detects user changes on a site by diffing what it shows against user_snapshot: every user (a full
 * listing), or only those its companion plugin's changes feed names. The first poll of a site only
 * records a baseline.
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
    private final PollCursors cursors;
    /** Per site, where its poll in progress got to, until {@link #finish} records it. */
    private final Map<String, Reached> reached = new java.util.concurrent.ConcurrentHashMap<>();
    /** Sites whose changes feed was refused, and when to ask again. */
    private final Map<String, Instant> noFeedUntil = new java.util.concurrent.ConcurrentHashMap<>();

    /** Feed pages read by one poll at most (a few thousand users); the next poll goes on from there. */
    static final int FEED_PAGES_PER_POLL = 5;
    static final Duration NO_FEED_RECHECK = Duration.ofHours(1);

    private record Reached(String feedCursor, Instant fullScanAt) {
    }

    /**
     * @param polls told the start of every poll that succeeded
     * @param cursors where each site's polls got to in its changes feed, and its last full listing
     */
    public Poller(Supplier<SitesConfig> sites, SitePauses pauses, WordPressClients clients, SnapshotStore snapshots,
            Consumer<AuditEntry> audit, int deleteGuardPercent, Clock clock, PollTimes polls, PollCursors cursors) {
        this.polls = polls;
        this.cursors = cursors;
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
     * change-detected to record and queue one by one. Where the site's companion plugin offers its
     * changes feed, a poll reads only the users the feed names since the last poll; it lists every
     * user on the first poll, when the site's {@code fullScanInterval} has passed since the last full
     * listing, and when the feed cannot answer (an expired cursor, an error: audited). Where the poll
     * got to is recorded by {@link #finish}, which the route calls once every change is recorded.
     */
    public List<Detected> poll(String siteId) {
        Site site = sites.get().site(siteId).orElseThrow(() -> new IllegalArgumentException("unknown site " + siteId));
        reached.remove(siteId);
        if (!pauses.isActive(site)) {
            return List.of(); // its changes are found by the first poll after it is resumed
        }
        Instant started = clock.instant();
        Optional<PollCursors.PollCursor> cursor = cursors.find(siteId);
        if (feedReadable(site, cursor, started)) {
            try {
                return fromFeed(site, cursor.get().feedCursor(), started);
            } catch (WordPressException e) {
                if (e.error().httpStatus() == 0) {
                    throw e; // no answer: the site is down, and a listing would fail too
                }
                String reason = "changes feed not used (" + e.error().describe() + "); this poll lists every user";
                LOG.warn("site {}: {}", siteId, reason);
                audit.accept(new AuditEntry(clock.instant(), UUID.randomUUID().toString(), siteId, null, "all users",
                        "poll", AuditStatus.SKIPPED, e.error().httpStatus(), reason, null, Origin.POLL));
            }
        }
        return fullScan(site, started);
    }

    /**
     * Records where the poll of the site that just ended got to: the feed position it read up to, and
     * the start of its full listing if it made one. Called by the poll-site route after every change
     * the poll returned was recorded; a poll that failed calls nothing, so the next one reads the same
     * changes again.
     */
    public void finish(String siteId) {
        Reached poll = reached.remove(siteId);
        if (poll == null) {
            return;
        }
        if (poll.fullScanAt() != null) {
            cursors.fullScan(siteId, poll.feedCursor(), poll.fullScanAt());
        } else {
            cursors.feedRead(siteId, poll.feedCursor());
        }
    }

    /** A feed position to start from, a baseline to compare with, and no full listing due. */
    private boolean feedReadable(Site site, Optional<PollCursors.PollCursor> cursor, Instant now) {
        if (cursor.isEmpty() || cursor.get().feedCursor() == null || cursor.get().fullScanAt() == null) {
            return false;
        }
        Duration since = Duration.between(cursor.get().fullScanAt(), now);
        return since.compareTo(site.settings().fullScanEvery()) < 0 && snapshots.hasBaseline(site.id());
    }

    /** The users the feed names since {@code since}, read from the site and diffed as pushes are. */
    private List<Detected> fromFeed(Site site, String since, Instant started) {
        WordPressClient client = clients.client(site);
        String position = since;
        Set<Long> named = new LinkedHashSet<>();
        for (int page = 0; page < FEED_PAGES_PER_POLL; page++) {
            FeedPage answer = client.changes(position);
            named.addAll(answer.userIds());
            boolean advanced = !answer.cursor().equals(position);
            position = answer.cursor();
            if (!answer.more() || !advanced) {
                break;
            }
        }
        named.addAll(unsettledUsers(site.id()));
        List<Detected> found = named.isEmpty() ? List.of() : read(site, named, started, Origin.POLL);
        polls.polled(site.id(), started, Duration.between(started, clock.instant()));
        reached.put(site.id(), new Reached(position, null));
        return found;
    }

    /** Every user of the site, diffed against the snapshot (the first time: recorded as the baseline). */
    private List<Detected> fullScan(Site site, Instant started) {
        String siteId = site.id();
        String feedCursor = feedPosition(site); // read before the listing: what changes during it comes again
        Listing listing = Listing.read(clients.client(site));
        polls.polled(siteId, started, Duration.between(started, clock.instant()));
        reached.put(siteId, new Reached(feedCursor, started));
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
     * The changes feed's current position, or null when the site has none. A site that answered
     * "no" (no companion plugin, or a user that may not read it) is not asked again for an hour, so a
     * site without the companion costs no extra request per poll; one that did not answer throws, as
     * its listing would.
     */
    private String feedPosition(Site site) {
        Instant askAgain = noFeedUntil.get(site.id());
        if (askAgain != null && clock.instant().isBefore(askAgain)) {
            return null;
        }
        try {
            String position = clients.client(site).changes(null).cursor();
            noFeedUntil.remove(site.id());
            return position;
        } catch (WordPressException e) {
            if (e.error().httpStatus() == 0) {
                throw e;
            }
            if (e.error().httpStatus() < 500 && e.error().httpStatus() != 429) {
                noFeedUntil.put(site.id(), clock.instant().plus(NO_FEED_RECHECK));
                LOG.info("site {}: no changes feed ({}); every poll lists every user", site.id(),
                        e.error().describe());
            }
            return null;
        }
    }

    /** Users whose state waits for a second look ({@link #unsettled}): a feed poll reads them again. */
    private List<Long> unsettledUsers(String siteId) {
        String prefix = siteId + "/";
        return roleless.keySet().stream().filter(key -> key.startsWith(prefix))
                .map(key -> Long.parseLong(key.substring(prefix.length()))).toList();
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
        return read(site, wpUserIds, clock.instant(), Origin.WEBHOOK);
    }

    /** The named users read from the site, a page at a time, against their snapshots. */
    private List<Detected> read(Site site, Collection<Long> wpUserIds, Instant started, Origin origin) {
        List<Long> ids = List.copyOf(new LinkedHashSet<>(wpUserIds));
        List<Detected> found = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += WordPressClient.PAGE_SIZE) {
            List<Long> batch = ids.subList(from, Math.min(ids.size(), from + WordPressClient.PAGE_SIZE));
            Map<Long, Snapshot> before = snapshots.find(site.id(), batch); // read before the site, as a poll does
            Map<Long, WpUser> read = new HashMap<>();
            clients.client(site).getUsers(batch).forEach(user -> read.put(user.id(), user));
            for (long id : batch) {
                WpUser user = read.get(id);
                if (user != null) {
                    examine(site, user, before.get(id), started, origin).ifPresent(found::add);
                } else if (before.containsKey(id)) {
                    found.add(deleted(site, before.get(id), origin));
                }
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
