package io.usermesh.reconcile;

import com.carrotsearch.hppc.LongArrayList;
import com.carrotsearch.hppc.LongIntHashMap;
import io.usermesh.config.MatchBy;
import io.usermesh.model.UserState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every user of one site as a reconciliation compares them: the WordPress id and the synced fields
 * ({@link UserState}), nothing else of the listing. The states are in a {@link StateSpill} (a
 * temporary file) and read back when a comparison needs them; the heap holds, per user, its id, the
 * start of its fingerprint and where its state is, plus the email and login indexes: under 100
 * bytes a user, where the states themselves took about 1.6 KB. Users are addressed by their position
 * in the listing ({@code 0..size()-1}) or by id. Close it when the plan is made.
 */
public final class SiteUsers implements AutoCloseable {

    private final String siteId;
    private final StateSpill spill;
    private final LongArrayList ids;
    private final LongArrayList fingerprints;
    private final LongArrayList refs;
    private final LongIntHashMap byId;
    private final LongIntHashMap byEmail;
    private final LongIntHashMap byLogin;
    private final int reportedTotal;
    private final boolean complete;
    /**
     * The user read last. Planning reads a user to find its match (key, then the hit's state to confirm
     * it), then again to compare the pair: this saves those second reads and their JSON parsing.
     */
    private volatile Read last;

    private record Read(int index, UserState state) {}

    private SiteUsers(Builder built, int reportedTotal, boolean complete) {
        this.siteId = built.siteId;
        this.spill = built.spill;
        this.ids = built.ids;
        this.fingerprints = built.fingerprints;
        this.refs = built.refs;
        this.byId = built.byId;
        this.byEmail = built.byEmail;
        this.byLogin = built.byLogin;
        this.reportedTotal = reportedTotal;
        this.complete = complete;
    }

    /**
     * @param users in listing order (by id)
     * @param complete false when the listing held fewer users than the site announced (X-WP-Total):
     *        no deletion is inferred from the absence of a user in such a listing
     */
    public SiteUsers(String siteId, Map<Long, UserState> users, int reportedTotal, boolean complete) {
        this(fill(new Builder(siteId), users), reportedTotal, complete);
    }

    private static Builder fill(Builder builder, Map<Long, UserState> users) {
        users.forEach(builder::add);
        return builder.flushed();
    }

    /** A complete listing of these users. */
    public static SiteUsers of(String siteId, Map<Long, UserState> users) {
        return new SiteUsers(siteId, users, users.size(), true);
    }

    /** Collects a site's users as they are listed. */
    static final class Builder {

        private final String siteId;
        private final StateSpill spill = new StateSpill();
        private final LongArrayList ids = new LongArrayList();
        private final LongArrayList fingerprints = new LongArrayList();
        private final LongArrayList refs = new LongArrayList();
        private final LongIntHashMap byId = new LongIntHashMap();
        private final LongIntHashMap byEmail = new LongIntHashMap();
        private final LongIntHashMap byLogin = new LongIntHashMap();

        Builder(String siteId) {
            this.siteId = siteId;
        }

        /** A user listed again (a page shifted while listing) replaces its first sighting. */
        void add(long id, UserState user) {
            int at = byId.getOrDefault(id, -1);
            long ref = spill.write(user);
            if (at >= 0) {
                refs.set(at, ref);
                fingerprints.set(at, fingerprintStart(user));
                return;
            }
            at = ids.size();
            ids.add(id);
            fingerprints.add(fingerprintStart(user));
            refs.add(ref);
            byId.put(id, at);
            if (!user.email().isBlank()) {
                byEmail.putIfAbsent(hash(user.email().toLowerCase(Locale.ROOT)), at);
            }
            byLogin.putIfAbsent(hash(user.username()), at);
        }

        int size() {
            return ids.size();
        }

        /** A listing given up on: its temporary file goes. */
        void discard() {
            spill.close();
        }

        SiteUsers build(int reportedTotal, boolean complete) {
            return new SiteUsers(flushed(), reportedTotal, complete);
        }

        private Builder flushed() {
            try {
                spill.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the reconciliation's temporary file", e);
            }
            return this;
        }
    }

    /**
     * The first 64 bits of the user's fingerprint: two users with the same are the same in every synced
     * field (a chance of 2^-64 otherwise), so most pairs are compared without reading either state.
     */
    static long fingerprintStart(UserState user) {
        return Bookkeeping.Mark.fingerprintStart(user.fingerprint());
    }

    /** A 64-bit hash of a key (FNV-1a over its UTF-8 bytes); a hit is checked against the state. */
    private static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * The users with this email (any case) or login. The listing keeps its completeness, and the
     * same filter on every site keeps users that are not named from being taken as deleted.
     */
    public SiteUsers only(String userKey) {
        Builder kept = new Builder(siteId);
        for (int i = 0; i < size(); i++) {
            UserState user = state(i);
            if (user.email().equalsIgnoreCase(userKey) || user.username().equals(userKey)) {
                kept.add(idAt(i), user);
            }
        }
        return kept.build(kept.size(), complete);
    }

    public String siteId() {
        return siteId;
    }

    public int reportedTotal() {
        return reportedTotal;
    }

    public boolean complete() {
        return complete;
    }

    public int size() {
        return ids.size();
    }

    /** The ids, in listing order. */
    public List<Long> ids() {
        List<Long> all = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            all.add(idAt(i));
        }
        return all;
    }

    public long idAt(int index) {
        return ids.get(index);
    }

    /** The position of the user with this id, or -1. */
    public int indexOf(long wpUserId) {
        return byId.getOrDefault(wpUserId, -1);
    }

    public boolean has(long wpUserId) {
        return byId.containsKey(wpUserId);
    }

    /** The user at this position, read back from the spill. */
    public UserState state(int index) {
        Read read = last;
        if (read == null || read.index() != index) {
            read = new Read(index, spill.read(refs.get(index)));
            last = read;
        }
        return read.state();
    }

    /** See {@link #fingerprintStart}. */
    public long fingerprintAt(int index) {
        return fingerprints.get(index);
    }

    public UserState get(long wpUserId) {
        int at = indexOf(wpUserId);
        return at < 0 ? null : state(at);
    }

    /** The id of the user this site finds under {@code key} (see {@link UserState#key}). */
    public Optional<Long> idByKey(MatchBy matchBy, String key) {
        return matchBy == MatchBy.EMAIL ? idByEmail(key) : idByLogin(key);
    }

    public Optional<Long> idByLogin(String login) {
        if (login == null || login.isBlank()) {
            return Optional.empty();
        }
        return find(byLogin, hash(login), user -> user.username().equals(login));
    }

    public Optional<Long> idByEmail(String email) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        String lower = email.toLowerCase(Locale.ROOT);
        return find(byEmail, hash(lower), user -> user.email().toLowerCase(Locale.ROOT).equals(lower));
    }

    private Optional<Long> find(LongIntHashMap index, long hash, Predicate<UserState> is) {
        int at = index.getOrDefault(hash, -1);
        return at >= 0 && is.test(state(at)) ? Optional.of(idAt(at)) : Optional.empty();
    }

    @Override
    public void close() {
        spill.close();
    }
}
