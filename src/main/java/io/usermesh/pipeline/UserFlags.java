package io.usermesh.pipeline;

import io.usermesh.detection.Detected;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.CompanionFields;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.storage.Jdbc;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * user_flag: per site and user, "propagation off" (changes made there are not sent on) and
 * "protected" (that site accepts no change for the user). A user is named by email or login.
 */
public final class UserFlags {

    public record Flags(boolean propagationOff, boolean isProtected) {
        public static final Flags NONE = new Flags(false, false);
    }

    private final Jdbc jdbc;

    public UserFlags(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public Flags get(String siteId, String userKey) {
        List<Flags> rows = jdbc.query("SELECT propagation_off, protected FROM user_flag WHERE site_id = ? AND user_key = ?",
                rs -> new Flags(rs.getBoolean(1), rs.getBoolean(2)), siteId, normalize(userKey));
        return rows.isEmpty() ? Flags.NONE : rows.get(0);
    }

    /** The flags of a user, whether they were set under the email or the login (one query per check). */
    public Flags of(String siteId, UserState user) {
        List<Flags> rows = jdbc.query("SELECT propagation_off, protected FROM user_flag WHERE site_id = ?"
                + " AND user_key IN (?, ?)", rs -> new Flags(rs.getBoolean(1), rs.getBoolean(2)), siteId,
                normalize(user.email()), normalize(user.username()));
        return new Flags(rows.stream().anyMatch(Flags::propagationOff), rows.stream().anyMatch(Flags::isProtected));
    }

    public void set(String siteId, String userKey, Flags flags) {
        String key = normalize(userKey);
        int updated = jdbc.update("UPDATE user_flag SET propagation_off = ?, protected = ?, updated_at = ?"
                + " WHERE site_id = ? AND user_key = ?", flags.propagationOff(), flags.isProtected(), Instant.now(),
                siteId, key);
        if (updated == 0) {
            jdbc.update("INSERT INTO user_flag (site_id, user_key, propagation_off, protected, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?)", siteId, key, flags.propagationOff(), flags.isProtected(), Instant.now());
        }
    }

    /**
     * Step of route change-detected: the companion plugin's profile-screen toggles, as a poll or push
     * read them, become the user's flags here, so they are the same flags as the admin API's. Only a
     * change of the toggles is copied (or a toggle already on when the plugin first shows them): a
     * flag set through the API while the site could not be told is not undone by the site's older value.
     */
    public void mirror(Detected detected) {
        UserChange change = detected.change();
        CompanionFields now = change.state().companion();
        if (now == null || change.kind() == ChangeKind.DELETED) {
            return;
        }
        CompanionFields before = detected.before() == null ? null : detected.before().state().companion();
        boolean toggled = before == null ? now.propagationOff() || now.isProtected()
                : before.propagationOff() != now.propagationOff() || before.isProtected() != now.isProtected();
        Flags shown = new Flags(now.propagationOff(), now.isProtected());
        if (toggled && !of(change.sourceSite(), change.state()).equals(shown)) {
            setEveryKey(change.sourceSite(), change.state(), shown);
        }
    }

    /**
     * The flags on every row of the user, whether set under the email or the login (as {@link #of}
     * reads them), else on a new row under its audit key: a toggle turned off on the site clears a flag
     * set through the API under the other key.
     */
    private void setEveryKey(String siteId, UserState user, Flags flags) {
        int updated = jdbc.update("UPDATE user_flag SET propagation_off = ?, protected = ?, updated_at = ?"
                + " WHERE site_id = ? AND user_key IN (?, ?)", flags.propagationOff(), flags.isProtected(),
                Instant.now(), siteId, normalize(user.email()), normalize(user.username()));
        if (updated == 0) {
            set(siteId, user.auditKey(), flags);
        }
    }

    /** Emails compare without case; logins are kept as typed. */
    static String normalize(String userKey) {
        return userKey.contains("@") ? userKey.toLowerCase(Locale.ROOT) : userKey;
    }
}
