package io.usermesh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.usermesh.config.Action;
import io.usermesh.config.Direction;
import io.usermesh.config.Link;
import io.usermesh.config.Secret;
import io.usermesh.config.SiteSettings;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An update writes only what the target does not hold yet. */
class FieldMapperChangedOnlyTest {

    private static final Link LINK = new Link("a", "b", Direction.BIDIRECTIONAL, EnumSet.allOf(Action.class),
            EnumSet.allOf(Action.class), List.of("billing_city", "billing_phone"));

    private static UserState user(String first, String last, String email, List<String> roles, String city) {
        return new UserState("ann", email, "Ann", first, last, "ann", "", "", roles,
                Map.of("billing_city", city, "billing_phone", "+1"));
    }

    private static Map<String, Object> update(UserState source, UserState target, Secret hash) {
        EnumSet<FieldGroup> groups = EnumSet.of(FieldGroup.PROFILE, FieldGroup.ROLES, FieldGroup.METADATA,
                FieldGroup.PASSWORD);
        UserChange change = new UserChange("e", "a", 7, ChangeKind.UPDATED, source, groups, "", Origin.POLL,
                Instant.now(), List.of("a"));
        return FieldMapper.changedOnly(FieldMapper.forUpdate(change, groups, LINK, SiteSettings.DEFAULTS, hash),
                target);
    }

    @Test
    void onlyTheFieldsTheTargetLacksAreWritten() {
        UserState source = user("Anna", "Lee", "ann@example.test", List.of("author"), "Oslo");
        UserState target = user("Ann", "Berg", "ANN@example.test", List.of("author"), "Bergen");

        assertEquals(Map.of("first_name", "Anna", "last_name", "Lee", "meta", Map.of("billing_city", "Oslo"),
                "usermesh", Map.of("meta", Map.of("billing_city", "Oslo"))), update(source, target, Secret.EMPTY),
                "the email differs in case only, the roles and the phone are the same: not sent");
    }

    @Test
    void rolesInAnotherOrderAreTheSameAndTheHashAlwaysGoes() {
        UserState source = user("Ann", "Lee", "ann@example.test", List.of("author", "editor"), "Oslo");
        UserState target = user("Ann", "Lee", "ann@example.test", List.of("editor", "author"), "Oslo");

        assertEquals(Map.of("usermesh", Map.of("password_hash", "$P$Bhash")),
                update(source, target, Secret.of("$P$Bhash")));
    }

    @Test
    void changedRolesAreSentWhole() {
        UserState source = user("Ann", "Lee", "ann@example.test", List.of("editor"), "Oslo");
        UserState target = user("Ann", "Lee", "ann@example.test", List.of("author"), "Oslo");

        assertEquals(Map.of("roles", List.of("editor")), update(source, target, Secret.EMPTY));
    }
}
