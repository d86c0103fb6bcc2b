package io.usermesh.storage;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health is DOWN while the database cannot be reached: nothing can be queued or audited then. The
 * reason goes to the log, not into the health answer, which anyone on the management port reads.
 */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseHealthCheck.class);

    private final DataSource dataSource;
    private volatile boolean unreachable;

    public DatabaseHealthCheck(DataSource dataSource) {
        super("usermesh", "database");
        this.dataSource = dataSource;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(2)) {
                builder.up();
            } else {
                builder.message("database connection is not valid").down();
            }
        } catch (Exception e) {
            if (!unreachable) {
                LOG.warn("database unreachable: {}", e.getMessage());
            }
            unreachable = true;
            builder.message("database unreachable (the runner's log says why)").down();
            return;
        }
        unreachable = false;
    }
}
