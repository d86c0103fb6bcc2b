package io.usermesh.pipeline;

import io.usermesh.config.Site;
import io.usermesh.detection.Snapshot;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.wordpress.Companions;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WordPressClients;
import io.usermesh.wordpress.WordPressException;
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

    public FlagsOnSites(WordPressClients clients, SnapshotStore snapshots, Companions companions) {
        this.clients = clients;
        this.snapshots = snapshots;
        this.companions = companions;
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
            return "written";
        } catch (WordPressException e) {
            return "not written: " + e.getMessage();
        }
    }
}
