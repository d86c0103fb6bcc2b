package io.usermesh.reconcile;

import com.carrotsearch.hppc.IntLongHashMap;
import com.carrotsearch.hppc.LongArrayList;
import com.carrotsearch.hppc.LongIntHashMap;
import com.carrotsearch.hppc.ObjectIntHashMap;
import io.usermesh.detection.Snapshot;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.model.UserState;
import io.usermesh.storage.Jdbc;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * user_link and user_snapshot of the sites being reconciled, read once: per site and user the person
 * it is linked as, and its snapshot's fingerprint start and times, in primitive maps and lists (about
 * 60 bytes a user, so 100,000s of users fit a small heap). A gone user's stored state is read when a
 * deletion needs it.
 */
final class StoredBookkeeping implements Bookkeeping {

    /** One site's part. Persons are numbered while loading; the numbers mean nothing outside. */
    private static final class SiteBooks {
        final LongIntHashMap personOf = new LongIntHashMap();
        final IntLongHashMap idOfPerson = new IntLongHashMap();
        final LongIntHashMap markAt = new LongIntHashMap();
        final LongArrayList fingerprints = new LongArrayList();
        final LongArrayList seenAt = new LongArrayList();
        final LongArrayList changedAt = new LongArrayList();
    }

    private static final long NEVER = Long.MIN_VALUE;

    private final SnapshotStore snapshots;
    private final Map<String, SiteBooks> sites = new HashMap<>();

    private StoredBookkeeping(SnapshotStore snapshots) {
        this.snapshots = snapshots;
    }

    static StoredBookkeeping load(DataSource dataSource, Collection<String> sites) {
        StoredBookkeeping books = new StoredBookkeeping(new SnapshotStore(dataSource));
        if (sites.isEmpty()) {
            return books;
        }
        sites.forEach(site -> books.sites.put(site, new SiteBooks()));
        Jdbc jdbc = new Jdbc(dataSource);
        String marksSql = String.join(", ", Collections.nCopies(sites.size(), "?"));
        Object[] params = sites.toArray();
        ObjectIntHashMap<String> persons = new ObjectIntHashMap<>(); // only while loading
        jdbc.query("SELECT site_id, wp_user_id, person_id FROM user_link WHERE site_id IN (" + marksSql + ")",
                rs -> {
                    SiteBooks site = books.sites.get(rs.getString(1));
                    long id = rs.getLong(2);
                    String person = rs.getString(3);
                    int number = persons.getOrDefault(person, -1);
                    if (number < 0) {
                        number = persons.size();
                        persons.put(person, number);
                    }
                    site.personOf.put(id, number);
                    site.idOfPerson.put(number, id);
                    return null;
                }, params);
        jdbc.query("SELECT site_id, wp_user_id, fingerprint, seen_at, changed_at FROM user_snapshot"
                + " WHERE site_id IN (" + marksSql + ")", rs -> {
                    SiteBooks site = books.sites.get(rs.getString(1));
                    Instant changed = Jdbc.instant(rs, "changed_at");
                    site.markAt.put(rs.getLong(2), site.fingerprints.size());
                    site.fingerprints.add(Mark.fingerprintStart(rs.getString(3)));
                    site.seenAt.add(Jdbc.instant(rs, "seen_at").toEpochMilli());
                    site.changedAt.add(changed == null ? NEVER : changed.toEpochMilli());
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
        SiteBooks here = sites.get(site);
        SiteBooks there = sites.get(otherSite);
        int person = here == null ? -1 : here.personOf.getOrDefault(wpUserId, -1);
        if (person < 0 || there == null || !there.idOfPerson.containsKey(person)) {
            return Optional.empty();
        }
        return Optional.of(there.idOfPerson.get(person));
    }

    @Override
    public Optional<Mark> mark(String site, long wpUserId) {
        SiteBooks books = sites.get(site);
        int at = books == null ? -1 : books.markAt.getOrDefault(wpUserId, -1);
        if (at < 0) {
            return Optional.empty();
        }
        long changed = books.changedAt.get(at);
        return Optional.of(new Mark(books.fingerprints.get(at), Instant.ofEpochMilli(books.seenAt.get(at)),
                changed == NEVER ? null : Instant.ofEpochMilli(changed)));
    }

    @Override
    public Optional<UserState> lastState(String site, long wpUserId) {
        return snapshots.find(site, wpUserId).map(Snapshot::state);
    }
}
