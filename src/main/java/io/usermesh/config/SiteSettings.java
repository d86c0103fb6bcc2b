package io.usermesh.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sync behaviour of one site: the {@code defaults:} block of sites.yaml with that site's own
 * overrides applied key by key (an overridden list or map replaces the default one, it is not merged).
 *
 * @param deleteReassign login on the target that inherits a deleted user's content, or "none"
 * @param syncRoles users holding none of these roles are not synced; empty means every role
 * @param autoSync false: manual mode, the site is not polled, and changes found by polls and pushes
 *        neither come from it nor go to it; only sync, reconcile and the dashboard move its users
 */
public record SiteSettings(MatchBy matchBy, List<String> syncRoles, boolean createOnEdit, String deleteReassign,
        Map<String, String> roleMap, int logRetentionDays, boolean syncLog, Duration pollInterval, boolean autoSync) {

    /** What applies when sites.yaml says nothing. */
    public static final SiteSettings DEFAULTS = new SiteSettings(MatchBy.EMAIL, List.of(), true, "admin",
            Map.of(), 30, true, Duration.ofSeconds(30), true);

    public SiteSettings {
        Objects.requireNonNull(matchBy, "matchBy");
        syncRoles = List.copyOf(syncRoles);
        Objects.requireNonNull(deleteReassign, "deleteReassign");
        roleMap = Map.copyOf(roleMap);
        Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** True when a user with these roles is synced at all. */
    public boolean syncsRoles(List<String> userRoles) {
        return syncRoles.isEmpty() || userRoles.stream().anyMatch(syncRoles::contains);
    }

    /** The role to give on this site for a role coming from elsewhere. */
    public String mapRole(String role) {
        return roleMap.getOrDefault(role, role);
    }

    /** True unless deleteReassign is "none", i.e. a deleted user's content is kept under another login. */
    public boolean reassignsContent() {
        return !"none".equalsIgnoreCase(deleteReassign);
    }
}
