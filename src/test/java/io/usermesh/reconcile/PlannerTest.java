package io.usermesh.reconcile;

import static io.usermesh.reconcile.Fixtures.CLOCK;
import static io.usermesh.reconcile.Fixtures.config;
import static io.usermesh.reconcile.Fixtures.gate;
import static io.usermesh.reconcile.Fixtures.link;
import static io.usermesh.reconcile.Fixtures.site;
import static io.usermesh.reconcile.Fixtures.user;
import static io.usermesh.reconcile.Fixtures.users;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Action;
import io.usermesh.config.Direction;
import io.usermesh.config.Link;
import io.usermesh.config.MatchBy;
import io.usermesh.config.Site;
import io.usermesh.config.SiteStatus;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import io.usermesh.model.UserState;
import io.usermesh.reconcile.Fixtures.Books;
import io.usermesh.reconcile.ReconcilePlan.Item;
import io.usermesh.reconcile.ReconcilePlan.Op;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The planning rules on users held in memory: no site, no database. */
class PlannerTest {

    static final Instant T1 = Instant.parse("2026-11-20T08:00:00Z");
    static final Instant T2 = Instant.parse("2026-11-21T08:00:00Z");
    static final Instant T3 = Instant.parse("2026-11-21T09:00:00Z");

    static ReconcilePlan plan(SitesConfig config, Bookkeeping books, SiteUsers... listed) {
        Map<String, SiteUsers> byId = new LinkedHashMap<>();
        for (SiteUsers u : listed) {
            byId.put(u.siteId(), u);
        }
        return new Planner(config, gate(config), books, CLOCK).plan("run1", config.links(), byId, List.of());
    }

    /** "target op user [groups|reason]" per item. */
    static List<String> lines(ReconcilePlan plan) {
        return plan.items().stream().map(PlannerTest::line).toList();
    }

    static String line(Item i) {
        String detail = switch (i.op()) {
            case CREATE -> "";
            case UPDATE -> " " + i.groups().stream().sorted().map(g -> g.name().toLowerCase())
                    .collect(Collectors.joining(","));
            case DELETE, SKIP -> " " + i.reason();
        };
        return i.target() + " " + i.op().label() + " " + i.userKey() + " <" + i.source() + detail;
    }

    @Test
    void pushCreatesMissingUsersUpdatesDifferingOnesAndNeverDeletesUnlinkedOnes() {
        SitesConfig config = config(List.of(site("a"), site("b")), List.of(link("a", "b", Direction.PUSH)));
        ReconcilePlan plan = plan(config, new Books(),
                users("a", 1, user("ann", "Ann"), 2, user("bob", "Bob"), 3, user("carl", "Carl")),
                users("b", 10, user("ann", "Anne"), 11, user("bob", "Bob"), 12, user("dan", "Dan")));

        assertEquals(List.of("b create carl@example.test <a", "b update ann@example.test <a profile"), lines(plan));
        Item create = plan.items().get(0);
        assertEquals(ChangeKind.CREATED, create.change().kind());
        assertEquals(Origin.RECONCILE, create.change().origin());
        assertEquals(3, create.change().sourceUserId());
        assertEquals(EnumSet.of(FieldGroup.PROFILE, FieldGroup.ROLES, FieldGroup.METADATA), create.change().groups());
        Item update = plan.items().get(1);
        assertEquals(10L, update.targetUserId());
        assertEquals(Set.of(FieldGroup.PROFILE), update.change().groups());
        assertEquals("rc-run1-" + update.change().eventId().substring(8), update.change().eventId());
        assertEquals("reconcile:run1", update.change().previousFingerprint(),
                "each run applies its repair once, a later run may apply it again");
    }

    @Test
    void deletesOnlyTargetUsersLinkedToASourceUserThatIsGone() {
        SitesConfig config = config(List.of(site("a"), site("b")), List.of(link("a", "b", Direction.PUSH)));
        Books books = new Books().link("a", 1, "b", 10).link("a", 4, "b", 13)
                .mark("a", 4, user("eve", "Eve"), T1, null);
        ReconcilePlan plan = plan(config, books,
                users("a", 1, user("ann", "Ann")),
                users("b", 10, user("ann", "Ann"), 12, user("dan", "Dan"), 13, user("eve", "Eve")));

        assertEquals(List.of("b delete eve@example.test <a its user 4 on a is gone"), lines(plan));
        Item delete = plan.items().get(0);
        assertEquals(13L, delete.targetUserId());
        assertEquals(4L, delete.change().sourceUserId());
        assertEquals(ChangeKind.DELETED, delete.change().kind());
        assertEquals(Set.of(), delete.change().groups());
    }

    @Test
    void noDeletionWithoutDeleteOnTheLinkNorFromAnIncompleteListing() {
        Books books = new Books().link("a", 4, "b", 13);
        SitesConfig noDelete = config(List.of(site("a"), site("b")), List.of(link("a", "b", Direction.PUSH,
                EnumSet.of(Action.CREATE, Action.EDIT), List.of())));
        assertEquals(List.of(), lines(plan(noDelete, books, users("a"), users("b", 13, user("eve", "Eve")))));

        SitesConfig config = config(List.of(site("a"), site("b")), List.of(link("a", "b", Direction.PUSH)));
        SiteUsers partial = new SiteUsers("a", Map.of(), 1, false);
        ReconcilePlan plan = plan(config, books, partial, users("b", 13, user("eve", "Eve")));
        assertEquals(List.of(), lines(plan));
        assertEquals(List.of("a listed 0 of 1 users: no deletion is inferred from it"), plan.notes());
    }

    @Test
    void aUserDeletedOnThePushTargetIsCreatedAgain() {
        SitesConfig config = config(List.of(site("a"), site("b")), List.of(link("a", "b", Direction.PUSH)));
        Books books = new Books().link("a", 1, "b", 10);
        assertEquals(List.of("b create ann@example.test <a"),
                lines(plan(config, books, users("a", 1, user("ann", "Ann")), users("b"))));
    }

    @Test
    void findsTheTargetUserThroughItsLinkBeforeItsKey() {
        SitesConfig config = config(List.of(site("a"), site("b")), List.of(link("a", "b", Direction.PUSH)));
        UserState renamed = new UserState("ann", "ann.lee@example.test", "Ann Lee", "Ann", "Lee", "ann", "", "",
                List.of("author"), Map.of());
        ReconcilePlan plan = plan(config, new Books().link("a", 1, "b", 10),
                users("a", 1, renamed), users("b", 10, user("ann", "Ann")));
        assertEquals(List.of("b update ann.lee@example.test <a profile"), lines(plan),
                "an email change is an update of the linked user, not a create and a delete");
    }

    @Test
    void comparesOnlyWhatTheLinkCarriesRolesThroughTheTargetRoleMapAndTheLinkMetaKeys() {
        Site b = site("b", SiteStatus.ACTIVE, false, List.of(), Map.of("customer", "subscriber"), MatchBy.EMAIL);
        Link link = link("a", "b", Direction.PUSH, EnumSet.of(Action.CREATE, Action.ROLES, Action.METADATA),
                List.of("billing_city"));
        SitesConfig config = config(List.of(site("a"), b), List.of(link));
        ReconcilePlan plan = plan(config, new Books(),
                users("a",
                        1, user("ann", "Ann", List.of("customer"), Map.of("billing_city", "Oslo", "other", "x")),
                        2, user("bob", "Bob", List.of("customer"), Map.of("billing_city", "Bergen")),
                        3, user("carl", "Carl", List.of("editor"), Map.of())),
                users("b",
                        10, user("ann", "Anne", List.of("subscriber"), Map.of("billing_city", "Oslo", "other", "y")),
                        11, user("bob", "Bob", List.of("subscriber"), Map.of("billing_city", "Oslo")),
                        12, user("carl", "Carl", List.of("author"), Map.of())));

        assertEquals(List.of("b update bob@example.test <a metadata", "b update carl@example.test <a roles"),
                lines(plan), "profile is not carried; customer is subscriber on b; only billing_city counts");
    }

    @Test
    void pullRunsFromTheRemoteToTheSite() {
        SitesConfig config = config(List.of(site("a"), site("b")), List.of(link("a", "b", Direction.PULL)));
        ReconcilePlan plan = plan(config, new Books(), users("a", 1, user("ann", "Ann")),
                users("b", 10, user("bob", "Bob")));
        assertEquals(List.of("a create bob@example.test <b"), lines(plan));
    }

    @Test
    void bidirectionalGoesFromTheSideWithTheNewerDetectedChange() {
        SitesConfig config = config(List.of(site("a"), site("b")), List.of(link("a", "b", Direction.BIDIRECTIONAL)));
        UserState annA = user("ann", "Ann");
        UserState annB = user("ann", "Anne");
        Books books = new Books().link("a", 1, "b", 10)
                .mark("a", 1, annA, T3, T2).mark("b", 10, annB, T3, T1);
        assertEquals(List.of("b update ann@example.test <a profile"),
                lines(plan(config, books, users("a", 1, annA), users("b", 10, annB))));

        Books newerOnB = new Books().link("a", 1, "b", 10)
                .mark("a", 1, annA, T3, T1).mark("b", 10, annB, T3, T2);
        assertEquals(List.of("a update ann@example.test <b profile"),
                lines(plan(config, newerOnB, users("a", 1, annA), users("b", 10, annB))));
    }

    @Test
    void bidirectionalTakesAChangeNotYetDetectedAsTheNewer() {
        SitesConfig config = config(List.of(site("a"), site("b")), List.of(link("a", "b", Direction.BIDIRECTIONAL)));
        UserState ann = user("ann", "Ann");
        UserState editedOnB = user("ann", "Anne");
        // both in sync at T2; b edited since, not yet polled
        Books books = new Books().link("a", 1, "b", 10).mark("a", 1, ann, T2, T1).mark("b", 10, ann, T2, null);
        assertEquals(List.of("a update ann@example.test <b profile"),
                lines(plan(config, books, users("a", 1, ann), users("b", 10, editedOnB))));

        // a's detected change is later than b's snapshot: which came last is unknown
        Books unsure = new Books().link("a", 1, "b", 10).mark("a", 1, ann, T3, T3).mark("b", 10, ann, T2, null);
        assertEquals(List.of("b skip ann@example.test <a differs on both sides (profile) and neither is known to be"
                + " newer: not changed"), lines(plan(config, unsure, users("a", 1, ann), users("b", 10, editedOnB))));
    }

    @Test
    void bidirectionalWithoutSnapshotsLeavesADifferingUserAlone() {
        SitesConfig config = config(List.of(site("a"), site("b")), List.of(link("a", "b", Direction.BIDIRECTIONAL)));
        ReconcilePlan plan = plan(config, new Books(), users("a", 1, user("ann", "Ann")),
                users("b", 10, user("ann", "Anne")));
        assertEquals(Op.SKIP, plan.items().get(0).op());
        assertTrue(plan.items().get(0).reason().startsWith("differs on both sides"), plan.items().get(0).reason());
        assertEquals(List.of(), plan.changes());
    }

    @Test
    void bidirectionalDifferenceOnlyOneDirectionCarriesGoesThatWay() {
        // a sends edit, b sends only roles: the profile differs, b cannot send it, so a's profile goes to b
        Link link = new Link("a", "b", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class),
                EnumSet.of(Action.ROLES), List.of());
        SitesConfig config = config(List.of(site("a"), site("b")), List.of(link));
        assertEquals(List.of("b update ann@example.test <a profile"), lines(plan(config, new Books(),
                users("a", 1, user("ann", "Ann")), users("b", 10, user("ann", "Anne")))));
    }

    @Test
    void bidirectionalUserOnOneSideIsDeletedWhenGoneFromTheOtherElseCreatedThere() {
        SitesConfig config = config(List.of(site("a"), site("b")), List.of(link("a", "b", Direction.BIDIRECTIONAL)));
        Books books = new Books().link("a", 1, "b", 10);
        ReconcilePlan plan = plan(config, books,
                users("a", 1, user("ann", "Ann"), 2, user("bob", "Bob")),
                users("b", 11, user("carl", "Carl")));
        assertEquals(List.of("a create carl@example.test <b", "a delete ann@example.test <b its user 10 on b is gone",
                "b create bob@example.test <a"), lines(plan));
    }

    @Test
    void theRulesOfThePipelineTurnCandidatesIntoSkipsWithTheirReason() {
        Site a = site("a", SiteStatus.ACTIVE, false, List.of("customer"), Map.of(), MatchBy.EMAIL);
        Site b = site("b", SiteStatus.ACTIVE, true, List.of(), Map.of(), MatchBy.EMAIL);
        SitesConfig config = config(List.of(a, b, site("c")), List.of(link("a", "b", Direction.PUSH),
                link("a", "c", Direction.PUSH)));
        ReconcilePlan plan = plan(config, new Books(),
                users("a", 1, user("ann", "Ann", List.of("customer"), Map.of()), 2, user("bob", "Bob")),
                users("b"), users("c"));
        assertEquals(List.of(
                "b skip ann@example.test <a target b has prohibitIncoming set",
                "b skip bob@example.test <a user roles [author] include none of syncRoles [customer] of a",
                "c create ann@example.test <a",
                "c skip bob@example.test <a user roles [author] include none of syncRoles [customer] of a"),
                lines(plan));
    }

    @Test
    void aCreateThatWordPressWouldRefuseIsASkip() {
        SitesConfig config = config(List.of(site("a"), site("b")), List.of(link("a", "b", Direction.PUSH)));
        UserState adminA = new UserState("admin", "admin@a.test", "admin", "", "", "admin", "", "",
                List.of("administrator"), Map.of());
        UserState adminB = new UserState("admin", "admin@b.test", "admin", "", "", "admin", "", "",
                List.of("administrator"), Map.of());
        ReconcilePlan plan = plan(config, new Books(), users("a", 1, adminA), users("b", 1, adminB));
        assertEquals(List.of("b skip admin@a.test <a login admin is taken on b by admin@b.test: not created"),
                lines(plan));
    }

    @Test
    void matchByUsernameFindsUsersByLogin() {
        Site b = site("b", SiteStatus.ACTIVE, false, List.of(), Map.of(), MatchBy.USERNAME);
        SitesConfig config = config(List.of(site("a"), b), List.of(link("a", "b", Direction.PUSH)));
        UserState other = new UserState("ann", "ann@elsewhere.test", "Ann Lee", "Ann", "Lee", "ann", "", "",
                List.of("author"), Map.of());
        assertEquals(List.of("b update ann@example.test <a profile"),
                lines(plan(config, new Books(), users("a", 1, user("ann", "Ann")), users("b", 5, other))));
    }

    @Test
    void aChangedUserIsNotReconciledOnwardFromTheSiteItChangesOn() {
        SitesConfig config = config(List.of(site("a"), site("b"), site("c")), List.of(
                link("a", "b", Direction.PUSH), link("b", "c", Direction.PUSH)));
        ReconcilePlan plan = plan(config, new Books(),
                users("a", 1, user("ann", "Ann")), users("b", 10, user("ann", "Anne")),
                users("c", 20, user("ann", "Annie")));
        assertEquals(List.of("b update ann@example.test <a profile",
                "c skip ann@example.test <b this run changes the user on b (from a); that change goes on from there"),
                lines(plan));
    }

    @Test
    void oneChangePerTargetUserTheFirstLinkWins() {
        SitesConfig config = config(List.of(site("a"), site("b"), site("c")), List.of(
                link("a", "c", Direction.PUSH), link("b", "c", Direction.PUSH)));
        ReconcilePlan plan = plan(config, new Books(),
                users("a", 1, user("ann", "Ann")), users("b", 10, user("ann", "Anne")), users("c"));
        assertEquals(List.of("c create ann@example.test <a",
                "c skip ann@example.test <b already planned from a in this run"), lines(plan));
    }

    @Test
    void aPlannedChangeReachesItsOneTargetOnly() {
        SitesConfig config = config(List.of(site("a"), site("b"), site("c")), List.of(
                link("a", "b", Direction.PUSH), link("a", "c", Direction.BIDIRECTIONAL)));
        ReconcilePlan plan = plan(config, new Books(),
                users("a", 1, user("ann", "Ann")), users("b"), users("c", 20, user("ann", "Ann")));
        Item create = plan.changes().get(0);
        assertEquals("b", create.target());
        assertEquals(List.of("a", "c"), create.change().path(), "c needs nothing: it is on the path");
    }

    @Test
    void printsOneLinePerUserAndActionAndCountsPerTarget() {
        SitesConfig config = config(List.of(site("shop"), site("blog")), List.of(link("shop", "blog", Direction.PUSH)));
        Books books = new Books().link("shop", 3, "blog", 12);
        ReconcilePlan plan = plan(config, books,
                users("shop", 1, user("ann", "Ann"), 2, user("bob", "Bob")),
                users("blog", 10, user("ann", "Ann", List.of("editor"), Map.of()), 12, user("eve", "Eve")));
        java.io.StringWriter text = new java.io.StringWriter();
        plan.print(new java.io.PrintWriter(text), true);
        String out = text.toString();
        assertTrue(out.contains("blog  create  bob@example.test  from shop\n"), out);
        assertTrue(out.contains("blog  update  ann@example.test  (roles)  from shop\n"), out);
        assertTrue(out.contains("blog  delete  eve@example.test  (its user 3 on shop is gone)\n"), out);
        assertTrue(out.contains("blog         1       1       1        0\n"), out);
        assertTrue(out.contains("3 change(s) would be made"), out);

        var json = plan.toJson(true);
        assertEquals(1, json.path("targets").get(0).path("update").asInt());
        assertEquals("update", json.path("items").get(1).path("action").asText());
        assertEquals("[\"roles\"]", json.path("items").get(1).path("groups").toString());
        assertEquals(2, json.path("sites").size());
        assertTrue(json.path("dryRun").asBoolean());
    }

    @Test
    void selectionLeavesOutLinksToPausedSitesAndRefusesUnknownOrPausedSites() {
        Site paused = site("p", SiteStatus.PAUSED, false, List.of(), Map.of(), MatchBy.EMAIL);
        SitesConfig config = config(List.of(site("a"), site("b"), paused, site("d")), List.of(
                link("a", "b", Direction.PUSH), link("a", "p", Direction.PUSH), link("b", "d", Direction.PUSH)));

        Reconciler.Selection all = Reconciler.select(config, null);
        assertEquals(2, all.links().size());
        assertEquals(Set.of("a", "b", "d"), all.sites());
        assertEquals(List.of("link a-p not reconciled: p is paused"), all.notes());

        Reconciler.Selection onlyA = Reconciler.select(config, "a");
        assertEquals(List.of("a", "b"), List.copyOf(onlyA.sites()), "a and its linked sites, not b's partners");

        assertThrows(ReconcileException.class, () -> Reconciler.select(config, "x"));
        ReconcileException e = assertThrows(ReconcileException.class, () -> Reconciler.select(config, "p"));
        assertEquals("site p is paused; resume it to reconcile it", e.getMessage());
    }

    @Test
    void nothingToDoWhenTheSitesMatch() {
        SitesConfig config = config(List.of(site("a"), site("b")), List.of(link("a", "b", Direction.BIDIRECTIONAL)));
        ReconcilePlan plan = plan(config, new Books(), users("a", 1, user("ann", "Ann")),
                users("b", 10, user("ann", "Ann")));
        assertEquals(List.of(), plan.items());
        assertNull(plan.counts().stream().findFirst().orElse(null));
    }
}
