package io.usermesh.model;

import java.util.Locale;

/** How a change was learnt of; stored lowercase in sync_log.origin. */
public enum Origin {
    POLL, WEBHOOK, RECONCILE, MANUAL;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
