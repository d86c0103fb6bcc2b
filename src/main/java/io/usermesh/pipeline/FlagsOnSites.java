package io.usermesh.pipeline;

import io.usermesh.config.Site;
import io.usermesh.detection.Snapshot;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.wordpress.Companions;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WordPressClients;
import io.usermesh.wordpress.WordPressException;
import io.usermesh.model.CompanionFields;
import io.usermesh.model.UserState;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Flags set through the admin API are written to the site too when it runs the companion plugin, so
 * the profile screen shows them ("set in either place, shown in both"). usermesh's own table stays
 * what the rules read; the site is told after it.
 */
public final class FlagsOnSites {

    private final WordPressClients clients;
    private final SnapshotStore snapshots;
    private final Companions companions;
    private final Clock clock;

    public FlagsOnSites(WordPressClients clients, SnapshotStore snapshots, Companions companions, Clock clock) {
        this.clients = clients;
        this.snapshots = snapshots;
        this.companions = companions;
        this.clock = clock;
    }

    /** Writes the flags to the user's profile on {@code site}; the answer says what became of it. */
    public String tell(Site site, String userKey, UserFlags.Flags flags) {
        if (!companions.on(site.id())) {
            return "no companion plugin on " + site.id();
        }
        Optional<Snapshot> user = snapshots.findByKey(site.id(), userKey);
        if (user.isEmpty()) {
            return "user not seen on " + site.id();
        }
        WordPressClient client = clients.client(site);
        try {
            client.updateUser(user.get().wpUserId(), Map.of(WordPressClient.COMPANION_FIELD, Map.of("flags",
                    Map.of("propagation", !flags.propagationOff(), "protected", flags.isProtected()))));
            // the snapshot holds what usermesh wrote, as after a delivery: a poll whose listing began before
            // this write skips the user, and so cannot mirror the toggle it saw then back over these flags
            UserState was = user.get().state();
            CompanionFields companion = was.companion() == null ? new CompanionFields("", false, false)
                    : was.companion();
            snapshots.recordWritten(site.id(), user.get().wpUserId(), new UserState(was.username(), was.email(),
                    was.name(), was.firstName(), was.lastName(), was.nickname(), was.url(), was.description(),
                    was.roles(), was.meta(), new CompanionFields(companion.password(), flags.propagationOff(),
                            flags.isProtected())), clock.instant());
            return "written";
        } catch (WordPressException e) {
            return "not written: " + e.getMessage();
        }
    }
}
