package io.usermesh.storage;

import java.sql.SQLException;

/** A database statement failed; {@link #isDuplicateKey()} tells a lost insert race from a real failure. */
public final class StorageException extends RuntimeException {

    public StorageException(String sql, SQLException cause) {
        super(cause.getMessage() + " [" + sql + "]", cause);
    }

    public boolean isDuplicateKey() {
        return getCause() instanceof SQLException sql && sql.getSQLState() != null
                && sql.getSQLState().startsWith("23");
    }
}
