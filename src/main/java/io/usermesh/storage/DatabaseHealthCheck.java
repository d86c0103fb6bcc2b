package io.usermesh.storage;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Health is DOWN while the database cannot be reached: nothing can be queued or audited then. */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    private final DataSource dataSource;

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
            builder.message("database unreachable: " + e.getMessage()).down();
        }
    }
}
