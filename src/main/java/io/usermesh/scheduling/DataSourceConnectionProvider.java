package io.usermesh.scheduling;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.quartz.utils.ConnectionProvider;

/**
 * Hands Quartz connections from the runner's own pool, so the job store shares the pool's
 * settings, credentials and health check instead of opening a second pool of its own.
 */
final class DataSourceConnectionProvider implements ConnectionProvider {

    private final DataSource dataSource;

    DataSourceConnectionProvider(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Quartz calls this when its scheduler shuts down; the pool belongs to the runner and outlives it. */
    @Override
    public void shutdown() {
    }

    @Override
    public void initialize() {
    }
}
