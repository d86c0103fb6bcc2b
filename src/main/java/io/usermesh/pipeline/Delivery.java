package io.usermesh.pipeline;

import io.usermesh.config.Link;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Hashes;
import io.usermesh.model.UserChange;
import java.util.Set;

/**
 * One change on its way to one target, with the field groups the link lets through.
 *
 * @param allowCreate whether the link lets this change create the user on the target
 */
public record Delivery(UserChange change, String target, Link link, Set<FieldGroup> groups, boolean allowCreate) {

    public Delivery {
        groups = Set.copyOf(groups);
    }

    /**
     * The same change to the same target is applied once, however often it is detected (two polls,
     * a poll and a push, two runners): the key names the before and after states, not the event.
     */
    public String idempotencyKey() {
        return Hashes.sha256(String.join("|", target, change.sourceSite(), String.valueOf(change.sourceUserId()),
                change.kind().name(), change.previousFingerprint(), change.fingerprint()));
    }
}
