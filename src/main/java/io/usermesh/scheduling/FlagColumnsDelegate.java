package io.usermesh.scheduling;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.quartz.impl.jdbcjobstore.StdJDBCDelegate;

/**
 * The standard delegate, writing the yes/no columns (IS_DURABLE, IS_NONCONCURRENT, ...) as '1'/'0'.
 *
 * <p>Our QRTZ_ tables come from Quartz's MySQL script, where those columns are VARCHAR(1). MariaDB turns
 * a JDBC boolean into '1' or '0', but H2 writes 'FALSE' and rejects it as too long, so the embedded
 * database could not store a job with the plain StdJDBCDelegate. Reading needs no change: both databases
 * read '1' and '0' back as booleans.
 */
public class FlagColumnsDelegate extends StdJDBCDelegate {

    @Override
    protected void setBoolean(PreparedStatement ps, int index, boolean val) throws SQLException {
        ps.setString(index, val ? "1" : "0");
    }
}
