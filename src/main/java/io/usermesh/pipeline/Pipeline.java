package io.usermesh.pipeline;

import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Action;
import io.usermesh.config.Link;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.UserChange;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Decides where a change goes: the change rules first, then per linked site the target rules.
 * Every refusal is audited as skipped with its reason; a site the change has already been on is
 * never a target, which is what keeps A↔B and A→B→C from echoing.
 */
public final class Pipeline {

    private final SitesConfig sites;
    private final List<ChangeRule> changeRules;
    private final List<TargetRule> targetRules;
    private final Consumer<AuditEntry> audit;
    private final Clock clock;

    public Pipeline(SitesConfig sites, List<ChangeRule> changeRules, List<TargetRule> targetRules,
            Consumer<AuditEntry> audit, Clock clock) {
        this.sites = sites;
        this.changeRules = List.copyOf(changeRules);
        this.targetRules = List.copyOf(targetRules);
        this.audit = audit;
        this.clock = clock;
    }

    /** The standard rule set. */
    public static Pipeline standard(SitesConfig sites, UserFlags flags, Consumer<AuditEntry> audit, Clock clock) {
        return new Pipeline(sites,
                List.of(Rules.sourceActive(), Rules.propagationFlag(flags), Rules.syncRoles()),
                List.of(Rules.linkAllows(), Rules.targetAccepts(), Rules.protectedFlag(flags)),
                audit, clock);
    }

    /** Called by the change-pipeline route. */
    public List<Delivery> plan(UserChange change) {
        Site source = sites.site(change.sourceSite()).orElseThrow(
                () -> new IllegalArgumentException("change from unknown site " + change.sourceSite()));
        List<Link> links = sites.linksOf(source.id()).stream()
                .filter(link -> !change.hasVisited(link.other(source.id())))
                .toList();
        for (ChangeRule rule : changeRules) {
            Optional<String> refusal = rule.refuse(change, source);
            if (refusal.isPresent()) {
                links.forEach(link -> skip(change, source, link.other(source.id()), refusal.get()));
                return List.of();
            }
        }
        List<Delivery> deliveries = new ArrayList<>();
        for (Link link : links) {
            Site target = sites.site(link.other(source.id())).orElseThrow();
            Optional<String> refusal = refusal(change, source, target, link);
            if (refusal.isPresent()) {
                skip(change, source, target.id(), refusal.get());
            } else {
                deliveries.add(new Delivery(change, target.id(), link,
                        FieldGroup.carriedBy(link, source.id(), target.id(), change.groups()),
                        link.carries(source.id(), target.id(), Action.CREATE)));
            }
        }
        return deliveries;
    }

    private Optional<String> refusal(UserChange change, Site source, Site target, Link link) {
        for (TargetRule rule : targetRules) {
            Optional<String> refusal = rule.refuse(change, source, target, link);
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    private void skip(UserChange change, Site source, String target, String reason) {
        audit.accept(new AuditEntry(clock.instant(), change.eventId(), source.id(), target,
                change.state().key(source.settings().matchBy()), Rules.name(change.kind().action()),
                AuditStatus.SKIPPED, null, reason, null, change.origin()));
    }
}
