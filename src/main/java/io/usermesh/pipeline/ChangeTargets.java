package io.usermesh.pipeline;

import io.usermesh.config.Action;
import io.usermesh.config.Link;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.UserChange;
import java.util.List;

/**
 * The split of change-pipeline (one delivery per site linked to the change's source), its loop
 * guard (a site the change has already been on is never a target: that keeps A↔B and A→B→C from
 * echoing) and the field whitelist of each link.
 */
public final class ChangeTargets {

    private final SitesConfig sites;

    public ChangeTargets(SitesConfig sites) {
        this.sites = sites;
    }

    /** The split: every site linked to the change's source, with the fields that changed. */
    public List<Delivery> of(UserChange change) {
        String source = change.sourceSite();
        return sites.linksOf(source).stream()
                .map(link -> new Delivery(change, link.other(source), link, change.groups(),
                        link.carries(source, link.other(source), Action.CREATE)))
                .toList();
    }

    /** The loop guard: false for a site the change has been on (no audit row: an echo is not news). */
    public boolean notOnPath(Delivery delivery) {
        return !delivery.change().hasVisited(delivery.target());
    }

    /** The whitelist: of what changed, only the field groups and meta keys the link lets through. */
    public Delivery whitelist(Delivery delivery) {
        UserChange change = delivery.change();
        Link link = delivery.link();
        return new Delivery(change, delivery.target(), link,
                FieldGroup.carriedBy(link, change.sourceSite(), delivery.target(), change.groups()),
                delivery.allowCreate());
    }

    static List<String> notVisited(SitesConfig sites, UserChange change) {
        return sites.linksOf(change.sourceSite()).stream().map(link -> link.other(change.sourceSite()))
                .filter(target -> !change.hasVisited(target)).toList();
    }
}
