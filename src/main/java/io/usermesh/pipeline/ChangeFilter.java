package io.usermesh.pipeline;

import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.UserChange;
import java.util.Optional;

/**
 * A change-pipeline filter step for rules about the change as a whole (source status, propagation
 * flag, syncRoles): a refusal keeps the change from every target and is audited once per target.
 */
public final class ChangeFilter {

    private final ChangeRule rule;
    private final SitesConfig sites;
    private final Skips skips;

    public ChangeFilter(ChangeRule rule, SitesConfig sites, Skips skips) {
        this.rule = rule;
        this.sites = sites;
        this.skips = skips;
    }

    /** True lets the change through. */
    public boolean test(UserChange change) {
        Site source = sites.site(change.sourceSite()).orElseThrow(
                () -> new IllegalArgumentException("change from unknown site " + change.sourceSite()));
        Optional<String> refusal = rule.refuse(change, source);
        refusal.ifPresent(reason -> ChangeTargets.notVisited(sites, change)
                .forEach(target -> skips.record(change, target, reason)));
        return refusal.isEmpty();
    }
}
