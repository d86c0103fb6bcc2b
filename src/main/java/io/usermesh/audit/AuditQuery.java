package io.usermesh.audit;

import io.usermesh.model.Origin;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import io.usermesh.storage.Jdbc;
import javax.sql.DataSource;

/** Reads the audit trail for the logs command and the admin API. */
public final class AuditQuery {

    private static final String COLUMNS = "logged_at, event_id, source_site, target_site, user_key, action, status,"
            + " http_status, message, duration_ms, origin";

    private final Jdbc jdbc;

    public AuditQuery(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** The matching rows, newest first, at most {@code filter.limit()}. */
    public List<AuditEntry> find(AuditFilter filter) {
        Where where = Where.of(filter);
        // id breaks ties between rows of the same millisecond: the later insert is the newer row.
        String sql = "SELECT " + COLUMNS + " FROM sync_log" + where.sql + " ORDER BY logged_at DESC, id DESC LIMIT ?";
        List<Object> params = new ArrayList<>(where.params);
        params.add(filter.limit());
        return jdbc.query(sql, AuditQuery::entry, params.toArray());
    }

    /** The number of matching rows, regardless of the limit. */
    public long count(AuditFilter filter) {
        Where where = Where.of(filter);
        return jdbc.query("SELECT COUNT(*) FROM sync_log" + where.sql, rs -> rs.getLong(1),
                where.params.toArray()).get(0);
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getTimestamp("logged_at").toInstant(), rs.getString("event_id"),
                rs.getString("source_site"), rs.getString("target_site"), rs.getString("user_key"),
                rs.getString("action"), fromDb(AuditStatus.class, rs.getString("status")),
                rs.getObject("http_status", Integer.class), rs.getString("message"),
                rs.getObject("duration_ms", Long.class), fromDb(Origin.class, rs.getString("origin")));
    }

    private static <E extends Enum<E>> E fromDb(Class<E> type, String value) {
        return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    }

    /** The WHERE clause of a filter with its parameters in order. */
    private record Where(String sql, List<Object> params) {

        static Where of(AuditFilter filter) {
            List<String> conditions = new ArrayList<>();
            List<Object> params = new ArrayList<>();
            if (filter.site() != null) {
                conditions.add("(source_site = ? OR target_site = ?)");
                params.add(filter.site());
                params.add(filter.site());
            }
            if (filter.status() != null) {
                conditions.add("status = ?");
                params.add(filter.status().dbValue());
            }
            if (filter.user() != null) {
                conditions.add("user_key = ?");
                params.add(filter.user());
            }
            if (filter.since() != null) {
                conditions.add("logged_at >= ?");
                params.add(Timestamp.from(filter.since()));
            }
            if (filter.until() != null) {
                conditions.add("logged_at < ?");
                params.add(Timestamp.from(filter.until()));
            }
            return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), params);
        }
    }
}
