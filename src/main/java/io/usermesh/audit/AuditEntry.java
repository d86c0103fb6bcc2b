package io.usermesh.audit;

import io.usermesh.model.Origin;
import java.time.Instant;
import java.util.Objects;

/**
 * One sync_log row: what happened to one change on one target.
 *
 * @param targetSite null for a row about the change itself (for example a held-back deletion)
 * @param userKey email or login, as the source site's matchBy names the user
 * @param action create, edit, delete, password, roles or metadata
 * @param message why, in words a person acts on; never a secret
 */
public record AuditEntry(Instant loggedAt, String eventId, String sourceSite, String targetSite, String userKey,
        String action, AuditStatus status, Integer httpStatus, String message, Long durationMs, Origin origin) {

    public AuditEntry {
        Objects.requireNonNull(loggedAt, "loggedAt");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(sourceSite, "sourceSite");
        Objects.requireNonNull(userKey, "userKey");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(origin, "origin");
        if (message != null && message.length() > 1000) {
            message = message.substring(0, 997) + "...";
        }
    }
}
