package io.usermesh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Action;
import io.usermesh.config.Direction;
import io.usermesh.config.Link;
import io.usermesh.config.Secret;
import io.usermesh.config.SiteSettings;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.CompanionFields;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a write to a target carries for the companion plugin: the meta keys and the password hash. */
class FieldMapperCompanionTest {

    private static final Link LINK = new Link("a", "b", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class),
            EnumSet.allOf(Action.class), List.of("billing_city", "paying_customer", "not_on_the_user"));
    private static final Secret HASH = Secret.of("$P$Bsomehashvalue");

    private static UserChange change(ChangeKind kind, Set<FieldGroup> groups) {
        UserState state = new UserState("ann", "ann@example.test", "Ann", "Ann", "Lee", "ann", "", "",
                List.of("customer"), Map.of("billing_city", "Oslo", "paying_customer", "1", "not_listed", "x"),
                new CompanionFields("digest", false, false));
        return new UserChange("e1", "a", 7, kind, state, groups, "", Origin.POLL, Instant.now(), List.of("a"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> companion(Map<String, Object> fields) {
        return (Map<String, Object>) fields.get("usermesh");
    }

    @Test
    void theLinksMetaKeysGoToCoreMetaAndToTheCompanion() {
        Set<FieldGroup> groups = EnumSet.of(FieldGroup.METADATA);
        Map<String, Object> fields = FieldMapper.forUpdate(change(ChangeKind.UPDATED, groups), groups, LINK,
                SiteSettings.DEFAULTS, Secret.EMPTY);

        Map<String, Object> meta = Map.of("billing_city", "Oslo", "paying_customer", "1");
        assertEquals(meta, fields.get("meta"));
        assertNotNull(companion(fields), "the companion writes the keys core REST does not know");
        assertEquals(Map.of("meta", meta), companion(fields), "and nothing else here: no password");
    }

    @Test
    void thePasswordTravelsAsTheSourcesHashForTheCompanion() {
        Set<FieldGroup> groups = EnumSet.of(FieldGroup.PASSWORD);
        Map<String, Object> fields = FieldMapper.forUpdate(change(ChangeKind.UPDATED, groups), groups, LINK,
                SiteSettings.DEFAULTS, HASH);

        assertEquals(Map.of("usermesh", Map.of("password_hash", HASH.reveal())), fields);
    }

    @Test
    void withoutThePasswordGroupNoHashIsSentEvenWhenOneIsAtHand() {
        Set<FieldGroup> groups = EnumSet.of(FieldGroup.PROFILE);
        Map<String, Object> fields = FieldMapper.forUpdate(change(ChangeKind.UPDATED, groups), groups, LINK,
                SiteSettings.DEFAULTS, HASH);

        assertFalse(fields.containsKey("usermesh"), fields.toString());
        assertFalse(fields.toString().contains(HASH.reveal()));
        assertFalse(fields.containsKey("password"));
    }

    @Test
    void anEmptyHashSendsNoPasswordHash() {
        Set<FieldGroup> groups = EnumSet.of(FieldGroup.PASSWORD);
        Map<String, Object> fields = FieldMapper.forUpdate(change(ChangeKind.UPDATED, groups), groups, LINK,
                SiteSettings.DEFAULTS, Secret.EMPTY);

        assertEquals(Map.of(), fields);
    }

    @Test
    void aCreationStillGetsARandomPasswordBesideTheHash() {
        Set<FieldGroup> groups = EnumSet.of(FieldGroup.PROFILE, FieldGroup.METADATA, FieldGroup.PASSWORD);
        Map<String, Object> fields = FieldMapper.forCreate(change(ChangeKind.CREATED, groups), groups, LINK,
                SiteSettings.DEFAULTS, HASH);

        assertEquals("ann", fields.get("username"));
        String password = (String) fields.get("password");
        assertNotNull(password, "WordPress needs one to create the user");
        assertTrue(password.length() >= 20, password);
        assertFalse(password.equals(HASH.reveal()), "the hash is never sent as the plain password");
        assertEquals(HASH.reveal(), companion(fields).get("password_hash"));
        assertEquals(Map.of("billing_city", "Oslo", "paying_customer", "1"), companion(fields).get("meta"));
        assertFalse(password.equals(FieldMapper.forCreate(change(ChangeKind.CREATED, groups), groups, LINK,
                SiteSettings.DEFAULTS, HASH).get("password")), "random, new each time");
    }
}
