package io.usermesh.reconcile;

import io.usermesh.audit.AuditEntry;
import io.usermesh.model.UserChange;
import io.usermesh.pipeline.Delivery;
import io.usermesh.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The pipeline's rules (source active, propagation flag, syncRoles, link direction and actions,
 * prohibitIncoming, protected flag) asked about one planned change, without auditing anything: a
 * refusal becomes a "skip" line of the plan instead of a sync_log row. The same rules run again
 * when the change is queued (route change-pipeline, through PipelineEntry), then with the audit.
 */
public final class PipelineGate {

    /** Either the delivery the pipeline would queue for the target, or why it would not. */
    public record Decision(Optional<Delivery> delivery, String refusal) {
    }

    private final Pipeline pipeline;
    private final List<AuditEntry> refusals = new ArrayList<>();

    /**
     * @param pipeline makes the pipeline with the audit consumer it is given, e.g.
     *        {@code audit -> new Pipeline(sites, flags, audit, clock)}
     */
    public PipelineGate(Function<Consumer<AuditEntry>, Pipeline> pipeline) {
        this.pipeline = pipeline.apply(refusals::add);
    }

    /**
     * The change must have every linked site but {@code target} on its path (see
     * {@link Planner}), so the pipeline considers this one target only.
     */
    public synchronized Decision check(UserChange change, String target) {
        refusals.clear();
        List<Delivery> deliveries = pipeline.plan(change);
        Optional<Delivery> delivery = deliveries.stream().filter(d -> d.target().equals(target)).findFirst();
        if (delivery.isPresent()) {
            return new Decision(delivery, null);
        }
        String reason = refusals.stream().filter(r -> target.equals(r.targetSite())).map(AuditEntry::message)
                .findFirst().orElse("the pipeline sends it nowhere");
        return new Decision(Optional.empty(), reason);
    }
}
