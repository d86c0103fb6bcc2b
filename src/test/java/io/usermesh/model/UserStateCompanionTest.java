package io.usermesh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The companion plugin's fields in a user's state: fingerprint, changed groups, snapshot JSON. */
class UserStateCompanionTest {

    private static final List<String> ROLES = List.of("editor", "author");
    private static final Map<String, String> META = Map.of("billing_city", "Oslo", "a", "1");

    static UserState user(CompanionFields companion) {
        return new UserState("ann", "Ann@Example.test", "Ann", "Ann", "Lee", "ann", "https://ann.test", "hi", ROLES,
                META, companion);
    }

    @Test
    void withoutTheCompanionTheFingerprintIsTheOneItAlwaysWas() {
        // the formula before the companion existed: username, profile, roles, meta
        String profile = String.join("\u0001", "ann@example.test", "Ann", "Ann", "Lee", "ann", "https://ann.test", "hi");
        String old = Hashes.sha256("ann\n" + profile + "\nauthor,editor\n{a=1, billing_city=Oslo}");

        UserState tenArgs = new UserState("ann", "Ann@Example.test", "Ann", "Ann", "Lee", "ann", "https://ann.test",
                "hi", ROLES, META);
        assertEquals(old, tenArgs.fingerprint());
        assertEquals(old, user(null).fingerprint());
        assertNull(tenArgs.companion());
    }

    @Test
    void theCompanionsFieldsChangeTheFingerprint() {
        String without = user(null).fingerprint();
        String digest = user(new CompanionFields("d1", false, false)).fingerprint();
        assertNotEquals(without, digest, "a digest shown for the first time");
        assertNotEquals(digest, user(new CompanionFields("d2", false, false)).fingerprint(), "a new password");
        assertNotEquals(digest, user(new CompanionFields("d1", true, false)).fingerprint(), "propagation off");
        assertNotEquals(digest, user(new CompanionFields("d1", false, true)).fingerprint(), "protected");
    }

    @Test
    void thePasswordChangedOnlyWhenBothStatesShowDifferentDigests() {
        UserState before = user(new CompanionFields("d1", false, false));

        assertEquals(Set.of(FieldGroup.PASSWORD), user(new CompanionFields("d2", false, false)).changedFrom(before));
        assertEquals(Set.of(), user(new CompanionFields("d1", false, false)).changedFrom(before));
        assertEquals(Set.of(), user(new CompanionFields("d2", false, false)).changedFrom(user(null)),
                "the companion's first appearance is not a password change");
        assertEquals(Set.of(), user(new CompanionFields("d2", false, false))
                .changedFrom(user(new CompanionFields("", false, false))), "nor is a first digest");
        assertEquals(Set.of(), user(null).changedFrom(before), "nor the companion going away");
        assertEquals(Set.of(), user(new CompanionFields("", false, false)).changedFrom(before));
    }

    @Test
    void togglesAloneChangeTheFingerprintButNoGroup() {
        UserState before = user(new CompanionFields("d1", false, false));
        UserState toggled = user(new CompanionFields("d1", true, true));

        assertNotEquals(before.fingerprint(), toggled.fingerprint());
        assertEquals(Set.of(), toggled.changedFrom(before));
    }

    @Test
    void aSnapshotWrittenBeforeTheCompanionReadsBackWithoutIt() {
        String old = "{\"username\":\"ann\",\"email\":\"Ann@Example.test\",\"name\":\"Ann\",\"firstName\":\"Ann\","
                + "\"lastName\":\"Lee\",\"nickname\":\"ann\",\"url\":\"https://ann.test\",\"description\":\"hi\","
                + "\"roles\":[\"author\",\"editor\"],\"meta\":{\"a\":\"1\",\"billing_city\":\"Oslo\"}}";

        UserState read = UserState.fromJson(old);

        assertNull(read.companion());
        assertEquals(user(null), read);
        assertEquals(user(null).fingerprint(), read.fingerprint(), "so its fingerprint is unchanged");
    }

    @Test
    void theCompanionsFieldsSurviveTheSnapshotJson() {
        UserState state = user(new CompanionFields("d1", true, true));
        assertEquals(state, UserState.fromJson(state.toJson()));
        assertEquals(state.fingerprint(), UserState.fromJson(state.toJson()).fingerprint());
    }
}
