package io.usermesh.pipeline;

import io.usermesh.model.UserChange;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * How Java code hands a change to route change-pipeline (direct:change): reconciliation, manual
 * syncs and replays use it, so every change passes the same route an integrator may edit. It runs
 * in the caller's thread and transaction.
 */
public final class PipelineEntry {

    /** The property the outbox-write step counts queued rows in (split copies share the counter). */
    public static final String QUEUED = "UsermeshQueued";

    private final ProducerTemplate template;

    public PipelineEntry(ProducerTemplate template) {
        this.template = template;
    }

    /** Returns how many targets the change was queued for. */
    public int send(UserChange change) {
        AtomicInteger queued = new AtomicInteger();
        Exchange done = template.send("direct:change", exchange -> {
            exchange.setProperty(QUEUED, queued);
            exchange.getMessage().setBody(change);
        });
        if (done.getException() != null) {
            throw org.apache.camel.RuntimeCamelException.wrapRuntimeCamelException(done.getException());
        }
        return queued.get();
    }
}
