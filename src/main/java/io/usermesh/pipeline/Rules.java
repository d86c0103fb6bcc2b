package io.usermesh.pipeline;

import io.usermesh.config.Action;
import io.usermesh.model.FieldGroup;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The filters every change passes, in the order the pipeline applies them. */
public final class Rules {

    private Rules() {
    }

    /** A paused site sends nothing. */
    public static ChangeRule sourceActive() {
        return (change, source) -> source.isActive() ? Optional.empty()
                : Optional.of("source " + source.id() + " is paused");
    }

    /** "Propagation off" on the source keeps that user's changes on the source. */
    public static ChangeRule propagationFlag(UserFlags flags) {
        return (change, source) -> flags.of(source.id(), change.state()).propagationOff()
                ? Optional.of("propagation is off for this user on " + source.id())
                : Optional.empty();
    }

    /** syncRoles of the source: users holding none of them are not synced. */
    public static ChangeRule syncRoles() {
        return (change, source) -> {
            List<String> wanted = source.settings().syncRoles();
            if (source.settings().syncsRoles(change.state().roles())) {
                return Optional.empty();
            }
            return Optional.of("user roles " + change.state().roles() + " include none of syncRoles " + wanted
                    + " of " + source.id());
        };
    }

    /** The link must run from source to target and allow the change's action. */
    public static TargetRule linkAllows() {
        return (change, source, target, link) -> {
            if (!link.flowsFrom(source.id())) {
                return Optional.of("link " + link.site() + "-" + link.remote() + " is "
                        + link.direction().name().toLowerCase(Locale.ROOT) + ": changes on " + source.id()
                        + " do not flow to " + target.id());
            }
            Action needed = change.kind().action();
            if (needed == Action.EDIT) {
                boolean anyGroup = change.groups().stream()
                        .anyMatch(g -> link.carries(source.id(), target.id(), g.action()));
                if (anyGroup) {
                    return Optional.empty();
                }
                return Optional.of("link " + source.id() + "->" + target.id() + " does not allow "
                        + change.groups().stream().map(FieldGroup::action).map(Rules::name).distinct().toList());
            }
            return link.carries(source.id(), target.id(), needed) ? Optional.empty()
                    : Optional.of("link " + source.id() + "->" + target.id() + " does not allow " + name(needed));
        };
    }

    /**
     * A target with prohibitIncoming accepts nothing. (A paused target is not refused: its changes
     * wait in the outbox until it is resumed.)
     */
    public static TargetRule targetAccepts() {
        return (change, source, target, link) -> target.prohibitIncoming()
                ? Optional.of("target " + target.id() + " has prohibitIncoming set")
                : Optional.empty();
    }

    /** "Protected" on the target: that site accepts no change for the user. */
    public static TargetRule protectedFlag(UserFlags flags) {
        return (change, source, target, link) -> flags.of(target.id(), change.state()).isProtected()
                ? Optional.of("user is protected on " + target.id())
                : Optional.empty();
    }

    public static String name(Action action) {
        return action.name().toLowerCase(Locale.ROOT);
    }
}
