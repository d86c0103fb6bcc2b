package io.usermesh.audit;

import java.util.Locale;

/** sync_log.status, stored lowercase. */
public enum AuditStatus {
    SUCCESS, SKIPPED, FAILED, CONFLICT, DEAD;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
