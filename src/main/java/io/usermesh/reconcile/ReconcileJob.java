package io.usermesh.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usermesh.config.SitesConfig;
import io.usermesh.pipeline.PipelineEntry;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.pipeline.SitePauses;
import io.usermesh.wordpress.WordPressClients;
import java.time.Clock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reconciliation inside the runner (bean {@code reconciler}): the route reconcile-scheduled runs
 * it on {@code usermesh.reconcile.cron}. It plans and queues; the runner's own delivery routes
 * deliver, and the outcome is in sync_log (origin reconcile) and dead letters as for any change.
 */
public final class ReconcileJob {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileJob.class);
    private static final int LOGGED_LINES = 200;

    private final Supplier<SitesConfig> sites;
    private final SitePauses pauses;
    private final WordPressClients clients;
    private final DataSource dataSource;
    private final PipelineEntry pipeline;
    private final SnapshotStore snapshots;
    private final Clock clock;

    public ReconcileJob(Supplier<SitesConfig> sites, SitePauses pauses, WordPressClients clients, DataSource dataSource, PipelineEntry pipeline,
            SnapshotStore snapshots, Clock clock) {
        this.sites = sites;
        this.pauses = pauses;
        this.clients = clients;
        this.dataSource = dataSource;
        this.pipeline = pipeline;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    /** Called by the reconcile-scheduled route: every active site; a failed listing is logged, nothing changed. */
    public void runScheduled() {
        try {
            run(null, false);
        } catch (ReconcileException e) {
            LOG.warn("scheduled reconciliation: {}", e.getMessage());
        }
    }

    /**
     * Plans and, unless {@code dryRun}, queues the changes; returns the plan as JSON (with
     * {@code queued}, the deliveries queued), as {@code reconcile --json} prints it.
     *
     * @throws ReconcileException for an unknown or paused site, or a listing that failed
     */
    public ObjectNode run(String siteId, boolean dryRun) {
        return run(siteId, null, dryRun);
    }

    /** As {@link #run(String, boolean)}, for the users named {@code userKey} only when it is not null. */
    public ObjectNode run(String siteId, String userKey, boolean dryRun) {
        return run(siteId, null, userKey, dryRun);
    }

    /** As above, over the link between {@code siteId} and {@code toSite} only when that is not null. */
    public synchronized ObjectNode run(String siteId, String toSite, String userKey, boolean dryRun) {
        SitesConfig now = pauses.effective(sites.get());
        ReconcilePlan plan = new Reconciler(now, clients, Bookkeeping.stored(dataSource),
                Reconciler.gate(now, dataSource, clock), clock).plan(siteId, toSite, userKey);
        plan.notes().forEach(note -> LOG.info("reconcile {}: {}", plan.runId(), note));
        plan.items().stream().limit(LOGGED_LINES).forEach(item -> LOG.info("reconcile {}: {}", plan.runId(),
                item.line(item.target().length())));
        if (plan.items().size() > LOGGED_LINES) {
            LOG.info("reconcile {}: … and {} more line(s)", plan.runId(), plan.items().size() - LOGGED_LINES);
        }
        ObjectNode json = plan.toJson(dryRun);
        int queued = dryRun || plan.changes().isEmpty() ? 0 : new Applier(dataSource, pipeline, snapshots, clock)
                .queue(plan);
        json.put("queued", queued);
        return json;
    }
}
