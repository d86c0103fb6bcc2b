package io.usermesh.reconcile;

import io.usermesh.pipeline.PipelineEntry;
import io.usermesh.delivery.UserLinks;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.reconcile.ReconcilePlan.Item;
import io.usermesh.reconcile.ReconcilePlan.Op;
import io.usermesh.storage.Jdbc;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full reconciliation's second half: queues each planned change through route change-pipeline
 * (the pipeline's rules again, then the same delivery as every synced change, audited with origin
 * reconcile), and follows the outbox rows of the run until they are delivered.
 */
public final class Applier {

    private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

    /**
     * How the run ended.
     *
     * @param notApplied delivered but not written: a conflict (the target changed after it was
     *        listed) or a skip (the rules refused it when it was queued)
     * @param waiting still queued when the wait ended (a retry later, or a paused target)
     * @param onwardFailed changes that went on from a target (chains) and failed
     */
    public record Outcome(int planned, int applied, int failed, int notApplied, int waiting, int onwardFailed,
            List<String> problems) {

        public boolean ok() {
            return failed == 0 && notApplied == 0 && waiting == 0 && onwardFailed == 0;
        }

        public void print(PrintWriter out) {
            problems.forEach(out::println);
            out.println("applied " + applied + " of " + planned + " change(s)"
                    + (failed > 0 ? "; " + failed + " failed" : "")
                    + (notApplied > 0 ? "; " + notApplied + " not applied" : "")
                    + (waiting > 0 ? "; " + waiting + " still queued (a runner delivers them)" : "")
                    + (onwardFailed > 0 ? "; " + onwardFailed + " onward change(s) failed" : ""));
            out.flush();
        }
    }

    private record Row(String status, String message) {
    }

    private final DataSource dataSource;
    private final PipelineEntry pipeline;
    private final SnapshotStore snapshots;
    private final UserLinks links;
    private final Clock clock;

    public Applier(DataSource dataSource, PipelineEntry pipeline, SnapshotStore snapshots, Clock clock) {
        this.dataSource = dataSource;
        this.pipeline = pipeline;
        this.snapshots = snapshots;
        this.links = new UserLinks(dataSource);
        this.clock = clock;
    }

    /**
     * Queues every change of the plan; returns how many deliveries were queued.
     *
     * <p>Before an update, the target's snapshot of that user is brought to the state the
     * reconciliation listed when it differs: delivery refuses to overwrite a change it has not seen
     * (a conflict), and the reconciliation has seen it and decided. A change on the target after
     * the listing is still a conflict (where the target runs the companion).
     *
     * <p>Before a create, a link to a user the target no longer has (deleted there behind usermesh's
     * back) is dropped with that user's snapshot: delivery trusts both as its index of the target,
     * and the reconciliation has seen the user is gone.
     */
    public int queue(ReconcilePlan plan) {
        int queued = 0;
        for (Item item : plan.changes()) {
            queued += Jdbc.inTransaction(dataSource, () -> {
                if (item.op() == Op.UPDATE && item.targetUserId() != null && item.targetState() != null) {
                    String listed = item.targetState().fingerprint();
                    snapshots.find(item.target(), item.targetUserId())
                            .filter(s -> !s.fingerprint().equals(listed))
                            .ifPresent(s -> snapshots.recordWritten(item.target(), item.targetUserId(),
                                    item.targetState(), clock.instant()));
                }
                if (item.op() == Op.CREATE) {
                    links.targetId(item.source(), item.sourceUserId(), item.target()).ifPresent(gone -> {
                        links.unlink(item.target(), gone);
                        snapshots.delete(item.target(), gone);
                    });
                }
                return pipeline.send(item.change());
            });
        }
        LOG.info("reconcile {}: {} change(s) queued", plan.runId(), queued);
        return queued;
    }

    /** Follows the run's outbox rows until none is pending or {@code timeout} passes. */
    public Outcome await(ReconcilePlan plan, Duration timeout, Duration progressEvery) throws InterruptedException {
        Jdbc jdbc = new Jdbc(dataSource);
        String like = "rc-" + plan.runId() + "-%";
        int planned = plan.changes().size();
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextProgress = System.nanoTime();
        while (true) {
            Map<String, Long> byStatus = new HashMap<>();
            jdbc.query("SELECT status, COUNT(*) FROM outbox WHERE event_id LIKE ? GROUP BY status", rs -> {
                byStatus.put(rs.getString(1), rs.getLong(2));
                return null;
            }, like);
            long pending = byStatus.getOrDefault("pending", 0L);
            if (pending == 0 || System.nanoTime() > deadline) {
                break;
            }
            if (System.nanoTime() >= nextProgress) {
                LOG.info("reconcile {}: {} delivered, {} failed, {} waiting", plan.runId(),
                        byStatus.getOrDefault("done", 0L), byStatus.getOrDefault("dead", 0L), pending);
                nextProgress = System.nanoTime() + progressEvery.toNanos();
            }
            Thread.sleep(250);
        }
        return outcome(jdbc, plan, like, planned);
    }

    private Outcome outcome(Jdbc jdbc, ReconcilePlan plan, String like, int planned) {
        Map<String, Row> rows = new HashMap<>();
        jdbc.query("SELECT event_id, target_site, status, last_error FROM outbox WHERE event_id LIKE ? ORDER BY id",
                rs -> rows.put(rs.getString(1) + "|" + rs.getString(2), new Row(rs.getString(3), rs.getString(4))),
                like);
        Map<String, Row> audit = new HashMap<>();
        jdbc.query("SELECT event_id, target_site, status, message FROM sync_log WHERE event_id LIKE ? ORDER BY id",
                rs -> audit.put(rs.getString(1) + "|" + rs.getString(2), new Row(rs.getString(3), rs.getString(4))),
                like);
        int applied = 0;
        int failed = 0;
        int notApplied = 0;
        int waiting = 0;
        List<String> problems = new ArrayList<>();
        Set<String> plannedKeys = new HashSet<>();
        for (Item item : plan.changes()) {
            String key = item.change().eventId() + "|" + item.target();
            plannedKeys.add(key);
            Row row = rows.get(key);
            Row last = audit.get(key);
            String what = item.target() + "  " + item.op().label() + "  " + item.userKey() + ": ";
            if (row == null) {
                notApplied++;
                problems.add(what + "not queued: " + (last == null ? "refused by the rules" : last.message()));
            } else if ("pending".equals(row.status())) {
                waiting++;
                problems.add(what + "still queued" + (row.message() == null ? "" : " (last error: " + row.message()
                        + ")"));
            } else if ("dead".equals(row.status())) {
                failed++;
                problems.add(what + "failed: " + row.message());
            } else if (last != null && !"success".equals(last.status())) {
                notApplied++;
                problems.add(what + last.status() + ": " + last.message());
            } else {
                applied++;
            }
        }
        int onwardFailed = 0;
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            if (!plannedKeys.contains(e.getKey()) && "dead".equals(e.getValue().status())) {
                onwardFailed++;
                problems.add(e.getKey().substring(e.getKey().indexOf('|') + 1) + "  onward change failed: "
                        + e.getValue().message());
            }
        }
        return new Outcome(planned, applied, failed, notApplied, waiting, onwardFailed, problems);
    }
}
