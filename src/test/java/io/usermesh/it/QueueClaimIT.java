package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.Action;
import io.usermesh.config.Direction;
import io.usermesh.config.Link;
import io.usermesh.config.Secret;
import io.usermesh.delivery.Outbox;
import io.usermesh.delivery.Queued;
import io.usermesh.detection.PushQueue;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Json;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.Delivery;
import io.usermesh.storage.Database;
import io.usermesh.testing.TestSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * On MariaDB, a claim of the outbox or of the push queue reads the pending rows it takes, not the
 * finished history before them: with 50,000 done rows in the table (the history of a busy week) and a
 * burst of 1,000 pending behind them, the rows the server reads for one claim stay in the hundreds.
 * Counted by the server itself, on the claim's connection. (Ordered by id alone, the claim made MariaDB
 * walk the primary key: 50,020 rows read here.)
 */
class QueueClaimIT {

    private static final int HISTORY = 50_000;
    private static final int BURST = 1_000;

    @TempDir
    Path dataDir;

    @Test
    void aClaimReadsThePendingRowsNotTheFinishedHistory() throws Exception {
        try (MariaDb mariaDb = MariaDb.create();
                Database db = Database.open(TestSettings.withDb(mariaDb.url(), MariaDb.USER,
                        Secret.of(MariaDb.PASSWORD), dataDir))) {
            db.migrate();
            try (Connection c = mariaDb.connect(); Statement s = c.createStatement()) {
                insert(c, rows("done", "site8", 1, HISTORY));
                // a burst waiting behind them, as after a bulk import: the case in which MariaDB would
                // rather walk the primary key in id order than sort the pending rows
                insert(c, rows("pending", "site8", HISTORY + 1, HISTORY + BURST));
                insert(c, rows("pending", "site9", HISTORY + BURST + 1, HISTORY + 2 * BURST));
                s.executeUpdate(pushes("done", 1, HISTORY));
                s.executeUpdate(pushes("pending", HISTORY + 1, HISTORY + BURST));
                s.execute("ANALYZE TABLE outbox, push_event");
            }
            List<Long> oldestPending;
            try (Connection c = mariaDb.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT id FROM outbox WHERE status = 'pending' AND target_site = 'site8' ORDER BY id LIMIT 4")) {
                oldestPending = new java.util.ArrayList<>();
                while (rs.next()) {
                    oldestPending.add(rs.getLong(1));
                }
            }
            SingleConnectionDataSource one = new SingleConnectionDataSource(mariaDb.url(), MariaDb.USER,
                    MariaDb.PASSWORD, true);
            try {
                long before = rowsRead(one);
                List<Queued> claimed = new Outbox(one, Clock.systemUTC()).claim("site8", 4, "runner-1",
                        Duration.ofMinutes(2));
                long outboxRows = rowsRead(one) - before;
                assertEquals(oldestPending, claimed.stream().map(Queued::id).toList(), "site8's four oldest pending rows");

                before = rowsRead(one);
                int pushes = new PushQueue(one, Clock.systemUTC()).claimDue().stream()
                        .mapToInt(batch -> batch.events().size()).sum();
                long pushRows = rowsRead(one) - before;
                assertTrue(pushes > 0, "pending pushes claimed");

                assertTrue(outboxRows < 1_000, "rows the server read for one outbox claim: " + outboxRows);
                assertTrue(pushRows < 1_000, "rows the server read for one push claim: " + pushRows);
            } finally {
                one.destroy();
            }
        }
    }

    /** Rows this connection's statements have read so far, through any index or by scanning. */
    private static long rowsRead(SingleConnectionDataSource one) throws SQLException {
        long rows = 0;
        try (Statement s = one.getConnection().createStatement();
                ResultSet rs = s.executeQuery("SHOW SESSION STATUS WHERE Variable_name IN ('Handler_read_next',"
                        + " 'Handler_read_prev', 'Handler_read_rnd_next', 'Handler_read_first', 'Handler_read_key')")) {
            while (rs.next()) {
                rows += rs.getLong(2);
            }
        }
        return rows;
    }

    /** Outbox rows FROM..TO (one user each), every one carrying the same delivery. */
    private static String rows(String status, String target, int from, int to) {
        return "INSERT INTO outbox (created_at, event_id, source_site, source_user_id, target_site, user_key, payload,"
                + " status, attempts, next_attempt_at, updated_at) SELECT NOW(3), CONCAT('e', seq), 'site7', seq,"
                + " '" + target + "', CONCAT('u', seq, '@example.test'), ?, '" + status + "', 0,"
                + " NOW(3) - INTERVAL 1 SECOND, NOW(3) FROM seq_" + from + "_to_" + to;
    }

    private static void insert(Connection c, String sql) throws SQLException {
        UserState ann = new UserState("ann", "ann@example.test", "Ann", "Ann", "Lee", "ann", "", "",
                List.of("subscriber"), Map.of());
        UserChange change = new UserChange("e1", "site7", 7, ChangeKind.UPDATED, ann, EnumSet.of(FieldGroup.PROFILE),
                "", Origin.POLL, Instant.now(), List.of("site7"));
        Link link = new Link("site7", "site8", Direction.PUSH, EnumSet.allOf(Action.class),
                EnumSet.allOf(Action.class), List.of());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, Json.write(new Delivery(change, "site8", link, change.groups(), true)));
            ps.executeUpdate();
        }
    }

    private static String pushes(String status, int from, int to) {
        return "INSERT INTO push_event (received_at, site_id, wp_user_id, topic, delivery_id, status, attempts,"
                + " next_attempt_at, updated_at) SELECT NOW(3), 'site7', seq, 'user.updated', CONCAT('d', seq), '"
                + status + "', 0, NOW(3) - INTERVAL 1 SECOND, NOW(3) FROM seq_" + from + "_to_" + to;
    }
}
