package io.usermesh.audit;

import io.usermesh.model.Origin;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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

    /** Deliveries of one minute of {@link #perMinute}: how many audit rows of each status it holds. */
    public record Minute(Instant start, Map<String, Long> counts) {
    }

    /**
     * The audit rows of the last {@code minutes} whole minutes up to {@code now} (the current minute
     * included), counted per minute and status, oldest minute first; a minute without rows is there
     * with no counts. Grouped in the database: a flood of rows is counted, not read.
     */
    public List<Minute> perMinute(Instant now, int minutes) {
        Instant first = now.truncatedTo(ChronoUnit.MINUTES).minus(minutes - 1L, ChronoUnit.MINUTES);
        List<Map<String, Long>> counts = new ArrayList<>();
        for (int i = 0; i < minutes; i++) {
            counts.add(new TreeMap<>());
        }
        // TIMESTAMPDIFF counts whole minutes in MariaDB and minute boundaries crossed in H2: the same
        // number from a start on a whole minute
        jdbc.query("SELECT m, status, COUNT(*) FROM (SELECT TIMESTAMPDIFF(MINUTE, ?, logged_at) AS m, status"
                + " FROM sync_log WHERE logged_at >= ?) t GROUP BY m, status", rs -> {
                    int minute = rs.getInt(1);
                    if (minute >= 0 && minute < minutes) {
                        counts.get(minute).put(rs.getString(2), rs.getLong(3));
                    }
                    return null;
                }, first, first);
        List<Minute> answer = new ArrayList<>();
        for (int i = 0; i < minutes; i++) {
            answer.add(new Minute(first.plus(i, ChronoUnit.MINUTES), counts.get(i)));
        }
        return answer;
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
