package io.usermesh.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.usermesh.detection.Detected;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Route outbox-refill: a delivery that ends claims its target's next due changes at once. With the
 * outbox-dispatch timer slowed to a minute, a burst larger than one claim (twice the target's limit)
 * is still delivered whole, without waiting for the next tick.
 */
class OutboxRefillRouteTest extends RoutesTestSupport {

    @Override
    String excludedRoutes() {
        return "audit-purge";
    }

    @Override
    protected java.util.Properties useOverridePropertiesWithPropertiesComponent() {
        java.util.Properties slow = new java.util.Properties();
        slow.put("usermesh.outbox.periodMs", "60000");
        return slow;
    }

    private static Detected created(int n) {
        UserState state = new UserState("u" + n, "u" + n + "@example.test", "U", "U", "", "u" + n, "", "",
                List.of("author"), Map.of());
        return new Detected(new UserChange(UUID.randomUUID().toString(), "a", 100 + n, ChangeKind.CREATED, state,
                EnumSet.of(FieldGroup.PROFILE, FieldGroup.ROLES), "", Origin.POLL, Instant.now(), List.of("a")), null);
    }

    @Test
    void aDeliveryThatEndsClaimsTheTargetsNextChangesWithoutWaitingForTheTimer() throws InterruptedException {
        new SnapshotStore(db.dataSource()).recordBaseline("b", 1, new UserState("admin", "admin@b.test", "admin",
                "", "", "admin", "", "", List.of("administrator"), Map.of()), Instant.now());
        int burst = 20;
        for (int n = 0; n < burst; n++) {
            template.sendBody("direct:change-detected", created(n));
        }
        // a start, whatever the timer's first tick took: one claim (at most 2 x 4 rows); every row after
        // those is claimed by a delivery that ended
        template.sendBody("direct:outbox-refill", "b");
        long deadline = System.nanoTime() + 20_000_000_000L; // well inside the timer's next tick
        while (count("SELECT COUNT(*) FROM sync_log WHERE target_site = 'b'") < burst && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(burst, count("SELECT COUNT(*) FROM sync_log WHERE target_site = 'b' AND status = 'success'"));
        assertEquals(burst, wp.get("b").writes.get());
    }
}
