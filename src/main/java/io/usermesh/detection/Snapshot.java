package io.usermesh.detection;

import io.usermesh.model.UserState;
import java.time.Instant;

/**
 * The last known state of one user on one site.
 *
 * @param seenAt when usermesh last read or wrote the user there
 * @param changedAt when a change made on the site itself was last detected; null if never
 */
public record Snapshot(String siteId, long wpUserId, UserState state, String fingerprint, Instant seenAt,
        Instant changedAt) {
}
