package io.usermesh.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Action;
import io.usermesh.config.Direction;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.wordpress.Companions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Passwords travel only between two sites with the companion plugin (TargetRules.passwordDeliverable, whitelist). */
class PasswordRulesTest {

    final List<AuditEntry> audit = new ArrayList<>();
    final SitesConfig sites = new SitesConfig(SiteSettings.DEFAULTS,
            List.of(PipelineTest.site("a"), PipelineTest.site("b")),
            List.of(PipelineTest.link("a", "b", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class))));

    TargetRules rules(Set<String> withCompanion) {
        return new TargetRules(() -> sites, null, new Companions(() -> sites, withCompanion::contains),
                new Skips(() -> sites, audit::add, Clock.systemUTC()));
    }

    Delivery toB(ChangeKind kind, FieldGroup... groups) {
        Set<FieldGroup> set = groups.length == 0 ? Set.of() : EnumSet.of(groups[0], groups);
        return rules(Set.of()).targetsOf(PipelineTest.change("a", kind, set)).get(0);
    }

    @Test
    void betweenTwoSitesWithTheCompanionThePasswordTravels() {
        TargetRules rules = rules(Set.of("a", "b"));
        Delivery delivery = toB(ChangeKind.UPDATED, FieldGroup.PASSWORD);

        assertTrue(rules.passwordDeliverable(delivery));
        assertEquals(Set.of(FieldGroup.PASSWORD), rules.whitelist(delivery).groups());
        assertEquals(List.of(), audit);
    }

    @Test
    void aTargetWithoutTheCompanionGetsTheRestAndTheSkipIsAudited() {
        TargetRules rules = rules(Set.of("a"));
        Delivery delivery = toB(ChangeKind.UPDATED, FieldGroup.PROFILE, FieldGroup.PASSWORD);

        assertTrue(rules.passwordDeliverable(delivery), "the profile still goes");
        assertEquals(Set.of(FieldGroup.PROFILE), rules.whitelist(delivery).groups(), "without the password");
        assertEquals(1, audit.size());
        AuditEntry row = audit.get(0);
        assertEquals(AuditStatus.SKIPPED, row.status());
        assertEquals("password", row.action());
        assertEquals("b", row.targetSite());
        assertTrue(row.message().contains("companion plugin is not on b"), row.message());
    }

    @Test
    void aSourceWithoutTheCompanionIsNamed() {
        TargetRules rules = rules(Set.of("b"));

        assertFalse(rules.passwordDeliverable(toB(ChangeKind.UPDATED, FieldGroup.PASSWORD)));
        assertTrue(audit.get(0).message().contains("companion plugin is not on a"), audit.get(0).message());
    }

    @Test
    void anUpdateThatWasOnlyThePasswordIsRefused() {
        TargetRules rules = rules(Set.of("a"));

        assertFalse(rules.passwordDeliverable(toB(ChangeKind.UPDATED, FieldGroup.PASSWORD)));
        assertEquals(List.of("password"), audit.stream().map(AuditEntry::action).toList());
    }

    @Test
    void aCreationGoesOnWithoutThePasswordAndUnaudited() {
        TargetRules rules = rules(Set.of("a"));
        Delivery delivery = toB(ChangeKind.CREATED, FieldGroup.PROFILE, FieldGroup.ROLES, FieldGroup.METADATA,
                FieldGroup.PASSWORD);

        assertTrue(rules.passwordDeliverable(delivery));
        assertEquals(EnumSet.of(FieldGroup.PROFILE, FieldGroup.ROLES, FieldGroup.METADATA),
                rules.whitelist(delivery).groups());
        assertEquals(List.of(), audit, "a new account gets a random password, as without the companion: no row");
    }

    @Test
    void aChangeWithoutThePasswordIsNotAskedAbout() {
        TargetRules rules = new TargetRules(() -> sites, null, new Companions(() -> sites, site -> {
            throw new AssertionError("no site asked about " + site);
        }), new Skips(() -> sites, audit::add, Clock.systemUTC()));
        Delivery delivery = toB(ChangeKind.UPDATED, FieldGroup.PROFILE);

        assertTrue(rules.passwordDeliverable(delivery));
        assertEquals(Set.of(FieldGroup.PROFILE), rules.whitelist(delivery).groups());
        assertEquals(List.of(), audit);
    }
}
