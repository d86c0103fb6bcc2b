package io.usermesh.delivery;

import io.usermesh.audit.AuditEntry;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.Delivery;

/**
 * What a write step of deliver-to-site did on the target, for the steps of route delivered: the
 * bookkeeping, the audit row and the change going onward.
 *
 * @param targetUserId the user on the target, or null when there is none (a skip)
 * @param written the target's state after the write, to record as its snapshot; null when nothing was written
 * @param deleted the user was deleted on the target
 * @param onward the change as it goes on from the target, or null
 */
public record Applied(Delivery delivery, Long targetUserId, UserState written, boolean deleted, AuditEntry audit,
        UserChange onward) {

    /** Nothing to record but the audit row (a skip, a conflict). */
    static Applied auditOnly(Delivery delivery, Long targetUserId, AuditEntry audit) {
        return new Applied(delivery, targetUserId, null, false, audit, null);
    }
}
