package io.usermesh.pipeline;

import io.usermesh.config.Action;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.UserChange;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Message;

/** Describes the (change, target) at hand in the headers that routes/custom-rules.camel.yaml reads. */
public final class RuleHeaders {

    /** Called by change-pipeline just before direct:custom-rules. */
    public void describe(Delivery delivery, Message message) {
        UserChange change = delivery.change();
        message.setHeader("UsermeshSource", change.sourceSite());
        message.setHeader("UsermeshTarget", delivery.target());
        message.setHeader("UsermeshAction", action(change, delivery.groups()));
        message.setHeader("UsermeshEmail", change.state().email());
        message.setHeader("UsermeshLogin", change.state().username());
        message.setHeader("UsermeshRoles", String.join(",", change.state().roles()));
        message.setHeader("UsermeshOrigin", change.origin().dbValue());
        message.removeHeader(Skips.SKIP);
    }

    /** An edit that carries one kind of field only is named after it (roles, metadata, password). */
    static String action(UserChange change, Set<FieldGroup> groups) {
        Action action = change.kind().action();
        Set<Action> carried = groups.stream().map(FieldGroup::action).collect(Collectors.toSet());
        if (action == Action.EDIT && carried.size() == 1) {
            action = carried.iterator().next();
        }
        return action.dbValue();
    }
}
