package io.usermesh.config;

import java.util.Locale;

/** A kind of change a link may carry; sites.yaml spells them in lowercase. */
public enum Action {
    CREATE, EDIT, DELETE, PASSWORD, ROLES, METADATA;

    /** The lowercase spelling, as sites.yaml, sync_log.action and the custom rules' UsermeshAction use it. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
