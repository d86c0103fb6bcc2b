package io.usermesh.delivery;

import javax.sql.DataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;

/**
 * The idempotent repository of deliver-to-site (bean appliedRepository): the idempotency keys of
 * the changes applied to their target, in camel-sql's CAMEL_MESSAGEPROCESSED table, shared by all
 * runners. A replayed dead letter drops its key so it is applied again.
 */
public final class AppliedChanges {

    /** The processorName of usermesh's rows in CAMEL_MESSAGEPROCESSED. */
    public static final String PROCESSOR = "usermesh-delivery";

    private AppliedChanges() {
    }

    public static JdbcMessageIdRepository repository(DataSource dataSource) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, PROCESSOR);
        repository.setCreateTableIfNotExists(false); // Flyway owns the schema
        return repository;
    }
}
