package io.usermesh.delivery;

import io.usermesh.config.MatchBy;
import io.usermesh.config.Site;
import io.usermesh.model.UserChange;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WordPressException;
import io.usermesh.wordpress.WpError;
import io.usermesh.wordpress.WpUser;
import java.util.Optional;

/**
 * Finds the target's user for a change: through user_link first, else by the target's matchBy with
 * an exact comparison (WordPress's search is a substring match).
 */
final class TargetLookup {

    private final UserLinks links;

    TargetLookup(UserLinks links) {
        this.links = links;
    }

    Optional<WpUser> find(UserChange change, Site target, WordPressClient client) {
        Optional<Long> linked = links.targetId(change.sourceSite(), change.sourceUserId(), target.id());
        if (linked.isPresent()) {
            try {
                return Optional.of(client.getUser(linked.get()));
            } catch (WordPressException e) {
                if (e.error().kind() != WpError.Kind.NOT_FOUND) {
                    throw e;
                }
                links.unlink(target.id(), linked.get()); // deleted behind usermesh's back
            }
        }
        return byKey(change, target, client);
    }

    private static Optional<WpUser> byKey(UserChange change, Site target, WordPressClient client) {
        MatchBy matchBy = target.settings().matchBy();
        String wanted = change.state().key(matchBy);
        String term = matchBy == MatchBy.EMAIL ? change.state().email() : change.state().username();
        if (term.isBlank()) {
            return Optional.empty();
        }
        return client.searchUsers(term).stream()
                .filter(u -> io.usermesh.model.UserState.of(u).key(matchBy).equals(wanted))
                .findFirst();
    }

    /** The id of the login that inherits a deleted user's content, or null for deleteReassign "none". */
    static Long reassignId(Site target, WordPressClient client) {
        String login = target.settings().deleteReassign();
        if (!target.settings().reassignsContent()) {
            return null;
        }
        return client.searchUsers(login).stream()
                .filter(u -> u.username().equals(login))
                .map(WpUser::id)
                .findFirst()
                .orElseThrow(() -> new WordPressException(target.id(), new WpError(WpError.Kind.INVALID_REQUEST, 0,
                        null, "deleteReassign login '" + login + "' does not exist on " + target.id())));
    }
}
