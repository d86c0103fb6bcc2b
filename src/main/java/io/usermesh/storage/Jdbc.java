package io.usermesh.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plain parameterised JDBC for the small stores; every failure becomes a {@link StorageException}.
 * Transactions are Spring's (the one mechanism for routes and beans): inside a route's
 * {@code transacted} step or {@link #inTransaction}, every store on the same DataSource, and
 * camel-sql, use the transaction's connection, so they change rows atomically.
 */
public final class Jdbc {

    /** Maps the current row of a result set. */
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws; joins
     * the transaction already open on this thread (a route's {@code transacted} step, or an outer call).
     */
    public static <T> T inTransaction(DataSource dataSource, java.util.function.Supplier<T> work) {
        return new TransactionTemplate(new DataSourceTransactionManager(dataSource)).execute(status -> work.get());
    }

    public int update(String sql, Object... params) {
        return withConnection(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                return ps.executeUpdate();
            }
        });
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(sql, c -> {
            List<T> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(mapper.map(rs));
                    }
                }
            }
            return rows;
        });
    }

    /** Inserts one row and returns its generated id. */
    public long insert(String sql, Object... params) {
        return withConnection(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql, java.sql.Statement.RETURN_GENERATED_KEYS)) {
                bind(ps, params);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withConnection(String sql, Work<T> work) {
        Connection c = null;
        try {
            // the connection of the transaction open on this thread, if any (Spring's, as camel-sql uses it)
            c = DataSourceUtils.getConnection(dataSource);
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException(sql, e);
        } catch (org.springframework.jdbc.CannotGetJdbcConnectionException e) {
            throw new StorageException(sql, e.getCause() instanceof SQLException cause ? cause
                    : new SQLException(e.getMessage(), e));
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant instant) {
                // columns keep milliseconds; a compare-and-set on a timestamp needs the stored value
                ps.setTimestamp(i + 1, Timestamp.from(instant.truncatedTo(ChronoUnit.MILLIS)));
            } else if (p == null) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }
}
