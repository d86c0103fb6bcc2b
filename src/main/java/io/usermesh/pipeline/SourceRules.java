package io.usermesh.pipeline;

import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.UserChange;
import java.util.function.Supplier;

/**
 * The filters of route change-pipeline about the change as a whole, so that a change the source
 * should not send never reaches the split: each returns true to let the change through, or audits
 * the refusal as skipped once per target it would have gone to and returns false.
 */
public final class SourceRules {

    private final Supplier<SitesConfig> sites;
    private final UserFlags flags;
    private final TargetRules targets;
    private final Skips skips;

    /** @param flags null when the database has no user_flag table yet: then nobody has propagation off */
    public SourceRules(Supplier<SitesConfig> sites, UserFlags flags, TargetRules targets, Skips skips) {
        this.sites = sites;
        this.flags = flags;
        this.targets = targets;
        this.skips = skips;
    }

    /**
     * An update in which nothing usermesh syncs changed (only the companion plugin's toggles, or the
     * digest it shows for the first time) goes no further and is not audited: there is nothing to send.
     */
    public static boolean hasChanges(UserChange change) {
        return change.kind() != ChangeKind.UPDATED || !change.groups().isEmpty();
    }

    /**
     * The change has somewhere to go: a site linked to its source that it has not been on. Most onward
     * hops of a delivery have none (the target's only link leads back where the change came from); the
     * rules below would read the user's flags for nothing, and would audit nothing (no target, no row).
     */
    public boolean hasTargets(UserChange change) {
        return targets.targetsOf(change).stream().anyMatch(TargetRules::notOnPath);
    }

    /** A paused site sends nothing. */
    public boolean active(UserChange change) {
        Site source = source(change);
        return source.isActive() || refuse(change, "source " + source.id() + " is paused");
    }

    /**
     * A site in manual mode (autoSync: false) sends what a poll or a push found of it nowhere: its users
     * move with sync, reconcile and the dashboard only.
     */
    public boolean autoSyncs(UserChange change) {
        Site source = source(change);
        return source.settings().autoSync() || !change.origin().automatic()
                || refuse(change, "source " + source.id() + " syncs manually (autoSync: false): its "
                        + change.origin().dbValue() + " changes go nowhere; use sync or reconcile");
    }

    /** "Propagation off" on the source keeps that user's changes on the source. */
    public boolean propagationAllowed(UserChange change) {
        String source = source(change).id();
        return flags == null || !flags.of(source, change.state()).propagationOff()
                || refuse(change, "propagation is off for this user on " + source);
    }

    /** syncRoles of the source: users holding none of them are not synced. */
    public boolean rolesSelected(UserChange change) {
        Site source = source(change);
        return source.settings().syncsRoles(change.state().roles()) || refuse(change, "user roles "
                + change.state().roles() + " include none of syncRoles " + source.settings().syncRoles() + " of "
                + source.id());
    }

    private Site source(UserChange change) {
        return sites.get().site(change.sourceSite()).orElseThrow(
                () -> new IllegalArgumentException("change from unknown site " + change.sourceSite()));
    }

    /** The targets are those of the split that pass the loop guard: an echo is not audited here either. */
    private boolean refuse(UserChange change, String reason) {
        targets.targetsOf(change).stream().filter(TargetRules::notOnPath)
                .forEach(delivery -> skips.record(change, delivery.target(), reason));
        return false;
    }
}
