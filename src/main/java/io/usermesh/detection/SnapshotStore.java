package io.usermesh.detection;

import io.usermesh.model.ChangeKind;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.storage.Jdbc;
import io.usermesh.storage.StorageException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** user_snapshot: what each site looked like when usermesh last read or wrote it. */
public final class SnapshotStore {

    private static final String SELECT = "SELECT site_id, wp_user_id, fingerprint, state, seen_at, changed_at"
            + " FROM user_snapshot WHERE site_id = ?";
    private static final String SET = "username = ?, email = ?, fingerprint = ?, state = ?, seen_at = ?";

    private final Jdbc jdbc;

    public SnapshotStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * The first step of route change-detected: records the detected change as the site's snapshot;
     * false (the change goes no further) when the row moved on since it was read, i.e. usermesh
     * wrote the user meanwhile and that write is newer than what was detected.
     */
    public boolean advance(Detected detected) {
        UserChange change = detected.change();
        if (change.kind() == ChangeKind.DELETED) {
            return deleteDetected(change.sourceSite(), detected.before());
        }
        return recordDetected(change.sourceSite(), change.sourceUserId(), change.state(), detected.before(),
                change.detectedAt());
    }

    public Map<Long, Snapshot> load(String siteId) {
        Map<Long, Snapshot> snapshots = new HashMap<>();
        for (Snapshot s : jdbc.query(SELECT, SnapshotStore::map, siteId)) {
            snapshots.put(s.wpUserId(), s);
        }
        return snapshots;
    }

    /** Whether the site's first poll has recorded its users. */
    public boolean hasBaseline(String siteId) {
        return !jdbc.query("SELECT 1 FROM user_snapshot WHERE site_id = ? LIMIT 1", rs -> 1, siteId).isEmpty();
    }

    /** The site's user with this email (any case) or login, as last seen. */
    public Optional<Snapshot> findByKey(String siteId, String userKey) {
        return jdbc.query(SELECT + " AND (email = ? OR username = ?)", SnapshotStore::map, siteId,
                userKey.toLowerCase(java.util.Locale.ROOT), userKey).stream().findFirst();
    }

    /** The site's users with these ids that it has a snapshot of, in one query. */
    public Map<Long, Snapshot> find(String siteId, java.util.Collection<Long> wpUserIds) {
        Map<Long, Snapshot> found = new HashMap<>();
        if (wpUserIds.isEmpty()) {
            return found;
        }
        List<Object> params = new java.util.ArrayList<>();
        params.add(siteId);
        params.addAll(new java.util.LinkedHashSet<>(wpUserIds));
        String marks = String.join(", ", java.util.Collections.nCopies(params.size() - 1, "?"));
        for (Snapshot s : jdbc.query(SELECT + " AND wp_user_id IN (" + marks + ")", SnapshotStore::map,
                params.toArray())) {
            found.put(s.wpUserId(), s);
        }
        return found;
    }

    public Optional<Snapshot> find(String siteId, long wpUserId) {
        return jdbc.query(SELECT + " AND wp_user_id = ?", SnapshotStore::map, siteId, wpUserId).stream().findFirst();
    }

    /**
     * Records a change found on the site itself, unless the row moved on since the poll loaded it:
     * then usermesh wrote the user meanwhile, and that write is newer than the listing.
     * Returns false when it did not record.
     */
    public boolean recordDetected(String siteId, long wpUserId, UserState state, Snapshot loaded, Instant now) {
        if (loaded == null) {
            return insert(siteId, wpUserId, state, now, now);
        }
        return update("UPDATE user_snapshot SET " + SET + ", changed_at = ? WHERE site_id = ? AND wp_user_id = ?"
                + " AND seen_at = ?", state, now, now, siteId, wpUserId, loaded.seenAt()) == 1;
    }

    /** Records the state usermesh itself just wrote to a site: its next poll must not see a change. */
    public void recordWritten(String siteId, long wpUserId, UserState state, Instant now) {
        String sql = "UPDATE user_snapshot SET " + SET + " WHERE site_id = ? AND wp_user_id = ?";
        if (update(sql, state, now, siteId, wpUserId) == 0 && !insert(siteId, wpUserId, state, now, null)) {
            update(sql, state, now, siteId, wpUserId);
        }
    }

    /** Records a user of a site's first poll: no change is implied. */
    public void recordBaseline(String siteId, long wpUserId, UserState state, Instant now) {
        insert(siteId, wpUserId, state, now, null);
    }

    public void delete(String siteId, long wpUserId) {
        jdbc.update("DELETE FROM user_snapshot WHERE site_id = ? AND wp_user_id = ?", siteId, wpUserId);
    }

    /** Drops a deleted user's row unless usermesh wrote the user after {@code loaded} was read. */
    public boolean deleteDetected(String siteId, Snapshot loaded) {
        return jdbc.update("DELETE FROM user_snapshot WHERE site_id = ? AND wp_user_id = ? AND seen_at = ?", siteId,
                loaded.wpUserId(), loaded.seenAt()) == 1;
    }

    private boolean insert(String siteId, long wpUserId, UserState state, Instant seenAt, Instant changedAt) {
        try {
            jdbc.update("INSERT INTO user_snapshot (site_id, wp_user_id, username, email, fingerprint, state,"
                    + " seen_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", siteId, wpUserId, state.username(),
                    lowerEmail(state), state.fingerprint(), state.toJson(), seenAt, changedAt);
            return true;
        } catch (StorageException e) {
            if (e.isDuplicateKey()) {
                return false; // recorded by someone else first
            }
            throw e;
        }
    }

    private int update(String sql, UserState state, Object... rest) {
        Object[] params = new Object[4 + rest.length];
        params[0] = state.username();
        params[1] = lowerEmail(state);
        params[2] = state.fingerprint();
        params[3] = state.toJson();
        System.arraycopy(rest, 0, params, 4, rest.length);
        return jdbc.update(sql, params);
    }

    private static String lowerEmail(UserState state) {
        return state.email().toLowerCase(Locale.ROOT);
    }

    private static Snapshot map(ResultSet rs) throws SQLException {
        return new Snapshot(rs.getString("site_id"), rs.getLong("wp_user_id"),
                UserState.fromJson(rs.getString("state")), rs.getString("fingerprint"),
                Jdbc.instant(rs, "seen_at"), Jdbc.instant(rs, "changed_at"));
    }
}
