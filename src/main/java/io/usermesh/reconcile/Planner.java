package io.usermesh.reconcile;

import io.usermesh.config.Action;
import io.usermesh.config.Link;
import io.usermesh.config.MatchBy;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.delivery.FieldMapper;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.reconcile.Bookkeeping.Mark;
import io.usermesh.reconcile.ReconcilePlan.Item;
import io.usermesh.reconcile.ReconcilePlan.Op;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Works out, from the listings of the sites, what each target needs so that it matches its sources
 * as far as the links allow. Pure: no network, no database writes.
 *
 * <p>Per link, users are paired across the two sites: through user_link first, else by the target's
 * matchBy key (email without case, or login), as delivery finds them. Then, per pair:
 * <ul>
 * <li>only on the source: CREATE on the target when the link allows create — unless the target
 * has another user with that login or email (WordPress would refuse it; reported as a skip);</li>
 * <li>on both, and a group the link carries differs (profile fields; roles through the target's
 * roleMap; the link's metaKeys present on the source): UPDATE of those groups;</li>
 * <li>only on the target, linked in user_link to a source user that no longer exists on the
 * source, the source's listing complete, and the link allows delete: DELETE. A target user that
 * was never linked to a user of the source is never deleted.</li>
 * </ul>
 * A bidirectional link is reconciled in one direction per user: a user only on one side is
 * deleted there when it is linked to a user gone from the other side and the link lets that side's
 * deletions through, else created on the other side. A user differing on both sides goes from the
 * side whose change is the newer: a change not yet detected (the site differs from its snapshot)
 * is newer than every change detected before that snapshot was taken; otherwise the later
 * snapshot changed_at wins. When neither side is known to be newer the user is reported as
 * "differs on both sides" and left as it is.
 *
 * <p>Every candidate goes through the pipeline's rules ({@link PipelineGate}); a refusal is a skip
 * with the pipeline's reason. Finally, one site user gets at most one change per run (the first
 * link in sites.yaml wins), and a user that this run changes on a site is not also reconciled from
 * that site: the change goes on from there along that site's other links as any synced change
 * does (chains A→B→C).
 *
 * <p>A planned change names every other site linked to its source on its path, so that
 * route change-pipeline (its loop guard, targetRules.notOnPath) sends it to its one target only.
 */
public final class Planner {

    private static final Set<FieldGroup> SYNCED = EnumSet.of(FieldGroup.PROFILE, FieldGroup.ROLES,
            FieldGroup.METADATA);

    private final SitesConfig sites;
    private final PipelineGate gate;
    private final Bookkeeping books;
    private final Clock clock;

    public Planner(SitesConfig sites, PipelineGate gate, Bookkeeping books, Clock clock) {
        this.sites = sites;
        this.gate = gate;
        this.books = books;
        this.clock = clock;
    }

    /**
     * @param links the links to reconcile; both ends must be in {@code listed}
     * @param listed the users of every site at either end of those links
     * @param notes carried into the plan as they are
     */
    public ReconcilePlan plan(String runId, List<Link> links, Map<String, SiteUsers> listed, List<String> notes) {
        Run run = new Run(runId, clock.instant(), listed);
        for (Link link : links) {
            run.reconcile(link);
        }
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(run.notes);
        List<ReconcilePlan.Listed> listings = listed.values().stream()
                .map(u -> new ReconcilePlan.Listed(u.siteId(), u.size(), u.reportedTotal(), u.complete()))
                .toList();
        return new ReconcilePlan(runId, run.now, listings, run.finish(), allNotes);
    }

    private enum Side { FIRST, SECOND, NEITHER }

    /** One planning run. */
    private final class Run {

        final String runId;
        final Instant now;
        final Map<String, SiteUsers> listed;
        final List<Item> items = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Set<String> noted = new HashSet<>();
        int seq;

        Run(String runId, Instant now, Map<String, SiteUsers> listed) {
            this.runId = runId;
            this.now = now;
            this.listed = listed;
        }

        void reconcile(Link link) {
            SiteUsers a = listed.get(link.site());
            SiteUsers b = listed.get(link.remote());
            Objects.requireNonNull(a, () -> "no listing of " + link.site());
            Objects.requireNonNull(b, () -> "no listing of " + link.remote());
            // users by position in their listing: the heap holds two bits per user, not the users
            BitSet pairedA = new BitSet(a.size());
            BitSet pairedB = new BitSet(b.size());
            for (int i = 0; i < a.size(); i++) {
                int match = match(a, i, b);
                if (match >= 0 && !pairedB.get(match)) {
                    pairedB.set(match);
                    pairedA.set(i);
                    pair(link, a, i, b, match);
                }
            }
            for (int j = 0; j < b.size(); j++) {
                if (pairedB.get(j)) {
                    continue;
                }
                int match = match(b, j, a);
                if (match >= 0 && !pairedA.get(match)) {
                    pairedA.set(match);
                    pairedB.set(j);
                    pair(link, a, match, b, j);
                } else if (match < 0) {
                    onlyOn(link, b, b.idAt(j), a);
                }
            }
            for (int i = pairedA.nextClearBit(0); i < a.size(); i = pairedA.nextClearBit(i + 1)) {
                onlyOn(link, a, a.idAt(i), b);
            }
        }

        /**
         * Where the user at {@code index} of {@code from} is on {@code to} (its position there, or -1):
         * its user_link, else the target's matchBy key.
         */
        int match(SiteUsers from, int index, SiteUsers to) {
            Optional<Long> linked = books.linked(from.siteId(), from.idAt(index), to.siteId()).filter(to::has);
            if (linked.isPresent()) {
                return to.indexOf(linked.get());
            }
            MatchBy matchBy = site(to.siteId()).settings().matchBy();
            return to.idByKey(matchBy, from.state(index).key(matchBy)).map(to::indexOf).orElse(-1);
        }

        void pair(Link link, SiteUsers a, int aAt, SiteUsers b, int bAt) {
            if (a.fingerprintAt(aAt) == b.fingerprintAt(bAt)) {
                return; // the same in every synced field: nothing differs, no state read
            }
            long aId = a.idAt(aAt);
            long bId = b.idAt(bAt);
            UserState sa = a.state(aAt);
            UserState sb = b.state(bAt);
            String siteA = a.siteId();
            String siteB = b.siteId();
            boolean ab = link.flowsFrom(siteA);
            boolean ba = link.flowsFrom(siteB);
            Set<FieldGroup> cab = ab ? FieldGroup.carriedBy(link, siteA, siteB, SYNCED) : Set.of();
            Set<FieldGroup> cba = ba ? FieldGroup.carriedBy(link, siteB, siteA, SYNCED) : Set.of();
            Set<FieldGroup> gab = EnumSet.noneOf(FieldGroup.class);
            gab.addAll(FieldMapper.differing(sa, sb, cab, link, site(siteB).settings()));
            Set<FieldGroup> gba = EnumSet.noneOf(FieldGroup.class);
            gba.addAll(FieldMapper.differing(sb, sa, cba, link, site(siteA).settings()));
            // a group one direction finds equal is in sync: roleMap and metaKeys make comparisons one-sided
            // (customer on A, mapped to subscriber on B, is in sync with subscriber on B)
            Set<FieldGroup> inSync = EnumSet.noneOf(FieldGroup.class);
            cab.stream().filter(g -> !gab.contains(g)).forEach(inSync::add);
            cba.stream().filter(g -> !gba.contains(g)).forEach(inSync::add);
            gab.removeAll(inSync);
            gba.removeAll(inSync);
            if (gab.isEmpty() && gba.isEmpty()) {
                return;
            }
            // a difference only one direction carries goes that way; otherwise the newer side wins
            Side from = gba.isEmpty() ? Side.FIRST : gab.isEmpty() ? Side.SECOND
                    : newer(siteA, aId, sa, siteB, bId, sb);
            switch (from) {
                case FIRST -> {
                    if (!gab.isEmpty()) {
                        propose(Op.UPDATE, siteA, aId, sa, gab, siteB, bId, sb, null);
                    }
                }
                case SECOND -> {
                    if (!gba.isEmpty()) {
                        propose(Op.UPDATE, siteB, bId, sb, gba, siteA, aId, sa, null);
                    }
                }
                case NEITHER -> {
                    Set<FieldGroup> both = EnumSet.noneOf(FieldGroup.class);
                    both.addAll(gab);
                    both.addAll(gba);
                    items.add(new Item(siteB, Op.SKIP, sa.auditKey(), siteA, aId, bId, both, "differs on both sides ("
                            + ReconcilePlan.groupNames(both) + ") and neither is known to be newer: not changed",
                            null, sb));
                }
            }
        }

        /**
         * Which side's state is the newer. A side that differs from its snapshot has a change not yet
         * detected, made after that snapshot was seen; else the later detected change wins.
         */
        Side newer(String siteA, long aId, UserState sa, String siteB, long bId, UserState sb) {
            Mark ma = books.mark(siteA, aId).orElse(null);
            Mark mb = books.mark(siteB, bId).orElse(null);
            if (ma == null || mb == null) {
                return Side.NEITHER;
            }
            boolean undetectedA = !ma.shows(sa);
            boolean undetectedB = !mb.shows(sb);
            if (undetectedA && undetectedB) {
                return Side.NEITHER;
            }
            if (undetectedA) {
                return mb.changedAt() == null || !mb.changedAt().isAfter(ma.seenAt()) ? Side.FIRST : Side.NEITHER;
            }
            if (undetectedB) {
                return ma.changedAt() == null || !ma.changedAt().isAfter(mb.seenAt()) ? Side.SECOND : Side.NEITHER;
            }
            Instant ca = ma.changedAt();
            Instant cb = mb.changedAt();
            if (Objects.equals(ca, cb)) {
                return Side.NEITHER;
            }
            if (ca == null || cb == null) {
                return ca == null ? Side.SECOND : Side.FIRST;
            }
            return ca.isAfter(cb) ? Side.FIRST : Side.SECOND;
        }

        /** A user of {@code here} without a counterpart on {@code there}. */
        void onlyOn(Link link, SiteUsers here, long id, SiteUsers there) {
            UserState user = here.get(id);
            Optional<Long> goneThere = books.linked(here.siteId(), id, there.siteId()).filter(g -> !there.has(g));
            if (goneThere.isPresent() && link.flowsFrom(there.siteId())
                    && link.carries(there.siteId(), here.siteId(), Action.DELETE)) {
                if (!there.complete()) {
                    note(there.siteId() + " listed " + there.size() + " of " + there.reportedTotal()
                            + " users: no deletion is inferred from it");
                    return;
                }
                UserState last = books.lastState(there.siteId(), goneThere.get()).orElse(user);
                propose(Op.DELETE, there.siteId(), goneThere.get(), last, Set.of(), here.siteId(), id, user,
                        "its user " + goneThere.get() + " on " + there.siteId() + " is gone");
                return;
            }
            if (link.flowsFrom(here.siteId())
                    && link.carries(here.siteId(), there.siteId(), Action.CREATE)) {
                Optional<String> taken = taken(user, there);
                if (taken.isPresent()) {
                    items.add(new Item(there.siteId(), Op.SKIP, user.auditKey(), here.siteId(), id, null, Set.of(),
                            taken.get(), null, null));
                    return;
                }
                propose(Op.CREATE, here.siteId(), id, user, SYNCED, there.siteId(), null, null, null);
            }
        }

        /** WordPress refuses a second user with a login or an email already taken. */
        Optional<String> taken(UserState user, SiteUsers there) {
            Optional<Long> byLogin = there.idByLogin(user.username());
            if (byLogin.isPresent()) {
                return Optional.of("login " + user.username() + " is taken on " + there.siteId() + " by "
                        + there.get(byLogin.get()).auditKey() + ": not created");
            }
            Optional<Long> byEmail = there.idByEmail(user.email());
            if (byEmail.isPresent()) {
                return Optional.of("email " + user.email().toLowerCase(Locale.ROOT) + " is taken on "
                        + there.siteId() + " by login " + there.get(byEmail.get()).username() + ": not created");
            }
            return Optional.empty();
        }

        void propose(Op op, String source, long sourceUserId, UserState state, Set<FieldGroup> groups,
                String target, Long targetUserId, UserState targetState, String detail) {
            ChangeKind kind = switch (op) {
                case CREATE -> ChangeKind.CREATED;
                case UPDATE -> ChangeKind.UPDATED;
                case DELETE -> ChangeKind.DELETED;
                case SKIP -> throw new IllegalArgumentException("a skip is not a change");
            };
            // the run id stands in for the before-fingerprint: the idempotency key then lets each run
            // apply its change once, and a later run apply the same repair again
            UserChange change = new UserChange("rc-" + runId + "-" + (++seq), source, sourceUserId, kind, state,
                    groups, "reconcile:" + runId, Origin.RECONCILE, now, path(source, target));
            String key = (targetState != null && op == Op.DELETE ? targetState : state).auditKey();
            PipelineGate.Decision decision = gate.check(change, target);
            if (decision.delivery().isEmpty()) {
                items.add(new Item(target, Op.SKIP, key, source, sourceUserId, targetUserId, Set.of(),
                        decision.refusal(), null, targetState));
                return;
            }
            Set<FieldGroup> sent = op == Op.UPDATE ? decision.delivery().get().groups() : groups;
            items.add(new Item(target, op, key, source, sourceUserId, targetUserId, sent, detail, change,
                    targetState));
        }

        /** The source, then every other site linked to it: the pipeline then considers the target only. */
        List<String> path(String source, String target) {
            Set<String> path = new LinkedHashSet<>();
            path.add(source);
            for (Link link : sites.linksOf(source)) {
                String other = link.other(source);
                if (!other.equals(target)) {
                    path.add(other);
                }
            }
            return List.copyOf(path);
        }

        void note(String note) {
            if (noted.add(note)) {
                notes.add(note);
            }
        }

        /** One change per site user; no change from a site user this run changes. */
        List<Item> finish() {
            List<Item> result = new ArrayList<>();
            Map<String, Item> byTargetUser = new HashMap<>();
            for (Item item : items) {
                if (!item.isChange()) {
                    result.add(item);
                    continue;
                }
                String targetUser = item.targetUserId() != null ? item.target() + "#" + item.targetUserId()
                        : item.target() + "@" + item.change().state().key(site(item.target()).settings().matchBy());
                Item first = byTargetUser.putIfAbsent(targetUser, item);
                if (first != null) {
                    result.add(skip(item, "already planned from " + first.source() + " in this run"));
                } else {
                    result.add(item);
                }
            }
            List<Item> finished = new ArrayList<>();
            for (Item item : result) {
                Item changesSource = item.isChange() && item.op() != Op.DELETE
                        ? byTargetUser.get(item.source() + "#" + item.sourceUserId()) : null;
                if (changesSource != null && changesSource != item) {
                    finished.add(skip(item, "this run changes the user on " + item.source() + " (from "
                            + changesSource.source() + "); that change goes on from there"));
                } else {
                    finished.add(item);
                }
            }
            return finished;
        }

        Item skip(Item item, String reason) {
            return new Item(item.target(), Op.SKIP, item.userKey(), item.source(), item.sourceUserId(),
                    item.targetUserId(), Set.of(), reason, null, item.targetState());
        }

        Site site(String id) {
            return sites.site(id).orElseThrow(() -> new IllegalArgumentException("unknown site " + id));
        }
    }

    private Site site(String id) {
        return sites.site(id).orElseThrow(() -> new IllegalArgumentException("unknown site " + id));
    }
}
