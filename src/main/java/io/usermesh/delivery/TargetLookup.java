package io.usermesh.delivery;

import io.usermesh.config.MatchBy;
import io.usermesh.config.Site;
import io.usermesh.detection.Snapshot;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WordPressException;
import io.usermesh.wordpress.WpError;
import io.usermesh.wordpress.WpUser;
import java.util.Optional;

/**
 * Finds the target's user for a change: through user_link first, else by the target's matchBy in the
 * target's own snapshot (the index usermesh keeps of every site it polls), so that no delivery asks
 * the site a question whose cost grows with its number of users. The site is searched only when it
 * has no snapshot yet, or when it refuses a create as a duplicate (a user made there since its last
 * poll): WordPress's uniqueness check is the safety net, never a second account.
 */
final class TargetLookup {

    private final UserLinks links;
    private final SnapshotStore snapshots;

    TargetLookup(UserLinks links, SnapshotStore snapshots) {
        this.links = links;
        this.snapshots = snapshots;
    }

    /** The target's user, with its snapshot (null when it was read from the site: none was known). */
    record Found(WpUser user, Snapshot snapshot) {
    }

    Optional<Found> find(UserChange change, Site target, WordPressClient client) {
        Optional<Long> linked = links.targetId(change.sourceSite(), change.sourceUserId(), target.id());
        if (linked.isPresent()) {
            Optional<Found> user = linkedUser(change, target, client, linked.get());
            if (user.isPresent()) {
                return user;
            }
        }
        if (!snapshots.hasBaseline(target.id())) {
            return bySearch(change, target, client).map(user -> new Found(user, null));
        }
        MatchBy matchBy = target.settings().matchBy();
        String wanted = change.state().key(matchBy);
        if (wanted.isBlank()) {
            return Optional.empty();
        }
        Optional<Snapshot> indexed = snapshots.findByKey(target.id(), wanted)
                .filter(s -> s.state().key(matchBy).equals(wanted));
        if (indexed.isEmpty()) {
            return Optional.empty();
        }
        return linkedUser(change, target, client, indexed.get().wpUserId());
    }

    /**
     * The user with this id on the target, as its snapshot knows it: no request (a DELETE or an update
     * answers 404 when the user is gone since, and the update's answer is the state after). Only a
     * user the snapshot does not know yet is read from the site.
     */
    private Optional<Found> linkedUser(UserChange change, Site target, WordPressClient client, long id) {
        Optional<Snapshot> known = snapshots.find(target.id(), id);
        if (known.isPresent()) {
            return Optional.of(new Found(WpUser.of(id, known.get().state()), known.get()));
        }
        if (change.kind() == ChangeKind.DELETED) {
            return Optional.of(new Found(WpUser.of(id, change.state()), null));
        }
        try {
            return Optional.of(new Found(client.getUser(id), null));
        } catch (WordPressException e) {
            if (e.error().kind() != WpError.Kind.NOT_FOUND) {
                throw e;
            }
            links.unlink(target.id(), id); // deleted behind usermesh's back
            return Optional.empty();
        }
    }

    /** WordPress's search (a substring scan over all users), compared exactly: the fallback. */
    static Optional<WpUser> bySearch(UserChange change, Site target, WordPressClient client) {
        MatchBy matchBy = target.settings().matchBy();
        String wanted = change.state().key(matchBy);
        String term = matchBy == MatchBy.EMAIL ? change.state().email() : change.state().username();
        if (term.isBlank()) {
            return Optional.empty();
        }
        return client.searchUsers(term).stream()
                .filter(u -> UserState.of(u).key(matchBy).equals(wanted))
                .findFirst();
    }

    /**
     * The id of the login that inherits a deleted user's content, or null for deleteReassign "none":
     * from the target's snapshot, else the site's search.
     */
    Long reassignId(Site target, WordPressClient client) {
        String login = target.settings().deleteReassign();
        if (!target.settings().reassignsContent()) {
            return null;
        }
        Optional<Long> indexed = snapshots.findByKey(target.id(), login)
                .filter(s -> s.state().username().equals(login)).map(Snapshot::wpUserId);
        if (indexed.isPresent()) {
            return indexed.get();
        }
        return client.searchUsers(login).stream()
                .filter(u -> u.username().equals(login))
                .map(WpUser::id)
                .findFirst()
                .orElseThrow(() -> new WordPressException(target.id(), new WpError(WpError.Kind.INVALID_REQUEST, 0,
                        null, "deleteReassign login '" + login + "' does not exist on " + target.id())));
    }
}
