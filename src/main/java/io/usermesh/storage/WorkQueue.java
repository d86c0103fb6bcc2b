package io.usermesh.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import javax.sql.DataSource;

/**
 * A table of work that several runners share (the outbox and push_event extend it): rows are pending
 * until done or given up, a runner claims due rows for a while (a runner that dies frees its rows
 * when the claim expires), and a failed attempt is put back for later. Columns: id, status,
 * attempts, next_attempt_at, claimed_by, claimed_until, last_error, updated_at.
 */
public class WorkQueue {

    public static final String PENDING = "pending";
    public static final String DONE = "done";
    /** Finished rows are only history: the daily purge (route audit-purge) drops those this old. */
    private static final Duration KEEP_FINISHED = Duration.ofDays(7);

    protected final Jdbc jdbc;
    protected final Clock clock;
    private final String table;
    private final String givenUp;

    /** @param givenUp the status of a row given up on (dead, dropped) */
    public WorkQueue(DataSource dataSource, String table, String givenUp, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.table = table;
        this.givenUp = givenUp;
        this.clock = clock;
    }

    /**
     * Claims up to {@code limit} due rows, the longest due first (then the oldest). That order is the one
     * of the index on (status, [target,] next_attempt_at), which InnoDB ends with the id: the server reads
     * the due rows it takes and stops. Ordered by id alone, MariaDB walked the primary key from the first
     * row instead, through the whole finished history (kept for a week) on every claim.
     *
     * @param columns the columns to read, of the table aliased {@code q}
     * @param andWhere more conditions on {@code q} (starting with " AND "), or ""
     */
    protected <T> List<T> claim(String columns, String andWhere, List<Object> whereParams, int limit,
            Jdbc.RowMapper<T> mapper, ToLongFunction<T> idOf, String runner, Duration claimFor) {
        Instant now = clock.instant();
        List<Object> params = new ArrayList<>(List.of(PENDING, now, now));
        params.addAll(whereParams);
        params.add(limit);
        List<T> due = jdbc.query("SELECT " + columns + " FROM " + table + " q WHERE q.status = ?"
                + " AND q.next_attempt_at <= ? AND (q.claimed_until IS NULL OR q.claimed_until < ?)" + andWhere
                + " ORDER BY q.next_attempt_at, q.id LIMIT ?", mapper, params.toArray());
        List<T> claimed = new ArrayList<>();
        for (T row : due) {
            if (jdbc.update("UPDATE " + table + " SET claimed_by = ?, claimed_until = ?, updated_at = ? WHERE id = ?"
                    + " AND status = ? AND (claimed_until IS NULL OR claimed_until < ?)", runner, now.plus(claimFor),
                    now, idOf.applyAsLong(row), PENDING, now) == 1) {
                claimed.add(row);
            }
        }
        return claimed;
    }

    public void done(long id) {
        finish(id, DONE, null);
    }

    /** No more attempts: the row leaves "pending" with the error. */
    public void giveUp(long id, String error) {
        finish(id, givenUp, error);
    }

    private void finish(long id, String status, String error) {
        jdbc.update("UPDATE " + table + " SET status = ?, claimed_by = NULL, claimed_until = NULL, last_error = ?,"
                + " updated_at = ? WHERE id = ?", status, truncate(error), clock.instant(), id);
    }

    /** Gives the row back for another attempt at {@code next}. */
    public void retryLater(long id, int attempts, Instant next, String error) {
        jdbc.update("UPDATE " + table + " SET attempts = ?, next_attempt_at = ?, claimed_by = NULL,"
                + " claimed_until = NULL, last_error = ?, updated_at = ? WHERE id = ?", attempts, next,
                truncate(error), clock.instant(), id);
    }

    public int purgeFinished() {
        return jdbc.update("DELETE FROM " + table + " WHERE status <> ? AND updated_at < ?", PENDING,
                clock.instant().minus(KEEP_FINISHED));
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 997) + "...";
    }
}
