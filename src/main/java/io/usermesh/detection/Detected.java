package io.usermesh.detection;

import io.usermesh.model.UserChange;

/**
 * A change found by a poll or a push, not yet recorded: route change-detected advances the snapshot
 * from {@code before} (null for a new user) and sends the change down change-pipeline, in one transaction.
 */
public record Detected(UserChange change, Snapshot before) {
}
