package io.usermesh.audit;

import java.util.List;
import java.util.Locale;

/** sync_log.status, stored lowercase. */
public enum AuditStatus {
    SUCCESS, SKIPPED, FAILED, CONFLICT, DEAD;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A status as people type it (any case); the message lists the valid ones. */
    public static AuditStatus parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status must be one of "
                    + List.of(values()).toString().toLowerCase(Locale.ROOT) + ", got '" + value + "'");
        }
    }
}
