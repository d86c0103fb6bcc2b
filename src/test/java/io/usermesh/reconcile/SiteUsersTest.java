package io.usermesh.reconcile;

import static io.usermesh.reconcile.Fixtures.user;
import static io.usermesh.reconcile.Fixtures.users;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.model.UserState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One person's part of a listing, for a sync of one user. */
class SiteUsersTest {

    @Test
    void onlyKeepsTheUserNamedByEmailOrLoginAndTheListingsCompleteness() {
        SiteUsers all = users("shop", 1, user("ann", "Ann"), 2, user("bob", "Bob"), 3, user("annette", "Annette"));
        assertEquals(List.of(1L), List.copyOf(all.only("ANN@example.test").ids()), "email, any case");
        assertEquals(List.of(2L), List.copyOf(all.only("bob").ids()), "login");
        assertTrue(all.only("nobody@example.test").ids().isEmpty());
        assertTrue(all.only("ann").complete());

        SiteUsers partial = new SiteUsers("shop", Map.<Long, UserState>of(1L, user("ann", "Ann")), 250, false);
        assertFalse(partial.only("ann").complete(), "an incomplete listing stays incomplete: no deletes from it");
    }

    @Test
    void statesComeBackFromTheSpillAsListedAndKeysFindTheirUsers() {
        UserState ann = user("ann", "Ann");
        UserState bob = user("bob", "Bob");
        try (SiteUsers all = users("shop", 7, ann, 9, bob)) {
            assertEquals(List.of(7L, 9L), all.ids());
            assertEquals(ann, all.get(7));
            assertEquals(bob, all.state(all.indexOf(9)));
            assertEquals(null, all.get(8));
            assertEquals(Optional.of(7L), all.idByEmail("ANN@Example.test"), "email, any case");
            assertEquals(Optional.of(9L), all.idByLogin("bob"));
            assertEquals(Optional.empty(), all.idByLogin("Bob"), "logins are exact");
            assertEquals(Optional.empty(), all.idByEmail("carl@example.test"));
        }
    }

    @Test
    void theUserAKeyFoundIsNotReadFromTheSpillAgainToBeCompared() {
        try (SiteUsers all = users("shop", 7, user("ann", "Ann"), 9, user("bob", "Bob"))) {
            int at = all.indexOf(all.idByEmail("ann@example.test").orElseThrow());
            assertSame(all.state(at), all.state(at), "the state the key confirmed, not a second read");
            UserState bob = all.state(all.indexOf(9));
            assertEquals(user("ann", "Ann"), all.state(at));
            assertNotSame(bob, all.state(all.indexOf(9)), "only the last user read is kept");
        }
    }

    @Test
    void usersWithTheSameSyncedFieldsHaveTheSameFingerprintStart() {
        try (SiteUsers shop = users("shop", 1, user("ann", "Ann"), 2, user("ann", "Anna"));
                SiteUsers blog = users("blog", 5, user("ann", "Ann"))) {
            assertEquals(blog.fingerprintAt(0), shop.fingerprintAt(0));
            assertNotEquals(blog.fingerprintAt(0), shop.fingerprintAt(1));
        }
    }

    @Test
    void aListingLargerThanTheWriteBufferComesBackWhole() {
        Map<Long, UserState> many = new java.util.LinkedHashMap<>();
        for (long id = 1; id <= 2000; id++) {
            many.put(id, user("user" + id, "First" + id));
        }
        try (SiteUsers big = SiteUsers.of("shop", many)) {
            assertEquals(2000, big.size());
            assertEquals(many.get(1L), big.get(1L), "the first buffer written out");
            assertEquals(many.get(1234L), big.get(1234L), "a later one");
            assertEquals(many.get(2000L), big.get(2000L), "the last, written out when the listing ended");
            assertEquals(Optional.of(1999L), big.idByLogin("user1999"));
        }
    }
}
