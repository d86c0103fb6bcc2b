package io.usermesh.audit;

import io.usermesh.model.Origin;
import io.usermesh.model.Printable;
import java.time.Instant;
import java.util.Objects;

/**
 * One sync_log row: what happened to one change on one target.
 *
 * @param targetSite null for a row about the change itself (for example a held-back deletion)
 * @param userKey email or login, as the source site's matchBy names the user
 * @param action create, edit, delete, password, roles or metadata
 * @param message why, in words a person acts on; never a secret
 *
 * <p>Text fields may hold what a request or a site sent (a user key, a pushed source URL): control
 * characters in them are escaped here, for every row, before the length cut.
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
        eventId = Printable.of(eventId);
        sourceSite = Printable.of(sourceSite);
        targetSite = Printable.of(targetSite);
        userKey = cut(Printable.of(userKey), 255);
        action = Printable.of(action);
        message = Printable.of(message);
        message = message == null ? null : cut(message, 1000);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
