package io.usermesh.pipeline;

import io.usermesh.testing.TestSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Action;
import io.usermesh.config.Direction;
import io.usermesh.config.Link;
import io.usermesh.config.MatchBy;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SiteStatus;
import io.usermesh.config.SitesConfig;
import io.usermesh.config.UsermeshSettings;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.storage.Database;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of the pipeline, one by one, on an embedded database for the user flags. */
class PipelineTest {

    @TempDir
    Path dataDir;

    Database db;
    UserFlags flags;
    List<AuditEntry> audit = new ArrayList<>();

    @BeforeEach
    void open() {
        db = Database.open(TestSettings.h2(dataDir));
        db.migrate();
        flags = new UserFlags(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    static Site site(String id, SiteStatus status, boolean prohibitIncoming, List<String> syncRoles) {
        SiteSettings settings = new SiteSettings(MatchBy.EMAIL, syncRoles, true, "admin", Map.of(), 30, true,
                Duration.ofSeconds(30), true);
        return new Site(id, id, URI.create("http://" + id + ".test"), status, "admin", Secret.of("p"),
                prohibitIncoming, Optional.empty(), settings);
    }

    static Site site(String id) {
        return site(id, SiteStatus.ACTIVE, false, List.of());
    }

    static Link link(String a, String b, Direction direction, Set<Action> outgoing) {
        return new Link(a, b, direction, outgoing, EnumSet.allOf(Action.class), List.of());
    }

    static UserChange change(String source, ChangeKind kind, Set<FieldGroup> groups, String... path) {
        UserState user = new UserState("ann", "ann@example.test", "Ann", "Ann", "Lee", "ann", "", "",
                List.of("author"), Map.of());
        List<String> visited = path.length == 0 ? List.of(source) : List.of(path);
        return new UserChange("e1", source, 7, kind, user, groups, "", Origin.POLL, Instant.now(), visited);
    }

    Pipeline pipeline(List<Site> sites, List<Link> links) {
        return new Pipeline(new SitesConfig(SiteSettings.DEFAULTS, sites, links), flags, audit::add,
                Clock.systemUTC());
    }

    static List<Link> bothWays(String source, String... targets) {
        return List.of(targets).stream()
                .map(t -> link(source, t, Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class))).toList();
    }

    List<String> skipped() {
        assertTrue(audit.stream().allMatch(r -> r.status() == AuditStatus.SKIPPED));
        return audit.stream().map(r -> r.targetSite() + ": " + r.message()).toList();
    }

    @Test
    void deliversToEveryLinkedSiteWithTheGroupsTheLinkAllows() {
        Pipeline p = pipeline(List.of(site("a"), site("b"), site("c")), List.of(
                link("a", "b", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class)),
                link("a", "c", Direction.PUSH, EnumSet.of(Action.EDIT))));

        List<Delivery> deliveries = p.plan(change("a", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE, FieldGroup.ROLES)));

        assertEquals(List.of("b", "c"), deliveries.stream().map(Delivery::target).toList());
        assertEquals(Set.of(FieldGroup.PROFILE, FieldGroup.ROLES), deliveries.get(0).groups());
        assertEquals(Set.of(FieldGroup.PROFILE), deliveries.get(1).groups(), "roles not allowed towards c");
        assertTrue(deliveries.get(0).allowCreate());
        assertEquals(false, deliveries.get(1).allowCreate());
        assertEquals(List.of(), audit);
    }

    static Site manual(String id) {
        Site s = site(id);
        SiteSettings d = s.settings();
        return new Site(id, id, s.url(), SiteStatus.ACTIVE, "admin", Secret.of("p"), false, Optional.empty(),
                new SiteSettings(d.matchBy(), d.syncRoles(), d.createOnEdit(), d.deleteReassign(), d.roleMap(),
                        d.logRetentionDays(), d.syncLog(), d.pollInterval(), false));
    }

    static UserChange withOrigin(UserChange c, Origin origin) {
        return new UserChange(c.eventId(), c.sourceSite(), c.sourceUserId(), c.kind(), c.state(), c.groups(),
                c.previousFingerprint(), origin, c.detectedAt(), c.path());
    }

    @Test
    void aManualTargetTakesOnlyWhatASyncOrAReconciliationSends() {
        Pipeline p = pipeline(List.of(site("a"), manual("b"), site("c")), bothWays("a", "b", "c"));
        UserChange polled = change("a", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE));

        assertEquals(List.of("c"), p.plan(polled).stream().map(Delivery::target).toList());
        assertEquals(List.of("b: target b syncs manually (autoSync: false); use sync or reconcile"), skipped());
        for (Origin asked : List.of(Origin.MANUAL, Origin.RECONCILE)) {
            assertEquals(List.of("b", "c"), p.plan(withOrigin(polled, asked)).stream().map(Delivery::target)
                    .toList(), asked.toString());
        }
        assertEquals(List.of("c"), p.plan(withOrigin(polled, Origin.WEBHOOK)).stream().map(Delivery::target)
                .toList(), "a push is found by usermesh too");
    }

    @Test
    void aManualSourceSendsNothingAPollOrAPushFoundOfIt() {
        Pipeline p = pipeline(List.of(manual("a"), site("b")), bothWays("a", "b"));
        UserChange pushed = withOrigin(change("a", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE)), Origin.WEBHOOK);

        assertEquals(List.of(), p.plan(pushed));
        assertEquals(List.of("b: source a syncs manually (autoSync: false): its webhook changes go nowhere; use sync"
                + " or reconcile"), skipped());
        assertEquals(List.of("b"), p.plan(withOrigin(pushed, Origin.MANUAL)).stream().map(Delivery::target).toList());
    }

    @Test
    void neverSendsBackToASiteOnThePath() {
        Pipeline p = pipeline(List.of(site("a"), site("b"), site("c")), List.of(
                link("a", "b", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class)),
                link("b", "c", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class))));

        List<Delivery> onward = p.plan(change("b", ChangeKind.CREATED, Set.of(FieldGroup.PROFILE), "a", "b"));

        assertEquals(List.of("c"), onward.stream().map(Delivery::target).toList());
        assertEquals(List.of(), audit, "the way back is not a refusal worth a row");
    }

    @Test
    void aChangeHasTargetsOnlyWhileALinkedSiteIsOffItsPath() {
        SitesConfig config = new SitesConfig(SiteSettings.DEFAULTS, List.of(site("a"), site("b"), site("c")),
                List.of(link("a", "b", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class)),
                        link("b", "c", Direction.PUSH, EnumSet.allOf(Action.class))));
        Skips skips = new Skips(() -> config, audit::add, Clock.systemUTC());
        SourceRules rules = new SourceRules(() -> config, flags, new TargetRules(() -> config, flags, null, skips),
                skips);

        assertTrue(rules.hasTargets(change("a", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE))));
        assertTrue(rules.hasTargets(change("b", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE), "a", "b")),
                "from b on to c");
        assertEquals(false, rules.hasTargets(change("c", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE), "a", "b",
                "c")), "c's only link leads back to b");
        assertEquals(false, rules.hasTargets(change("a", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE), "b", "c",
                "a")), "every site linked to a has had the change");
        assertEquals(List.of(), audit, "having nowhere to go is not a refusal worth a row");
    }

    @Test
    void aPausedSourceSendsNothingAndIsAuditedForEachTargetNotOnThePath() {
        Pipeline p = pipeline(List.of(site("a", SiteStatus.PAUSED, false, List.of()), site("b"), site("c")),
                bothWays("a", "b", "c"));

        assertEquals(List.of(), p.plan(change("a", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE), "b", "a")));
        assertEquals(List.of("c: source a is paused"), skipped(), "b is on the path: no row for it");
    }

    @Test
    void withoutUserFlagsTheFlagRulesRefuseNothing() {
        flags.set("a", "ann", new UserFlags.Flags(true, true));
        flags.set("b", "ann", new UserFlags.Flags(true, true));
        Pipeline p = new Pipeline(new SitesConfig(SiteSettings.DEFAULTS, List.of(site("a"), site("b")),
                bothWays("a", "b")), null, audit::add, Clock.systemUTC());

        assertEquals(1, p.plan(change("a", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE))).size());
        assertEquals(List.of(), audit);
    }

    @Test
    void directionAndActionsRefuseWithAReason() {
        Pipeline p = pipeline(List.of(site("a"), site("b")), List.of(
                link("a", "b", Direction.PUSH, EnumSet.of(Action.CREATE))));

        assertEquals(List.of(), p.plan(change("b", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE))));
        assertEquals(List.of(), p.plan(change("a", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE))));
        assertEquals(1, p.plan(change("a", ChangeKind.CREATED, Set.of(FieldGroup.PROFILE))).size());

        assertEquals("link a-b is push: changes on b do not flow to a", audit.get(0).message());
        assertEquals("link a->b does not allow [edit]", audit.get(1).message());
        assertTrue(audit.stream().allMatch(r -> r.status() == AuditStatus.SKIPPED));
    }

    @Test
    void syncRolesPausedProhibitIncomingAndFlagsRefuse() {
        Site a = site("a", SiteStatus.ACTIVE, false, List.of("editor"));
        Pipeline p = pipeline(List.of(a, site("b", SiteStatus.PAUSED, false, List.of()),
                site("c", SiteStatus.ACTIVE, true, List.of()), site("d")), List.of(
                link("a", "b", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class)),
                link("a", "c", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class)),
                link("a", "d", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class))));

        assertEquals(List.of(), p.plan(change("a", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE))));
        assertTrue(audit.get(0).message().contains("include none of syncRoles [editor]"), audit.get(0).message());
        assertEquals(3, audit.size(), "one skipped row per target");

        audit.clear();
        Pipeline all = pipeline(List.of(site("a"), site("b", SiteStatus.PAUSED, false, List.of()),
                site("c", SiteStatus.ACTIVE, true, List.of()), site("d")), List.of(
                link("a", "b", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class)),
                link("a", "c", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class)),
                link("a", "d", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class))));
        flags.set("d", "ANN@example.test", new UserFlags.Flags(false, true));
        List<Delivery> toPaused = all.plan(change("a", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE)));
        assertEquals(List.of("b"), toPaused.stream().map(Delivery::target).toList(),
                "a paused target keeps its changes queued");
        assertEquals(List.of("target c has prohibitIncoming set", "user is protected on d"),
                audit.stream().map(AuditEntry::message).toList());

        audit.clear();
        flags.set("a", "ann", new UserFlags.Flags(true, false));
        assertEquals(List.of(), all.plan(change("a", ChangeKind.UPDATED, Set.of(FieldGroup.PROFILE))));
        assertEquals("propagation is off for this user on a", audit.get(0).message());
    }
}
