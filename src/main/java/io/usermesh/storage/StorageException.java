package io.usermesh.storage;

import java.sql.SQLException;

/** A database statement failed; {@link #isDuplicateKey()} tells a lost insert race from a real failure. */
public final class StorageException extends RuntimeException {

    public StorageException(String sql, SQLException cause) {
        super(cause.getMessage() + " [" + sql + "]", cause);
    }

    /** A deadlock or a lock wait the database gave up on: the same work may well succeed when tried again. */
    public boolean isTransient() {
        return getCause() instanceof java.sql.SQLTransientException || getCause() instanceof SQLException sql
                && sql.getSQLState() != null && sql.getSQLState().startsWith("40");
    }

    /** The StorageException in a chain of causes, or null. */
    public static StorageException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StorageException e) {
                return e;
            }
        }
        return null;
    }

    public boolean isDuplicateKey() {
        return getCause() instanceof SQLException sql && sql.getSQLState() != null
                && sql.getSQLState().startsWith("23");
    }
}
