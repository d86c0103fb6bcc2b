package io.usermesh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.usermesh.config.MatchBy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserStateTest {

    static UserState user(String email, String first, List<String> roles, Map<String, String> meta) {
        return new UserState("ann", email, "Ann", first, "Lee", "ann", "", "", roles, meta);
    }

    @Test
    void fingerprintIgnoresRoleAndMetaOrderAndEmailCase() {
        UserState a = user("Ann@Example.test", "Ann", List.of("editor", "author"), Map.of("a", "1", "b", "2"));
        UserState b = user("ann@example.test", "Ann", List.of("author", "editor"), Map.of("b", "2", "a", "1"));
        assertEquals(a.fingerprint(), b.fingerprint());
        assertEquals(Set.of(), a.changedFrom(b));
    }

    @Test
    void changedGroupsNameWhatDiffers() {
        UserState before = user("ann@example.test", "Ann", List.of("author"), Map.of());
        assertEquals(Set.of(FieldGroup.PROFILE), user("ann@example.test", "Anna", List.of("author"), Map.of())
                .changedFrom(before));
        assertEquals(Set.of(FieldGroup.ROLES), user("ann@example.test", "Ann", List.of("editor"), Map.of())
                .changedFrom(before));
        assertEquals(Set.of(FieldGroup.METADATA), user("ann@example.test", "Ann", List.of("author"),
                Map.of("billing_city", "Oslo")).changedFrom(before));
        assertNotEquals(before.fingerprint(), user("ann@example.test", "Ann", List.of("editor"), Map.of())
                .fingerprint());
    }

    @Test
    void survivesTheSnapshotJsonRoundTrip() {
        UserState a = user("ann@example.test", "Ann", List.of("author"), Map.of("k", "v"));
        assertEquals(a, UserState.fromJson(a.toJson()));
        assertEquals("ann@example.test", user("Ann@Example.test", "x", List.of(), Map.of()).key(MatchBy.EMAIL));
        assertEquals("ann", a.key(MatchBy.USERNAME));
    }
}
