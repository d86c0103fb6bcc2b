package io.usermesh.model;

import java.util.Locale;

/** How a change was learnt of; stored lowercase in sync_log.origin. */
public enum Origin {
    POLL, WEBHOOK, RECONCILE, MANUAL;

    /** Found by usermesh itself (a poll, a push), not asked for by someone (sync, reconcile). */
    public boolean automatic() {
        return this == POLL || this == WEBHOOK;
    }

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
