package io.usermesh.reconcile;

import io.usermesh.detection.Snapshot;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.model.UserState;
import io.usermesh.storage.Jdbc;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * user_link and user_snapshot of the sites being reconciled, read once (ids, person ids,
 * fingerprints and times only; a gone user's stored state is read when a deletion needs it).
 */
final class StoredBookkeeping implements Bookkeeping {

    private record Key(String site, long id) {
    }

    private final SnapshotStore snapshots;
    private final Map<Key, String> personOf = new HashMap<>();
    private final Map<String, Map<String, Long>> idsOf = new HashMap<>();
    private final Map<Key, Mark> marks = new HashMap<>();

    private StoredBookkeeping(SnapshotStore snapshots) {
        this.snapshots = snapshots;
    }

    static StoredBookkeeping load(DataSource dataSource, Collection<String> sites) {
        StoredBookkeeping books = new StoredBookkeeping(new SnapshotStore(dataSource));
        if (sites.isEmpty()) {
            return books;
        }
        Jdbc jdbc = new Jdbc(dataSource);
        String marksSql = String.join(", ", Collections.nCopies(sites.size(), "?"));
        Object[] params = sites.toArray();
        jdbc.query("SELECT site_id, wp_user_id, person_id FROM user_link WHERE site_id IN (" + marksSql + ")",
                rs -> {
                    String site = rs.getString(1);
                    long id = rs.getLong(2);
                    String person = rs.getString(3);
                    books.personOf.put(new Key(site, id), person);
                    books.idsOf.computeIfAbsent(person, p -> new HashMap<>()).put(site, id);
                    return null;
                }, params);
        jdbc.query("SELECT site_id, wp_user_id, fingerprint, seen_at, changed_at FROM user_snapshot"
                + " WHERE site_id IN (" + marksSql + ")", rs -> {
                    books.marks.put(new Key(rs.getString(1), rs.getLong(2)), new Mark(rs.getString(3),
                            Jdbc.instant(rs, "seen_at"), Jdbc.instant(rs, "changed_at")));
                    return null;
                }, params);
        return books;
    }

    /** Whether the usermesh tables exist (a dry run never creates them). */
    static boolean schemaPresent(DataSource dataSource) {
        try {
            new Jdbc(dataSource).query("SELECT 1 FROM user_link WHERE 1 = 0", rs -> 1);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Optional<Long> linked(String site, long wpUserId, String otherSite) {
        String person = personOf.get(new Key(site, wpUserId));
        if (person == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(idsOf.getOrDefault(person, Map.of()).get(otherSite));
    }

    @Override
    public Optional<Mark> mark(String site, long wpUserId) {
        return Optional.ofNullable(marks.get(new Key(site, wpUserId)));
    }

    @Override
    public Optional<UserState> lastState(String site, long wpUserId) {
        return snapshots.find(site, wpUserId).map(Snapshot::state);
    }

    int links() {
        return personOf.size();
    }

    List<String> describe() {
        return List.of(personOf.size() + " user links", marks.size() + " snapshots");
    }
}
