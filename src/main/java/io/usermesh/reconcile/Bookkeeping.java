package io.usermesh.reconcile;

import io.usermesh.model.UserState;
import java.time.Instant;
import java.util.Optional;

/**
 * What usermesh remembers about users, as a reconciliation needs it: which users of two sites are
 * one person (user_link) and what each site looked like when usermesh last saw it (user_snapshot).
 */
public interface Bookkeeping {

    /**
     * A user's snapshot in short.
     *
     * @param fingerprintStart see {@link #fingerprintStart}
     * @param seenAt when usermesh last read or wrote the user there
     * @param changedAt when a change made on that site itself was last detected; null if never
     */
    record Mark(long fingerprintStart, Instant seenAt, Instant changedAt) {

        static Mark of(String fingerprint, Instant seenAt, Instant changedAt) {
            return new Mark(fingerprintStart(fingerprint), seenAt, changedAt);
        }

        /** The first 64 bits of a fingerprint (hex SHA-256): enough to tell two states apart. */
        static long fingerprintStart(String fingerprint) {
            return Long.parseUnsignedLong(fingerprint.substring(0, 16), 16);
        }

        /** Whether the site still shows what usermesh last saw of the user. */
        boolean shows(UserState state) {
            return fingerprintStart == fingerprintStart(state.fingerprint());
        }
    }

    /** The id on {@code otherSite} of the person who is {@code wpUserId} on {@code site}, per user_link. */
    Optional<Long> linked(String site, long wpUserId, String otherSite);

    Optional<Mark> mark(String site, long wpUserId);

    /** The last state seen of a user (one that is gone now), if usermesh kept it. */
    Optional<UserState> lastState(String site, long wpUserId);

    /**
     * user_link and user_snapshot as stored in the database, read once per reconciliation; nothing
     * when the database has no usermesh tables yet (a dry run never creates them).
     */
    static java.util.function.Function<java.util.Collection<String>, Bookkeeping> stored(
            javax.sql.DataSource dataSource) {
        return sites -> StoredBookkeeping.schemaPresent(dataSource) ? StoredBookkeeping.load(dataSource, sites) : NONE;
    }

    /** Nothing known: no database yet. */
    Bookkeeping NONE = new Bookkeeping() {
        @Override
        public Optional<Long> linked(String site, long wpUserId, String otherSite) {
            return Optional.empty();
        }

        @Override
        public Optional<Mark> mark(String site, long wpUserId) {
            return Optional.empty();
        }

        @Override
        public Optional<UserState> lastState(String site, long wpUserId) {
            return Optional.empty();
        }
    };
}
