package io.usermesh.pipeline;

import io.usermesh.config.Action;
import io.usermesh.config.Link;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.UserChange;
import io.usermesh.wordpress.Companions;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which targets a change goes to and what they get: the split of route change-pipeline, then the
 * filters of route change-to-target and the field whitelist. Each filter returns true to let the
 * change through to the delivery's target, or audits the refusal as skipped for that target and
 * returns false.
 */
public final class TargetRules {

    private final Supplier<SitesConfig> sites;
    private final UserFlags flags;
    private final Companions companions;
    private final Skips skips;

    /**
     * @param flags null when the database has no user_flag table yet: then nobody is protected
     * @param companions which sites run the companion plugin (passwords travel only between two)
     */
    public TargetRules(Supplier<SitesConfig> sites, UserFlags flags, Companions companions, Skips skips) {
        this.sites = sites;
        this.flags = flags;
        this.companions = companions;
        this.skips = skips;
    }

    /** The split: one delivery per site linked to the change's source, with the fields that changed. */
    public List<Delivery> targetsOf(UserChange change) {
        String source = change.sourceSite();
        return sites.get().linksOf(source).stream()
                .map(link -> new Delivery(change, link.other(source), link, change.groups(),
                        link.carries(source, link.other(source), Action.CREATE)))
                .toList();
    }

    /**
     * The loop guard: a site the change has been on is never a target, which keeps A↔B and A→B→C from
     * echoing. No audit row: an echo is not news.
     */
    public static boolean notOnPath(Delivery delivery) {
        return !delivery.change().hasVisited(delivery.target());
    }

    /** The link must run from source to target and carry the change's action (an edit: one of its groups'). */
    public boolean linkAllows(Delivery delivery) {
        UserChange change = delivery.change();
        Link link = delivery.link();
        String source = change.sourceSite();
        String target = delivery.target();
        if (!link.flowsFrom(source)) {
            return refuse(delivery, "link " + link.site() + "-" + link.remote() + " is "
                    + link.direction().name().toLowerCase(Locale.ROOT) + ": changes on " + source
                    + " do not flow to " + target);
        }
        Action action = change.kind().action();
        if (action != Action.EDIT) {
            return link.carries(source, target, action)
                    || refuse(delivery, "link " + source + "->" + target + " does not allow " + action.dbValue());
        }
        return !FieldGroup.carriedBy(link, source, target, change.groups()).isEmpty()
                || refuse(delivery, "link " + source + "->" + target + " does not allow "
                        + change.groups().stream().map(FieldGroup::action).map(Action::dbValue).distinct().toList());
    }

    /**
     * A target with prohibitIncoming accepts nothing. (A paused target is not refused: its changes
     * wait in the outbox until it is resumed.)
     */
    public boolean accepts(Delivery delivery) {
        String target = delivery.target();
        return !sites.get().site(target).orElseThrow().prohibitIncoming()
                || refuse(delivery, "target " + target + " has prohibitIncoming set");
    }

    /**
     * A target in manual mode (autoSync: false) takes no change that a poll or a push found elsewhere:
     * only sync, reconcile and the dashboard move its users.
     */
    public boolean autoSyncs(Delivery delivery) {
        String target = delivery.target();
        return sites.get().site(target).orElseThrow().settings().autoSync() || !delivery.change().origin().automatic()
                || refuse(delivery, "target " + target + " syncs manually (autoSync: false); use sync or reconcile");
    }

    /** "Protected" on the target: that site accepts no change for the user. */
    public boolean notProtected(Delivery delivery) {
        return flags == null || !flags.of(delivery.target(), delivery.change().state()).isProtected()
                || refuse(delivery, "user is protected on " + delivery.target());
    }

    /**
     * A password travels as its hash, which only the companion plugin reads and writes: without it on
     * both sites a password change is audited skipped with the reason, and the rest of the change goes
     * on (the filter refuses only a change that was nothing but the password). A new account gets a
     * random password there, as on any site without the companion: no row for that.
     */
    public boolean passwordDeliverable(Delivery delivery) {
        UserChange change = delivery.change();
        Set<FieldGroup> carried = FieldGroup.carriedBy(delivery.link(), change.sourceSite(), delivery.target(),
                change.groups());
        if (!carried.contains(FieldGroup.PASSWORD) || passwordsTravel(change.sourceSite(), delivery.target())) {
            return true;
        }
        if (change.kind() != ChangeKind.UPDATED) {
            return true;
        }
        String missing = companions != null && companions.on(change.sourceSite()) ? delivery.target()
                : change.sourceSite();
        skips.record(change, delivery.target(), Action.PASSWORD, "password not synced: the companion plugin is"
                + " not on " + missing);
        return carried.size() > 1;
    }

    /**
     * The whitelist: of what changed, only the field groups and meta keys the link lets through, and
     * the password only between two sites with the companion plugin.
     */
    public Delivery whitelist(Delivery delivery) {
        UserChange change = delivery.change();
        Set<FieldGroup> carried = FieldGroup.carriedBy(delivery.link(), change.sourceSite(), delivery.target(),
                change.groups());
        if (carried.contains(FieldGroup.PASSWORD) && !passwordsTravel(change.sourceSite(), delivery.target())) {
            carried.remove(FieldGroup.PASSWORD);
        }
        return new Delivery(change, delivery.target(), delivery.link(), carried, delivery.allowCreate());
    }

    private boolean passwordsTravel(String source, String target) {
        return companions != null && companions.on(source) && companions.on(target);
    }

    private boolean refuse(Delivery delivery, String reason) {
        skips.record(delivery.change(), delivery.target(), reason);
        return false;
    }
}
