package io.usermesh.alerts;

import io.usermesh.storage.Jdbc;
import io.usermesh.storage.StorageException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * The alert table. Raising and resolving are compare-and-set statements: of several runners that see
 * the same condition, exactly one gets {@code true} and announces it.
 */
public final class AlertStore {

    private final Jdbc jdbc;

    public AlertStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** True when this call raised the alert (it was not active). */
    public boolean raise(String key, String message, Instant now) {
        if (jdbc.update("UPDATE alert SET raised_at = ?, resolved_at = NULL, message = ? WHERE alert_key = ?"
                + " AND resolved_at IS NOT NULL", now, message, key) == 1) {
            return true;
        }
        try {
            jdbc.update("INSERT INTO alert (alert_key, raised_at, resolved_at, message) VALUES (?, ?, NULL, ?)", key,
                    now, message);
            return true;
        } catch (StorageException e) {
            if (e.isDuplicateKey()) {
                return false; // active already, or another runner raised it a moment ago
            }
            throw e;
        }
    }

    /** True when this call resolved the alert (it was active). */
    public boolean resolve(String key, Instant now) {
        return jdbc.update("UPDATE alert SET resolved_at = ? WHERE alert_key = ? AND resolved_at IS NULL", now,
                key) == 1;
    }

    /** The active alerts, oldest first, and those resolved since {@code since}. */
    public List<Alert> recent(Instant since) {
        return jdbc.query("SELECT alert_key, message, raised_at, resolved_at FROM alert WHERE resolved_at IS NULL"
                + " OR resolved_at >= ? ORDER BY raised_at, alert_key", rs -> new Alert(rs.getString(1),
                        rs.getString(2), Jdbc.instant(rs, "raised_at"), Jdbc.instant(rs, "resolved_at")), since);
    }
}
