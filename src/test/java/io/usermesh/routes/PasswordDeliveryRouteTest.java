package io.usermesh.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usermesh.config.SyncSettings;
import io.usermesh.config.UsermeshSettings;
import io.usermesh.detection.Detected;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.CompanionFields;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.testing.FakeWordPress;
import io.usermesh.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A password change delivered by routes/delivery.camel.yaml between two fake sites that run the
 * companion plugin: the hash is read from the source at delivery time and written with the update,
 * and nothing usermesh stores (outbox, audit, dead letters, snapshots) ever holds it.
 */
class PasswordDeliveryRouteTest extends RoutesTestSupport {

    /** Distinct enough to be found anywhere it might leak. */
    private static final String SOURCE_HASH = "$wp$2y$10$SOURCEHASHofAnnOnSiteA0123456789abcdefghij";
    private static final String TARGET_HASH = "$P$BTARGETHASHofAnnOnSiteB0123456";
    private static final long ANN_ON_B = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    String excludedRoutes() {
        return "audit-purge";
    }

    @Override
    UsermeshSettings settings(Path dataDir) {
        // three quick attempts, so a failing target is given up on within the test
        return TestSettings.h2(dataDir, new SyncSettings(20, 3, Duration.ofMillis(20), Duration.ofMillis(50), 5,
                Duration.ofSeconds(30)));
    }

    @BeforeEach
    void sites() {
        FakeWordPress a = wp.get("a");
        FakeWordPress b = wp.get("b");
        a.companion = true;
        b.companion = true;
        wp.get("c").companion = true;
        a.put(7, "ann", "ann@example.test", "Ann", "author");
        a.passwordHash(7, SOURCE_HASH);
        b.put(ANN_ON_B, "ann", "ann@example.test", "Ann", "author");
        b.passwordHash(ANN_ON_B, TARGET_HASH);
    }

    /** What a poll of a finds after ann changed her password there. */
    private static Detected passwordChanged() {
        UserState state = new UserState("ann", "ann@example.test", "ann", "Ann", "", "ann", "", "",
                List.of("author"), Map.of(), new CompanionFields("digest-of-the-new-hash", false, false));
        return new Detected(new UserChange(UUID.randomUUID().toString(), "a", 7, ChangeKind.UPDATED, state,
                EnumSet.of(FieldGroup.PASSWORD), "fp-before", Origin.POLL, Instant.now(), List.of("a")), null);
    }

    private List<String> audit() {
        return jdbc.query("SELECT target_site, action, status FROM sync_log ORDER BY id",
                rs -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
    }

    /** Every row of every table, as H2 scripts the database. */
    private String wholeDatabase() {
        return String.join("\n", jdbc.query("SCRIPT", rs -> rs.getString(1)));
    }

    private void assertNoHashStored() {
        String everything = wholeDatabase();
        assertTrue(everything.contains("digest-of-the-new-hash"), "the dump holds the rows");
        assertFalse(everything.contains(SOURCE_HASH), "the hash is stored nowhere");
        for (String table : List.of("outbox", "sync_log", "dead_letter", "user_snapshot")) {
            for (String row : jdbc.query("SELECT * FROM " + table, rs -> {
                StringBuilder text = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    text.append(rs.getString(i)).append('|');
                }
                return text.toString();
            })) {
                assertFalse(row.contains(SOURCE_HASH), table + ": " + row);
                assertFalse(row.contains("SOURCEHASH"), table + ": " + row);
            }
        }
    }

    private void awaitRows(String sql, long rows) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (count(sql) != rows && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(rows, count(sql), sql);
    }

    @Test
    void theSourcesHashIsReadAtDeliveryAndWrittenToTheTargetThroughTheCompanion() throws Exception {
        template.sendBody("direct:change-detected", passwordChanged());
        awaitRows("SELECT COUNT(*) FROM outbox WHERE status = 'done'", 1);

        assertEquals(List.of(7L), wp.get("a").passwordReads, "the hash is read from the source, for a's user");
        assertEquals(List.of(), wp.get("b").passwordReads, "not from the target");
        assertEquals(1, wp.get("b").writeBodies.size());
        JsonNode written = JSON.readTree(wp.get("b").writeBodies.get(0));
        assertEquals(SOURCE_HASH, written.path("usermesh").path("password_hash").asText());
        assertFalse(written.has("password"), "never as a plain password: " + written);
        assertEquals(SOURCE_HASH, wp.get("b").passwordHash(ANN_ON_B), "b stores a's hash as is");
        assertEquals(List.of("c edit skipped", "b edit success"), audit());
        assertNoHashStored();
    }

    /**
     * A runner died after its create reached b and before it recorded anything; b's poll has found
     * the new account since (a change made on b, later than the creation on a). Delivered again, the
     * account is b's already, with every field but the password, which no state can compare: the
     * password is written and the row is a success, not a conflict with usermesh's own write.
     */
    @Test
    void aCreateCutOffByACrashIsFinishedNotTakenForAConflict() throws Exception {
        Instant detectedOnA = Instant.now().minusSeconds(120);
        UserState created = UserState.of(io.usermesh.wordpress.WpUser.fromJson(JSON.valueToTree(
                wp.get("b").shown(ANN_ON_B))));
        new io.usermesh.detection.SnapshotStore(db.dataSource()).recordDetected("b", ANN_ON_B, created, null,
                detectedOnA.plusSeconds(60));
        UserState onA = new UserState("ann", "ann@example.test", "ann", "Ann", "", "ann", "", "",
                List.of("author"), Map.of(), new CompanionFields("digest-of-the-new-hash", false, false));
        template.sendBody("direct:change-detected", new Detected(new UserChange(UUID.randomUUID().toString(), "a",
                7, ChangeKind.CREATED, onA, EnumSet.of(FieldGroup.PROFILE, FieldGroup.ROLES, FieldGroup.PASSWORD),
                "", Origin.POLL, detectedOnA, List.of("a")), null));
        awaitRows("SELECT COUNT(*) FROM outbox WHERE status = 'done'", 1);

        assertEquals(List.of("c create skipped", "b edit success"), audit());
        assertEquals(SOURCE_HASH, wp.get("b").passwordHash(ANN_ON_B), "the password the cut-off create carried");
        assertNoHashStored();
    }

    @Test
    void aTargetFailingUntilTheLastAttemptLeavesTheHashNowhere() throws Exception {
        wp.get("b").failWrites = 500;
        template.sendBody("direct:change-detected", passwordChanged());
        awaitRows("SELECT COUNT(*) FROM sync_log WHERE status = 'dead'", 1);

        assertEquals(1, count("SELECT COUNT(*) FROM dead_letter"));
        assertEquals(List.of("c edit skipped", "b edit failed", "b edit failed", "b edit failed", "b edit dead"),
                audit());
        assertEquals(List.of(7L, 7L, 7L), wp.get("a").passwordReads, "each attempt reads the current hash");
        assertTrue(wp.get("b").writeBodies.stream().allMatch(body -> body.contains(SOURCE_HASH)),
                "every attempt carried it");
        assertEquals(TARGET_HASH, wp.get("b").passwordHash(ANN_ON_B));
        assertNoHashStored();
    }

    @Test
    void withoutTheCompanionOnTheTargetThePasswordIsSkippedAndNoHashIsRead() throws Exception {
        wp.get("b").companion = false;
        template.sendBody("direct:change-detected", passwordChanged());

        assertEquals(0, count("SELECT COUNT(*) FROM outbox"), "the change was nothing but the password");
        assertEquals(List.of("c edit skipped", "b password skipped"), audit());
        assertTrue(jdbc.query("SELECT message FROM sync_log WHERE action = 'password'", rs -> rs.getString(1)).get(0)
                .contains("companion plugin is not on b"));
        assertEquals(List.of(), wp.get("a").passwordReads);
    }
}
