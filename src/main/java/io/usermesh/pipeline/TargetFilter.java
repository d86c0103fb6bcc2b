package io.usermesh.pipeline;

import io.usermesh.config.SitesConfig;
import java.util.Optional;

/**
 * A change-pipeline filter step for rules about one target (link direction and actions,
 * prohibitIncoming, protected flag): a refusal keeps the change from that target and is audited.
 */
public final class TargetFilter {

    private final TargetRule rule;
    private final SitesConfig sites;
    private final Skips skips;

    public TargetFilter(TargetRule rule, SitesConfig sites, Skips skips) {
        this.rule = rule;
        this.sites = sites;
        this.skips = skips;
    }

    /** True lets the change through to this target. */
    public boolean test(Delivery delivery) {
        Optional<String> refusal = rule.refuse(delivery.change(), sites.site(delivery.change().sourceSite())
                .orElseThrow(), sites.site(delivery.target()).orElseThrow(), delivery.link());
        refusal.ifPresent(reason -> skips.record(delivery.change(), delivery.target(), reason));
        return refusal.isEmpty();
    }
}
