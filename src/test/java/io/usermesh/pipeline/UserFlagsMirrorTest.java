package io.usermesh.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.usermesh.detection.Detected;
import io.usermesh.detection.Snapshot;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.CompanionFields;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.UserFlags.Flags;
import io.usermesh.storage.Database;
import io.usermesh.testing.TestSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The companion's profile-screen toggles mirrored into user_flag (UserFlags.mirror), on embedded H2. */
class UserFlagsMirrorTest {

    @TempDir
    Path dataDir;

    Database db;
    UserFlags flags;

    @BeforeEach
    void open() {
        db = Database.open(TestSettings.h2(dataDir));
        db.migrate();
        flags = new UserFlags(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    static UserState ann(CompanionFields companion) {
        return new UserState("ann", "Ann@Example.test", "Ann", "Ann", "Lee", "ann", "", "", List.of("author"),
                Map.of(), companion);
    }

    static CompanionFields toggles(boolean propagationOff, boolean isProtected) {
        return new CompanionFields("digest", propagationOff, isProtected);
    }

    /** A change on site a from {@code before} (null: a new user) to {@code now}. */
    static Detected detected(UserState before, UserState now) {
        ChangeKind kind = before == null ? ChangeKind.CREATED : ChangeKind.UPDATED;
        Set<FieldGroup> groups = before == null ? Set.of(FieldGroup.PROFILE) : now.changedFrom(before);
        UserChange change = new UserChange("e1", "a", 7, kind, now, groups, before == null ? "" : before.fingerprint(),
                Origin.POLL, Instant.now(), List.of("a"));
        Snapshot snapshot = before == null ? null
                : new Snapshot("a", 7, before, before.fingerprint(), Instant.now(), null);
        return new Detected(change, snapshot);
    }

    @Test
    void aToggleChangedOnTheSiteBecomesTheFlag() {
        flags.mirror(detected(ann(toggles(false, false)), ann(toggles(false, true))));
        assertEquals(new Flags(false, true), flags.get("a", "ann@example.test"));

        flags.mirror(detected(ann(toggles(false, true)), ann(toggles(true, true))));
        assertEquals(new Flags(true, true), flags.get("a", "ann@example.test"));

        flags.mirror(detected(ann(toggles(true, true)), ann(toggles(false, false))));
        assertEquals(Flags.NONE, flags.of("a", ann(null)), "unticked on the site: cleared");
    }

    @Test
    void aToggleAlreadyOnWhenTheCompanionFirstShowsIsTaken() {
        flags.mirror(detected(ann(null), ann(toggles(true, false))));
        assertEquals(new Flags(true, false), flags.of("a", ann(null)));
    }

    @Test
    void aNewUserWithAToggleOnIsTaken() {
        flags.mirror(detected(null, ann(toggles(false, true))));
        assertEquals(new Flags(false, true), flags.of("a", ann(null)));
    }

    @Test
    void theFirstAppearanceWithEveryToggleOffClearsNoFlagSetEarlier() {
        flags.set("a", "ann@example.test", new Flags(true, true));

        flags.mirror(detected(ann(null), ann(toggles(false, false))));
        assertEquals(new Flags(true, true), flags.of("a", ann(null)), "the companion just appeared");

        flags.mirror(detected(null, ann(toggles(false, false))));
        assertEquals(new Flags(true, true), flags.of("a", ann(null)), "a new user's snapshot");
    }

    @Test
    void unchangedTogglesDoNotUndoAFlagSetThroughTheApi() {
        flags.set("a", "ann", new Flags(false, true)); // the API, while the site could not be told

        UserState before = new UserState("ann", "Ann@Example.test", "Ann", "Ann", "Lee", "ann", "", "",
                List.of("author"), Map.of(), toggles(false, false));
        UserState renamed = new UserState("ann", "Ann@Example.test", "Anna", "Anna", "Lee", "ann", "", "",
                List.of("author"), Map.of(), toggles(false, false));
        flags.mirror(detected(before, renamed));

        assertEquals(new Flags(false, true), flags.of("a", renamed));
    }

    @Test
    void aToggleTurnedOffOnTheSiteClearsAFlagSetUnderTheLogin() {
        flags.set("a", "ann", new Flags(false, true)); // the API, by login; the site was told and shows it

        flags.mirror(detected(ann(toggles(false, true)), ann(toggles(false, false))));

        assertEquals(Flags.NONE, flags.of("a", ann(null)), "the person unticked protection on the profile screen");
    }

    @Test
    void aDeletionOrASiteWithoutTheCompanionChangesNothing() {
        flags.set("a", "ann@example.test", new Flags(true, false));
        UserChange deleted = new UserChange("e1", "a", 7, ChangeKind.DELETED, ann(toggles(false, true)), Set.of(), "fp",
                Origin.POLL, Instant.now(), List.of("a"));
        flags.mirror(new Detected(deleted, new Snapshot("a", 7, ann(toggles(true, false)), "fp", Instant.now(), null)));
        flags.mirror(detected(ann(null), ann(null)));

        assertEquals(new Flags(true, false), flags.of("a", ann(null)));
    }
}
