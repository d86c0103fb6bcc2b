package io.usermesh.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.usermesh.detection.Detected;
import io.usermesh.detection.Snapshot;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.CompanionFields;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.UserFlags;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** routes/pipeline.camel.yaml with the companion's toggles: change-detected mirrors them, and sends on only what syncs. */
class CompanionTogglesRouteTest extends RoutesTestSupport {

    private static UserState ann(String first, boolean propagationOff, boolean isProtected) {
        return new UserState("ann", "ann@example.test", first, first, "", "ann", "", "", List.of("author"), Map.of(),
                new CompanionFields("digest-1", propagationOff, isProtected));
    }

    /** The update from a's snapshot to {@code now}, as a poll would find it. */
    private Detected updated(UserState now) {
        Snapshot before = new SnapshotStore(db.dataSource()).find("a", 7).orElseThrow();
        Set<FieldGroup> groups = now.changedFrom(before.state());
        return new Detected(new UserChange(UUID.randomUUID().toString(), "a", 7, ChangeKind.UPDATED, now, groups,
                before.fingerprint(), Origin.POLL, Instant.now(), List.of("a")), before);
    }

    private String fingerprintOfA() {
        return jdbc.query("SELECT fingerprint FROM user_snapshot WHERE site_id = 'a' AND wp_user_id = 7",
                rs -> rs.getString(1)).get(0);
    }

    @Test
    void anUpdateOfTheTogglesAloneIsRecordedAndMirroredAndGoesNoFurther() {
        UserState before = ann("Ann", false, false);
        new SnapshotStore(db.dataSource()).recordBaseline("a", 7, before, Instant.now().minusSeconds(60));
        UserState now = ann("Ann", false, true);
        Detected detected = updated(now);
        assertEquals(Set.of(), detected.change().groups(), "nothing synced changed");

        template.sendBody("direct:change-detected", detected);

        assertEquals(now.fingerprint(), fingerprintOfA(), "the snapshot moved on: the next poll sees nothing");
        assertEquals(new UserFlags.Flags(false, true), new UserFlags(db.dataSource()).of("a", now),
                "the profile screen's protection is the user's flag");
        assertEquals(0, count("SELECT COUNT(*) FROM outbox"));
        assertEquals(0, count("SELECT COUNT(*) FROM sync_log"), "no audit row: there was nothing to send");
    }

    @Test
    void togglesWithAProfileChangeStillSendTheProfile() {
        new SnapshotStore(db.dataSource()).recordBaseline("a", 7, ann("Ann", false, false),
                Instant.now().minusSeconds(60));
        UserState now = ann("Anna", false, true);
        Detected detected = updated(now);
        assertEquals(EnumSet.of(FieldGroup.PROFILE), detected.change().groups());

        template.sendBody("direct:change-detected", detected);

        assertEquals(new UserFlags.Flags(false, true), new UserFlags(db.dataSource()).of("a", now));
        assertEquals(List.of("b"), jdbc.query("SELECT target_site FROM outbox", rs -> rs.getString(1)));
    }
}
