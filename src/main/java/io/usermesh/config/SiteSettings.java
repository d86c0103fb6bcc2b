package io.usermesh.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sync behaviour of one site: the {@code defaults:} block of sites.yaml with that site's own
 * overrides applied key by key (an overridden list or map replaces the default one, it is not merged).
 *
 * @param deleteReassign login on the target that inherits a deleted user's content, or "none"
 * @param syncRoles users holding none of these roles are not synced; empty means every role
 * @param autoSync false: manual mode, the site is not polled, and changes found by polls and pushes
 *        neither come from it nor go to it; only sync, reconcile and the dashboard move its users
 * @param fullScanInterval how often a poll lists every user when the site's companion plugin offers its
 *        changes feed (between full scans a poll reads only the feed); empty: the default, {@link
 *        #DEFAULT_FULL_SCAN}. A site without the feed is listed in full at every poll whatever this says.
 */
public record SiteSettings(MatchBy matchBy, List<String> syncRoles, boolean createOnEdit, String deleteReassign,
        Map<String, String> roleMap, int logRetentionDays, boolean syncLog, Duration pollInterval, boolean autoSync,
        Optional<Duration> fullScanInterval) {

    /** Full scans of a site with the changes feed: daily, to find what was changed behind WordPress's back. */
    public static final Duration DEFAULT_FULL_SCAN = Duration.ofDays(1);

    /** What applies when sites.yaml says nothing. */
    public static final SiteSettings DEFAULTS = new SiteSettings(MatchBy.EMAIL, List.of(), true, "admin",
            Map.of(), 30, true, Duration.ofSeconds(30), true);

    /** Settings with the default full scan interval. */
    public SiteSettings(MatchBy matchBy, List<String> syncRoles, boolean createOnEdit, String deleteReassign,
            Map<String, String> roleMap, int logRetentionDays, boolean syncLog, Duration pollInterval,
            boolean autoSync) {
        this(matchBy, syncRoles, createOnEdit, deleteReassign, roleMap, logRetentionDays, syncLog, pollInterval,
                autoSync, Optional.empty());
    }

    public SiteSettings {
        Objects.requireNonNull(matchBy, "matchBy");
        syncRoles = List.copyOf(syncRoles);
        Objects.requireNonNull(deleteReassign, "deleteReassign");
        roleMap = Map.copyOf(roleMap);
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(fullScanInterval, "fullScanInterval");
    }

    /** How long a site with the changes feed goes between full listings. */
    public Duration fullScanEvery() {
        return fullScanInterval.orElse(DEFAULT_FULL_SCAN);
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
