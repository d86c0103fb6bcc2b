package io.usermesh.pipeline;

import io.usermesh.audit.AuditEntry;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.UserChange;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The built-in steps of routes/pipeline.camel.yaml asked in Java, in the route's order and without the
 * integrator's custom rules: the reconciliation's dry run uses it to say what the route would do.
 * The steps are the same bean methods the route calls; every refusal is audited as skipped with its reason.
 */
public final class Pipeline {

    private final SourceRules sourceRules;
    private final TargetRules targetRules;

    /** @param flags null when the database has no user_flag table yet: the flag rules then refuse nothing */
    public Pipeline(SitesConfig sites, UserFlags flags, Consumer<AuditEntry> audit, Clock clock) {
        Supplier<SitesConfig> fixed = () -> sites; // one plan, one version of the config
        Skips skips = new Skips(fixed, audit, clock);
        this.targetRules = new TargetRules(fixed, flags, null, skips); // plans carry no passwords
        this.sourceRules = new SourceRules(fixed, flags, targetRules, skips);
    }

    /** The deliveries the route would queue for the change (the first refusal stops it, as a filter does). */
    public List<Delivery> plan(UserChange change) {
        if (!(sourceRules.hasTargets(change) && sourceRules.active(change) && sourceRules.autoSyncs(change)
                && sourceRules.propagationAllowed(change) && sourceRules.rolesSelected(change))) {
            return List.of();
        }
        return targetRules.targetsOf(change).stream()
                .filter(d -> TargetRules.notOnPath(d) && targetRules.linkAllows(d) && targetRules.accepts(d)
                        && targetRules.autoSyncs(d) && targetRules.notProtected(d) && targetRules.passwordDeliverable(d))
                .map(targetRules::whitelist)
                .toList();
    }
}
