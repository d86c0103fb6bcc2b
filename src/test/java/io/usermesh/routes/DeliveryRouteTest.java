package io.usermesh.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.delivery.AppliedChanges;
import io.usermesh.delivery.Outbox;
import io.usermesh.detection.Detected;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Json;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.Delivery;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** routes/delivery.camel.yaml and the route configuration delivery-errors as shipped, against in-JVM fake sites. */
class DeliveryRouteTest extends RoutesTestSupport {

    @Override
    String excludedRoutes() {
        return "audit-purge";
    }

    private static Detected created(String login) {
        UserState state = new UserState(login, login + "@example.test", login, login, "", login, "", "",
                List.of("author"), Map.of());
        return new Detected(new UserChange(UUID.randomUUID().toString(), "a", 7, ChangeKind.CREATED, state,
                EnumSet.of(FieldGroup.PROFILE, FieldGroup.ROLES), "", Origin.POLL, Instant.now(), List.of("a")), null);
    }

    private List<String> audit() {
        return jdbc.query("SELECT target_site, action, status FROM sync_log ORDER BY id",
                rs -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
    }

    private String outboxStatus() {
        return jdbc.query("SELECT status FROM outbox ORDER BY id DESC", rs -> rs.getString(1)).get(0);
    }

    /** Waits (10 s at most) until the query counts {@code rows}: the route's last step has committed. */
    private void awaitRows(String sql, long rows) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (count(sql) != rows && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void aQueuedCreateIsAppliedRecordedLinkedAuditedAndTheRowDone() {
        template.sendBody("direct:change-detected", created("ann"));

        awaitRows("SELECT COUNT(*) FROM outbox WHERE status = 'done'", 1);
        Map<String, Object> onB = wp.get("b").byEmail("ann@example.test");
        assertNotNull(onB, "ann was created on b");
        assertEquals("done", outboxStatus());
        assertEquals(List.of("c create skipped", "b create success"), audit());
        assertEquals(1, count("SELECT COUNT(*) FROM user_snapshot WHERE site_id = 'b' AND wp_user_id = ?",
                ((Number) onB.get("id")).longValue()), "b's snapshot holds the write: b's next poll sees nothing");
        assertEquals(1, count("SELECT COUNT(DISTINCT person_id) FROM user_link WHERE (site_id = 'a' AND wp_user_id = 7)"
                + " OR (site_id = 'b' AND wp_user_id = ?)", ((Number) onB.get("id")).longValue()),
                "a's user and b's new user are linked as one person");
        assertEquals(1, count("SELECT COUNT(*) FROM outbox"), "nothing goes back to a: it is on the path");
    }

    /** b was polled before (its snapshot is the index): nobody named ann there, so the create is posted at once. */
    private void baselineOfB() {
        new SnapshotStore(db.dataSource()).recordBaseline("b", 1, new UserState("admin", "admin@b.test", "admin",
                "", "", "admin", "", "", List.of("administrator"), Map.of()), Instant.now());
    }

    @Test
    void aCreateForAPolledTargetIsOneRequestWithoutSearchingTheSite() {
        baselineOfB();
        template.sendBody("direct:change-detected", created("ann"));

        awaitRows("SELECT COUNT(*) FROM outbox WHERE status = 'done'", 1);
        assertNotNull(wp.get("b").byEmail("ann@example.test"), "ann was created on b");
        assertEquals(0, wp.get("b").searches.get(), "the target's snapshot answered the lookup");
        assertEquals(1, wp.get("b").writes.get());
    }

    /** b's audit rows: one per delivery to b, written when the delivery is done. */
    private static final String B_ROWS = "SELECT COUNT(*) FROM sync_log WHERE target_site = 'b'";

    /** Ann's edit on a: her first name now {@code firstName}, detected now. */
    private Detected edited(String firstName) {
        UserState state = new UserState("ann", "ann@example.test", "ann", firstName, "", "ann", "", "",
                List.of("author"), Map.of());
        var before = new SnapshotStore(db.dataSource()).find("a", 7).orElseThrow();
        return new Detected(new UserChange(UUID.randomUUID().toString(), "a", 7, ChangeKind.UPDATED, state,
                EnumSet.of(FieldGroup.PROFILE), before.fingerprint(), Origin.POLL, Instant.now(), List.of("a")),
                before);
    }

    /** Ann created on b by a first delivery: linked, and b's snapshot holds what was written. */
    private long annOnB() {
        baselineOfB();
        template.sendBody("direct:change-detected", created("ann"));
        awaitRows(B_ROWS, 1);
        return ((Number) wp.get("b").byEmail("ann@example.test").get("id")).longValue();
    }

    @Test
    void anEditOfALinkedUserIsOneWriteOfTheChangedFieldsWithoutReadingTheUser() {
        annOnB();
        int reads = wp.get("b").reads.get();
        int writes = wp.get("b").writes.get();
        template.sendBody("direct:change-detected", edited("Anna"));

        awaitRows(B_ROWS, 2);
        assertEquals("Anna", wp.get("b").byEmail("ann@example.test").get("first_name"));
        assertEquals(reads, wp.get("b").reads.get(), "b's snapshot was the before: no read");
        assertEquals(writes + 1, wp.get("b").writes.get());
        String body = wp.get("b").writeBodies.get(wp.get("b").writeBodies.size() - 1);
        assertEquals("{\"first_name\":\"Anna\"}", body, "only what differs is written");
    }

    @Test
    void theRoutesBookkeepingHeadersStayInTheRunner() {
        annOnB();
        template.sendBody("direct:change-detected", edited("Anna"));
        awaitRows(B_ROWS, 2);

        Set<String> sent = wp.get("b").writeHeaderNames;
        assertTrue(sent.stream().anyMatch(h -> h.equalsIgnoreCase("Authorization")), "the writes were seen: " + sent);
        assertEquals(List.of(), sent.stream().filter(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("usermesh"))
                .toList(), "no Usermesh* header reaches the site (they name the user's email, the action...)");
    }

    /**
     * What an edit of a linked user costs the database, seen in the statements the runner prepares from
     * its detection to its audit row: the target's snapshot is read once (the lookup's read serves the
     * conflict check too) and the known link is read, never written again. The applied key's check and
     * add are no transactions of their own. The change's onward hop from b, whose only link leads back
     * to a, reads nothing at all.
     */
    @Test
    void anEditOfALinkedUserReadsItsSnapshotOnceAndDoesNotRewriteItsLink() {
        annOnB();
        awaitRows("SELECT COUNT(*) FROM outbox WHERE status = 'done'", 1);
        int before = runnerDb.statements();
        template.sendBody("direct:change-detected", edited("Anna"));

        awaitRows(B_ROWS, 2);
        awaitRows("SELECT COUNT(*) FROM outbox WHERE status = 'done'", 2);
        List<String> sql = runnerDb.since(before);
        String all = String.join("\n", sql);
        assertEquals(1, sql.stream().filter(q -> q.startsWith("SELECT") && q.contains("FROM user_snapshot WHERE")
                && q.contains("wp_user_id = ?")).count(), "reads of b's snapshot of ann:\n" + all);
        assertTrue(sql.stream().noneMatch(q -> q.matches("(INSERT INTO|UPDATE|DELETE FROM) user_link.*")),
                "the link was written again:\n" + all);
        assertEquals(1, sql.stream().filter(q -> q.contains("FROM user_link WHERE")).count(),
                "the known link is read once when the write is recorded:\n" + all);
        for (int i = 0; i < sql.size(); i++) {
            if (sql.get(i).contains("CAMEL_MESSAGEPROCESSED")) {
                assertTrue((i == 0 || !sql.get(i - 1).equals("BEGIN")) && (i + 1 == sql.size()
                        || !sql.get(i + 1).equals("COMMIT")),
                        "the applied key is checked and added without a transaction of its own:\n" + all);
            }
        }
        int done = sql.indexOf(sql.stream().filter(q -> q.startsWith("UPDATE outbox SET status")).findFirst()
                .orElseThrow());
        assertTrue(sql.subList(done, sql.size()).stream().noneMatch(q -> q.contains("FROM user_flag")),
                "the onward hop from b (its only link leads back to a) reads no flags:\n" + all);
    }

    @Test
    void anEditOverAFieldChangedOnACompanionTargetSinceItsLastPollIsAConflictNotAnOverwrite() {
        wp.get("b").companion = true;
        long id = annOnB();
        wp.get("b").set(id, "first_name", "Bea"); // changed on b; b not polled since
        template.sendBody("direct:change-detected", edited("Anna"));

        awaitRows(B_ROWS, 2);
        assertEquals("Bea", wp.get("b").byEmail("ann@example.test").get("first_name"), "b's later change stands");
        assertTrue(audit().contains("b edit conflict"), audit().toString());
        assertTrue(!audit().contains("b edit success"), audit().toString());
        assertEquals(409, count("SELECT http_status FROM sync_log WHERE status = 'conflict'"));
    }

    @Test
    void aLinkedUserDeletedOnTheTargetSinceItsLastPollIsCreatedAgainNotLost() {
        long id = annOnB();
        wp.get("b").remove(id);
        template.sendBody("direct:change-detected", edited("Anna"));

        awaitRows(B_ROWS, 2);
        Map<String, Object> again = wp.get("b").byEmail("ann@example.test");
        assertNotNull(again, "ann is on b again");
        assertEquals("Anna", again.get("first_name"));
        assertEquals(1, count("SELECT COUNT(*) FROM user_link WHERE site_id = 'b' AND wp_user_id = "
                + again.get("id")), "linked to the new account");
        assertEquals(0, count("SELECT COUNT(*) FROM user_snapshot WHERE site_id = 'b' AND wp_user_id = " + id));
    }

    @Test
    void theSecondWriteOfALinkedUserDeletedSinceIsTheRoutesCamelHttpStepToo() throws Exception {
        long id = annOnB();
        wp.get("b").remove(id);
        org.apache.camel.builder.AdviceWith.adviceWith(context, "deliver-b", route -> route
                .weaveById("http-create-again").replace()
                .process(exchange -> exchange.getMessage().setHeader("CamelHttpResponseCode", 503)));
        template.sendBody("direct:change-detected", edited("Anna"));

        awaitRows("SELECT COUNT(*) FROM sync_log WHERE status = 'failed'", 1);
        assertNull(wp.get("b").byEmail("ann@example.test"), "the create again never reached b");
        assertTrue(jdbc.query("SELECT message FROM sync_log WHERE status = 'failed'", rs -> rs.getString(1)).get(0)
                .contains("create on b failed: 503 server error"));
    }

    @Test
    void aUserMadeOnThePolledTargetSinceItsLastPollIsUpdatedNeverDuplicated() {
        baselineOfB();
        wp.get("b").put(40, "ann", "ann@example.test", "Old", "author"); // made on b after its last poll
        template.sendBody("direct:change-detected", created("ann"));

        awaitRows("SELECT COUNT(*) FROM outbox WHERE status = 'done'", 1);
        assertEquals("ann", wp.get("b").byEmail("ann@example.test").get("first_name"), "b's ann was updated");
        assertEquals(40L, ((Number) wp.get("b").byEmail("ann@example.test").get("id")).longValue(), "not a second ann");
        assertEquals(List.of("c create skipped", "b edit success"), audit());
        assertEquals(1, count("SELECT COUNT(DISTINCT person_id) FROM user_link WHERE (site_id = 'a' AND wp_user_id = 7)"
                + " OR (site_id = 'b' AND wp_user_id = 40)"), "and linked to a's ann");
    }

    @Test
    void theSameChangeQueuedTwiceIsAppliedOnce() {
        template.sendBody("direct:change-detected", created("ann"));
        awaitRows("SELECT COUNT(*) FROM outbox WHERE status = 'done'", 1);
        Delivery again = Json.read(jdbc.query("SELECT payload FROM outbox", rs -> rs.getString(1)).get(0),
                Delivery.class);
        int writes = wp.get("b").writes.get();

        new Outbox(db.dataSource(), Clock.systemUTC()).add(again); // a second runner detected the same change
        awaitRows("SELECT COUNT(*) FROM outbox WHERE status = 'done'", 2);

        assertEquals("done", outboxStatus());
        assertEquals(writes, wp.get("b").writes.get(), "the idempotent consumer let nothing through to b");
        assertEquals(List.of("c create skipped", "b create success"), audit(), "and wrote no second row");
    }

    @Test
    void aRetryableFailureIsRetriedLaterAndNotTakenAsApplied() {
        wp.get("b").failWrites = 503;
        template.sendBody("direct:change-detected", created("ann"));
        awaitRows("SELECT COUNT(*) FROM sync_log WHERE status = 'failed'", 1);

        assertEquals("pending", outboxStatus());
        assertEquals(1, count("SELECT attempts FROM outbox"));
        assertTrue(jdbc.query("SELECT next_attempt_at FROM outbox", rs -> rs.getTimestamp(1).toInstant()).get(0)
                .isAfter(Instant.now().plusSeconds(1)), "the next attempt waits its backoff");
        assertEquals(List.of("c create skipped", "b create failed"), audit());
        assertEquals(0, count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ?",
                AppliedChanges.PROCESSOR), "a failed delivery is not in the idempotent repository");
    }

    @Test
    void aFailureThatRetryingCannotFixGoesToDeadLetters() {
        wp.get("b").failWrites = 400;
        template.sendBody("direct:change-detected", created("ann"));
        awaitRows("SELECT COUNT(*) FROM sync_log WHERE status = 'dead'", 1);

        assertEquals("dead", outboxStatus());
        assertEquals(1, count("SELECT COUNT(*) FROM dead_letter"));
        assertEquals(List.of("c create skipped", "b create failed", "b create dead"), audit());
    }

    @Test
    void aChangeIsTakenAsAppliedOnlyOnceItWasApplied() throws InterruptedException {
        // were the key stored before the write (an eager idempotent consumer), a runner killed while the
        // write is under way would leave the change marked applied and never applied
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        wp.get("b").holdWrites = hold;
        template.sendBody("direct:change-detected", created("ann"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (wp.get("b").writes.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long appliedMidway;
        try {
            assertEquals(1, wp.get("b").writes.get(), "the write is under way");
            appliedMidway = count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED");
        } finally {
            hold.countDown();
        }
        assertEquals(0, appliedMidway, "and not yet taken as applied");
        awaitRows("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED", 1); // stored as the exchange completes
        assertEquals(1, count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED"), "applied now");
    }

    @Test
    void aDatabaseDeadlockIsRetriedLaterNotDeadLettered() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean(true);
        org.apache.camel.builder.AdviceWith.adviceWith(context, "deliver-b", route -> route
                .weaveById("snapshot-and-link").before().process(exchange -> {
                    if (once.getAndSet(false)) {
                        throw new io.usermesh.storage.StorageException("INSERT INTO user_snapshot",
                                new java.sql.SQLTransactionRollbackException("Deadlock found", "40001"));
                    }
                }));
        template.sendBody("direct:change-detected", created("ann"));
        awaitRows("SELECT COUNT(*) FROM sync_log WHERE status = 'failed'", 1);

        assertEquals("pending", outboxStatus());
        assertEquals(1, count("SELECT attempts FROM outbox"));
        assertEquals(0, count("SELECT COUNT(*) FROM dead_letter"));
        assertTrue(jdbc.query("SELECT message FROM sync_log WHERE status = 'failed'", rs -> rs.getString(1)).get(0)
                .contains("database busy"));
    }

    @Test
    void aFailureInTheDeliveredTransactionRollsItBackAndIsRetriedLater() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean(true);
        org.apache.camel.builder.AdviceWith.adviceWith(context, "delivered", route -> route.weaveAddLast()
                .process(exchange -> {
                    if (once.getAndSet(false)) {
                        throw new io.usermesh.storage.StorageException("INSERT INTO outbox",
                                new java.sql.SQLTransactionRollbackException("Deadlock found", "40001"));
                    }
                }));
        template.sendBody("direct:change-detected", created("ann"));
        awaitRows("SELECT COUNT(*) FROM sync_log WHERE status = 'failed'", 1);

        assertEquals("pending", outboxStatus(), "the row done was rolled back");
        assertEquals(1, count("SELECT attempts FROM outbox"));
        assertEquals(List.of("c create skipped", "b create failed"), audit(), "so was the success row");
        assertEquals(0, count("SELECT COUNT(*) FROM dead_letter"));
    }

    @Test
    void theWriteIsTheRoutesCamelHttpStep() throws Exception {
        // the site answers 503 through the route's http step, replaced here: nothing reaches b
        org.apache.camel.builder.AdviceWith.adviceWith(context, "deliver-b", route -> route.weaveById("http-create")
                .replace().process(exchange -> exchange.getMessage().setHeader("CamelHttpResponseCode", 503)));
        template.sendBody("direct:change-detected", created("ann"));
        awaitRows("SELECT COUNT(*) FROM sync_log WHERE status = 'failed'", 1);

        assertEquals(0, wp.get("b").writes.get());
        assertEquals("pending", outboxStatus(), "503 is retried later");
        assertTrue(jdbc.query("SELECT message FROM sync_log WHERE status = 'failed'", rs -> rs.getString(1)).get(0)
                .contains("create on b failed: 503 server error"));
    }

    @Test
    void theRequestsCredentialsDoNotOutliveTheWrite() throws Exception {
        java.util.List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.apache.camel.builder.AdviceWith.adviceWith(context, "deliver-b", route -> route
                .weaveById("snapshot-and-link").before().process(exchange -> seen.add(
                        exchange.getMessage().getHeader("Authorization") != null))); // never the value: a secret
        template.sendBody("direct:change-detected", created("ann"));
        awaitRows("SELECT COUNT(*) FROM outbox WHERE status = 'done'", 1);

        assertEquals(1, wp.get("b").writes.get());
        assertEquals(List.of(false), seen, "the Authorization header is gone once the answer is read");
    }
}
