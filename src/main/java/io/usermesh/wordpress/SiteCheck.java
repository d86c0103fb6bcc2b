package io.usermesh.wordpress;

import java.util.List;

/**
 * The outcome of checking one site, step by step. A step that could not run because an earlier
 * one failed is null. {@code problem} names the first failure in words a person acts on.
 *
 * @param companion "absent", or the companion plugin's version and whether it pushes (e.g.
 *        "0.1.0, push off"), or "present" when its settings could not be read; null when unknown
 */
public record SiteCheck(String siteId, String url, boolean reachable, Boolean restApi, Boolean credentials,
        List<String> missingCapabilities, Boolean applicationPasswords, String companion,
        String problem, long durationMs) {

    public static final List<String> REQUIRED_CAPABILITIES =
            List.of("create_users", "edit_users", "delete_users", "list_users");

    public SiteCheck {
        missingCapabilities = missingCapabilities == null ? null : List.copyOf(missingCapabilities);
    }

    public boolean passed() {
        return problem == null;
    }
}
