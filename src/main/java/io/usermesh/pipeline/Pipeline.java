package io.usermesh.pipeline;

import io.usermesh.audit.AuditEntry;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.UserChange;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * The built-in steps of route change-pipeline asked in Java, in the route's order and without the
 * integrator's custom rules: the reconciliation's dry run uses it to say what the route would do.
 * The steps are the same beans the route calls; every refusal is audited as skipped with its reason.
 */
public final class Pipeline {

    private final List<ChangeFilter> changeFilters;
    private final List<TargetFilter> targetFilters;
    private final ChangeTargets targets;

    public Pipeline(SitesConfig sites, List<ChangeRule> changeRules, List<TargetRule> targetRules,
            Consumer<AuditEntry> audit, Clock clock) {
        Skips skips = new Skips(sites, audit, clock);
        this.changeFilters = changeRules.stream().map(rule -> new ChangeFilter(rule, sites, skips)).toList();
        this.targetFilters = targetRules.stream().map(rule -> new TargetFilter(rule, sites, skips)).toList();
        this.targets = new ChangeTargets(sites);
    }

    /** The rules of routes/pipeline.camel.yaml, in its order. */
    public static Pipeline standard(SitesConfig sites, UserFlags flags, Consumer<AuditEntry> audit, Clock clock) {
        return new Pipeline(sites,
                List.of(Rules.sourceActive(), Rules.propagationFlag(flags), Rules.syncRoles()),
                List.of(Rules.linkAllows(), Rules.targetAccepts(), Rules.protectedFlag(flags)),
                audit, clock);
    }

    /** The deliveries the route would queue for the change (the first refusal stops it, as a filter does). */
    public List<Delivery> plan(UserChange change) {
        if (!changeFilters.stream().allMatch(filter -> filter.test(change))) {
            return List.of();
        }
        return targets.of(change).stream()
                .filter(targets::notOnPath)
                .filter(delivery -> targetFilters.stream().allMatch(filter -> filter.test(delivery)))
                .map(targets::whitelist)
                .toList();
    }
}
