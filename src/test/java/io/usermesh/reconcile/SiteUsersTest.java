package io.usermesh.reconcile;

import static io.usermesh.reconcile.Fixtures.user;
import static io.usermesh.reconcile.Fixtures.users;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.model.UserState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One person's part of a listing, for a sync of one user. */
class SiteUsersTest {

    @Test
    void onlyKeepsTheUserNamedByEmailOrLoginAndTheListingsCompleteness() {
        SiteUsers all = users("shop", 1, user("ann", "Ann"), 2, user("bob", "Bob"), 3, user("annette", "Annette"));
        assertEquals(List.of(1L), List.copyOf(all.only("ANN@example.test").byId().keySet()), "email, any case");
        assertEquals(List.of(2L), List.copyOf(all.only("bob").byId().keySet()), "login");
        assertTrue(all.only("nobody@example.test").byId().isEmpty());
        assertTrue(all.only("ann").complete());

        SiteUsers partial = new SiteUsers("shop", Map.<Long, UserState>of(1L, user("ann", "Ann")), 250, false);
        assertFalse(partial.only("ann").complete(), "an incomplete listing stays incomplete: no deletes from it");
    }
}
