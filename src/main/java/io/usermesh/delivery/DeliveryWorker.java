package io.usermesh.delivery;

import io.usermesh.model.UserChange;
import io.usermesh.storage.Jdbc;
import javax.sql.DataSource;
import org.apache.camel.spi.IdempotentRepository;

/**
 * Works one outbox row: skips a change already applied to this target (the idempotent
 * repository), applies it otherwise, then marks the row done and queues the onward change in one
 * transaction. Failures propagate to the route configuration (see {@link DeliveryFailures}).
 */
public final class DeliveryWorker {

    /** The processorName of usermesh's rows in camel-sql's CAMEL_MESSAGEPROCESSED table. */
    public static final String APPLIED_PROCESSOR = "usermesh-delivery";

    /** The repository of changes already applied, on the shared database. */
    public static org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository appliedRepository(
            DataSource dataSource) {
        var repository = new org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository(dataSource,
                APPLIED_PROCESSOR);
        repository.setCreateTableIfNotExists(false); // Flyway owns the schema
        return repository;
    }

    private final DataSource dataSource;
    private final Deliverer deliverer;
    private final Outbox outbox;
    private final IdempotentRepository applied;
    private final CircuitBreakers breakers;
    private final Dispatcher dispatcher;

    public DeliveryWorker(DataSource dataSource, Deliverer deliverer, Outbox outbox, IdempotentRepository applied,
            CircuitBreakers breakers, Dispatcher dispatcher) {
        this.dataSource = dataSource;
        this.deliverer = deliverer;
        this.outbox = outbox;
        this.applied = applied;
        this.breakers = breakers;
        this.dispatcher = dispatcher;
    }

    /** Called by the deliver-to-site routes. */
    public void deliver(Queued queued) {
        try {
            String key = queued.delivery().idempotencyKey();
            if (applied.contains(key)) {
                outbox.done(queued.id()); // the same change was detected twice and is already applied
                return;
            }
            UserChange onward = deliverer.deliver(queued.delivery());
            breakers.success(queued.target());
            Jdbc.inTransaction(dataSource, () -> {
                outbox.done(queued.id());
                if (onward != null) {
                    outbox.enqueue(onward);
                }
                return null;
            });
            applied.add(key);
        } finally {
            dispatcher.finished(queued);
        }
    }
}
