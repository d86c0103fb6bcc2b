package io.usermesh.audit;

import java.time.Instant;

/**
 * Which sync_log rows to read; every null field matches everything.
 *
 * @param site rows with this site as source or as target
 * @param user the exact user_key
 * @param since inclusive
 * @param until exclusive
 * @param limit at most this many rows, newest first; 0 means {@value #DEFAULT_LIMIT}, above {@value #MAX_LIMIT}
 *     means {@value #MAX_LIMIT}
 */
public record AuditFilter(String site, AuditStatus status, String user, Instant since, Instant until, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    public AuditFilter {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        limit = limit == 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
    }

    /** Every row, up to the default limit. */
    public static AuditFilter all() {
        return new AuditFilter(null, null, null, null, null, 0);
    }
}
