package io.usermesh.model;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One change of one user on one site, on its way to the linked sites. It never carries a password or
 * hash: a password change is delivered by reading the hash from the source at delivery time
 * (companion plugin), so outbox rows and dead letters hold none.
 *
 * @param eventId shared by every hop of the change, so the audit rows of a chain A→B→C correlate
 * @param sourceSite the site the change is now leaving (B on the hop B→C)
 * @param sourceUserId the user's id on sourceSite
 * @param state the user after the change; for a deletion, the last state seen
 * @param groups the field groups that changed (all of them for a creation, none for a deletion)
 * @param previousFingerprint the fingerprint before the change, "" for a creation
 * @param path every site the change has been on, in order, starting with where it was made
 */
public record UserChange(String eventId, String sourceSite, long sourceUserId, ChangeKind kind, UserState state,
        Set<FieldGroup> groups, String previousFingerprint, Origin origin, Instant detectedAt, List<String> path) {

    public UserChange {
        groups = groups.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(groups));
        path = List.copyOf(path);
    }

    /** The same change, leaving {@code site} (where it was just applied as user {@code userId}) for the next hop. */
    public UserChange onwardFrom(String site, long userId, UserState applied) {
        List<String> longer = new java.util.ArrayList<>(path);
        longer.add(site);
        return new UserChange(eventId, site, userId, kind, applied, groups, previousFingerprint, origin, detectedAt,
                longer);
    }

    public boolean hasVisited(String site) {
        return path.contains(site);
    }

    public String fingerprint() {
        return state.fingerprint();
    }
}
