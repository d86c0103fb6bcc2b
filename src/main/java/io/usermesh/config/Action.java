package io.usermesh.config;

import java.util.Locale;

/** A kind of change a link may carry; sites.yaml spells them in lowercase. */
public enum Action {
    CREATE, EDIT, DELETE, PASSWORD, ROLES, METADATA;

    /**
     * What a link that lists no actions carries: create, edit and roles. Deleting accounts, setting
     * passwords and copying meta reach further, so a link must list them.
     */
    public static java.util.Set<Action> unlisted() {
        return java.util.EnumSet.of(CREATE, EDIT, ROLES);
    }

    /** The lowercase spelling, as sites.yaml, sync_log.action and the custom rules' UsermeshAction use it. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
