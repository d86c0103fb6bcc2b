package io.usermesh.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.usermesh.detection.Detected;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.UserFlags;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;

/** routes/pipeline.camel.yaml and custom-rules.camel.yaml as shipped, driven through direct:change-detected. */
class PipelineRouteTest extends RoutesTestSupport {

    private static Detected created(String login) {
        UserState state = new UserState(login, login + "@example.test", login, login, "", login, "", "",
                List.of("author"), Map.of());
        UserChange change = new UserChange(UUID.randomUUID().toString(), "a", 7, ChangeKind.CREATED, state,
                EnumSet.of(FieldGroup.PROFILE, FieldGroup.ROLES), "", Origin.POLL, Instant.now(), List.of("a"));
        return new Detected(change, null);
    }

    private List<String> audit() {
        return jdbc.query("SELECT target_site, status, message FROM sync_log ORDER BY id",
                rs -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
    }

    @Test
    void aDetectedChangeIsRecordedAndQueuedForEachTargetThatAcceptsIt() {
        template.sendBody("direct:change-detected", created("ann")); // direct: done when it returns

        assertEquals(1, count("SELECT COUNT(*) FROM user_snapshot WHERE site_id = 'a' AND wp_user_id = 7"));
        assertEquals(List.of("b"), jdbc.query("SELECT target_site FROM outbox", rs -> rs.getString(1)));
        assertEquals(List.of("c skipped target c has prohibitIncoming set"), audit());
    }

    @Test
    void aSourceRuleRefusalStopsTheChangeForEveryTargetWithAnAuditRowEach() {
        new UserFlags(db.dataSource()).set("a", "ann@example.test", new UserFlags.Flags(true, false));
        template.sendBody("direct:change-detected", created("ann"));

        assertEquals(0, count("SELECT COUNT(*) FROM outbox"));
        assertEquals(List.of("c skipped propagation is off for this user on a",
                "b skipped propagation is off for this user on a"), audit());
    }

    @Test
    void theProtectedFlagOnOneTargetKeepsTheChangeFromThatTargetOnly() {
        new UserFlags(db.dataSource()).set("b", "ann", new UserFlags.Flags(false, true));
        template.sendBody("direct:change-detected", created("ann"));

        assertEquals(0, count("SELECT COUNT(*) FROM outbox"));
        assertEquals(List.of("c skipped target c has prohibitIncoming set", "b skipped user is protected on b"),
                audit());
    }

    @Test
    void aChangeNeverGoesBackToASiteOnItsPath() {
        UserChange hop = created("ann").change().onwardFrom("a", 7, created("ann").change().state());
        // the change came from b to a: from a it may go on to c, never back to b
        UserChange fromB = new UserChange(hop.eventId(), "a", 7, hop.kind(), hop.state(), hop.groups(), "",
                Origin.POLL, hop.detectedAt(), List.of("b", "a"));
        template.sendBody("direct:change", fromB);

        assertEquals(0, count("SELECT COUNT(*) FROM outbox"));
        assertEquals(List.of("c skipped target c has prohibitIncoming set"), audit(), "no row for b: not an echo");
    }

    @Test
    void customRulesSeeTheHeadersAndASkipIsAuditedWithItsReason() throws Exception {
        AdviceWith.adviceWith(context, "custom-rules", route -> route.weaveAddLast()
                .filter(org.apache.camel.builder.Builder.simple("${header.UsermeshTarget} == 'b' && ${header.UsermeshEmail} ends with '@example.test'"
                        + " && ${header.UsermeshAction} == 'create' && ${header.UsermeshOrigin} == 'poll'"
                        + " && ${header.UsermeshRoles} == 'author' && ${header.UsermeshSource} == 'a'"))
                .setHeader("UsermeshSkip", org.apache.camel.builder.Builder.simple("no ${header.UsermeshLogin} on b")));
        template.sendBody("direct:change-detected", created("ann"));

        assertEquals(0, count("SELECT COUNT(*) FROM outbox"));
        assertEquals(List.of("c skipped target c has prohibitIncoming set", "b skipped custom rule: no ann on b"),
                audit());
    }

    @Test
    void aPollKilledBetweenItsSnapshotAdvanceAndItsOutboxWriteLeavesNeither() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean kill = new java.util.concurrent.atomic.AtomicBoolean(true);
        AdviceWith.adviceWith(context, "change-to-target", route -> route.weaveById("outbox-write").before()
                .process(exchange -> {
                    if (kill.get()) {
                        throw new IllegalStateException("killed before the outbox write");
                    }
                }));

        CamelExecutionException killed = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:change-detected", created("ann")));

        assertNotNull(killed.getCause());
        assertEquals(0, count("SELECT COUNT(*) FROM user_snapshot"), "the snapshot advance was rolled back");
        assertEquals(0, count("SELECT COUNT(*) FROM outbox"));
        assertEquals(List.of(), audit(), "so was c's skipped row, written before the fault");

        kill.set(false);
        template.sendBody("direct:change-detected", created("ann"));
        assertEquals(1, count("SELECT COUNT(*) FROM user_snapshot"), "the next poll finds the change again");
        assertEquals(1, count("SELECT COUNT(*) FROM outbox"));
    }
}
