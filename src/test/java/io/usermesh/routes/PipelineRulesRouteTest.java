package io.usermesh.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.usermesh.config.Action;
import io.usermesh.config.Direction;
import io.usermesh.config.Link;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SiteStatus;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The rules of routes/pipeline.camel.yaml that PipelineRouteTest's sites never trip: a paused source,
 * syncRoles and the link's actions. Here a syncs editors only, b is paused and the link a→b carries no
 * delete (c keeps prohibitIncoming).
 */
class PipelineRulesRouteTest extends RoutesTestSupport {

    @Override
    SitesConfig adjust(SitesConfig standard) {
        SiteSettings editorsOnly = new SiteSettings(SiteSettings.DEFAULTS.matchBy(), List.of("editor"),
                true, "admin", Map.of(), 30, true, SiteSettings.DEFAULTS.pollInterval(), true);
        List<Site> sites = standard.sites().stream().map(s -> switch (s.id()) {
            case "a" -> new Site("a", "a", s.url(), SiteStatus.ACTIVE, "admin", Secret.of("p"), false,
                    s.webhook(), editorsOnly);
            case "b" -> new Site("b", "b", s.url(), SiteStatus.PAUSED, "admin", Secret.of("p"), false,
                    s.webhook(), s.settings());
            default -> s;
        }).toList();
        List<Link> links = standard.links().stream().map(l -> !l.involves("b") ? l : new Link("a", "b",
                Direction.BIDIRECTIONAL, EnumSet.complementOf(EnumSet.of(Action.DELETE)),
                EnumSet.allOf(Action.class), List.of())).toList();
        return new SitesConfig(standard.defaults(), sites, links);
    }

    private static UserChange change(String source, ChangeKind kind, String role) {
        UserState state = new UserState("ann", "ann@example.test", "Ann", "Ann", "", "ann", "", "", List.of(role),
                Map.of());
        Set<FieldGroup> groups = kind == ChangeKind.DELETED ? Set.of() : EnumSet.of(FieldGroup.PROFILE);
        return new UserChange(UUID.randomUUID().toString(), source, 7, kind, state, groups, "fp0", Origin.POLL,
                Instant.now(), List.of(source));
    }

    private List<String> skipped() {
        return jdbc.query("SELECT target_site, message FROM sync_log WHERE status = 'skipped' ORDER BY id",
                rs -> rs.getString(1) + ": " + rs.getString(2));
    }

    @Test
    void aPausedSourceSendsNothing() {
        template.sendBody("direct:change", change("b", ChangeKind.CREATED, "editor"));

        assertEquals(0, count("SELECT COUNT(*) FROM outbox"));
        assertEquals(List.of("a: source b is paused"), skipped());
    }

    @Test
    void aUserHoldingNoneOfTheSourcesSyncRolesIsNotSynced() {
        template.sendBody("direct:change", change("a", ChangeKind.CREATED, "author"));

        assertEquals(0, count("SELECT COUNT(*) FROM outbox"));
        assertEquals(List.of("c: user roles [author] include none of syncRoles [editor] of a",
                "b: user roles [author] include none of syncRoles [editor] of a"), skipped());
    }

    @Test
    void anActionTheLinkDoesNotCarryIsRefusedForThatTarget() {
        template.sendBody("direct:change", change("a", ChangeKind.CREATED, "editor"));
        assertEquals(List.of("b"), jdbc.query("SELECT target_site FROM outbox", rs -> rs.getString(1)),
                "a paused target still gets its rows, to be sent once resumed");

        template.sendBody("direct:change", change("a", ChangeKind.DELETED, "editor"));
        assertEquals(1, count("SELECT COUNT(*) FROM outbox"));
        assertEquals(List.of("c: target c has prohibitIncoming set", "c: target c has prohibitIncoming set",
                "b: link a->b does not allow delete"), skipped());
    }
}
