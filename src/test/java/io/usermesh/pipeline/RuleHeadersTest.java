package io.usermesh.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.usermesh.config.Action;
import io.usermesh.config.Direction;
import io.usermesh.config.Link;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The headers custom-rules reads, and the action an edit is named by. */
class RuleHeadersTest {

    static Delivery delivery(ChangeKind kind, Set<FieldGroup> groups) {
        var change = PipelineTest.change("a", kind, groups);
        return new Delivery(new io.usermesh.model.UserChange(change.eventId(), "a", 7, kind, change.state(), groups,
                "", Origin.WEBHOOK, change.detectedAt(), List.of("a")), "b",
                new Link("a", "b", Direction.PUSH, EnumSet.allOf(Action.class), EnumSet.allOf(Action.class), List.of()),
                groups, true);
    }

    @Test
    void describesTheChangeAndTargetAndClearsAnEarlierSkip() {
        Message message = new DefaultExchange(new DefaultCamelContext()).getMessage();
        message.setHeader("UsermeshSkip", "left over from another target");
        new RuleHeaders().describe(delivery(ChangeKind.CREATED, Set.of(FieldGroup.PROFILE)), message);

        assertEquals("a", message.getHeader("UsermeshSource"));
        assertEquals("b", message.getHeader("UsermeshTarget"));
        assertEquals("create", message.getHeader("UsermeshAction"));
        assertEquals("ann@example.test", message.getHeader("UsermeshEmail"));
        assertEquals("ann", message.getHeader("UsermeshLogin"));
        assertEquals("author", message.getHeader("UsermeshRoles"));
        assertEquals("webhook", message.getHeader("UsermeshOrigin"));
        assertNull(message.getHeader("UsermeshSkip"), "each target starts without a skip");
    }

    @Test
    void anEditCarryingOneKindOfFieldIsNamedAfterIt() {
        assertEquals("roles", RuleHeaders.action(delivery(ChangeKind.UPDATED, Set.of()).change(),
                Set.of(FieldGroup.ROLES)));
        assertEquals("metadata", RuleHeaders.action(delivery(ChangeKind.UPDATED, Set.of()).change(),
                Set.of(FieldGroup.METADATA)));
        assertEquals("edit", RuleHeaders.action(delivery(ChangeKind.UPDATED, Set.of()).change(),
                Set.of(FieldGroup.PROFILE, FieldGroup.ROLES)));
        assertEquals("delete", RuleHeaders.action(delivery(ChangeKind.DELETED, Set.of()).change(), Set.of()));
    }
}
