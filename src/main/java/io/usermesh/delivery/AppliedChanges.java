package io.usermesh.delivery;

import javax.sql.DataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

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

    /**
     * camel-sql would run every check and every add in a transaction of its own: begin, the
     * statements, commit, and autocommit back on, three round trips more than the statements, twice
     * per delivery. The transaction gives nothing here: add's {@code SELECT COUNT(*)} takes no lock,
     * so two runners adding the same key at once meet the primary key with or without it. So the
     * repository joins a transaction already open on the thread and otherwise runs its statements
     * in autocommit.
     */
    public static JdbcMessageIdRepository repository(DataSource dataSource) {
        TransactionTemplate joinOnly = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        joinOnly.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, joinOnly, PROCESSOR);
        repository.setCreateTableIfNotExists(false); // Flyway owns the schema
        return repository;
    }
}
