package io.usermesh.reconcile;

import io.usermesh.config.MatchBy;
import io.usermesh.model.UserState;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every user of one site as a reconciliation compares them: the WordPress id and the synced fields
 * ({@link UserState}), nothing else of the listing. At 5,000 users this is a few megabytes.
 */
public final class SiteUsers {

    private final String siteId;
    private final Map<Long, UserState> byId;
    private final int reportedTotal;
    private final boolean complete;
    private final Map<String, Long> byEmail = new HashMap<>();
    private final Map<String, Long> byLogin = new HashMap<>();

    /**
     * @param users in listing order (by id)
     * @param complete false when the listing held fewer users than the site announced (X-WP-Total):
     *        no deletion is inferred from the absence of a user in such a listing
     */
    public SiteUsers(String siteId, Map<Long, UserState> users, int reportedTotal, boolean complete) {
        this.siteId = siteId;
        this.byId = Collections.unmodifiableMap(new LinkedHashMap<>(users));
        this.reportedTotal = reportedTotal;
        this.complete = complete;
        byId.forEach((id, user) -> {
            if (!user.email().isBlank()) {
                byEmail.putIfAbsent(user.email().toLowerCase(Locale.ROOT), id);
            }
            byLogin.putIfAbsent(user.username(), id);
        });
    }

    /** A complete listing of these users. */
    public static SiteUsers of(String siteId, Map<Long, UserState> users) {
        return new SiteUsers(siteId, users, users.size(), true);
    }

    /**
     * The users with this email (any case) or login. The listing keeps its completeness, and the
     * same filter on every site keeps users that are not named from being taken as deleted.
     */
    public SiteUsers only(String userKey) {
        Map<Long, UserState> kept = new LinkedHashMap<>();
        byId.forEach((id, user) -> {
            if (user.email().equalsIgnoreCase(userKey) || user.username().equals(userKey)) {
                kept.put(id, user);
            }
        });
        return new SiteUsers(siteId, kept, kept.size(), complete);
    }

    public String siteId() {
        return siteId;
    }

    public Map<Long, UserState> byId() {
        return byId;
    }

    public int reportedTotal() {
        return reportedTotal;
    }

    public boolean complete() {
        return complete;
    }

    public int size() {
        return byId.size();
    }

    public boolean has(long wpUserId) {
        return byId.containsKey(wpUserId);
    }

    public UserState get(long wpUserId) {
        return byId.get(wpUserId);
    }

    /** The id of the user this site finds under {@code key} (see {@link UserState#key}). */
    public Optional<Long> idByKey(MatchBy matchBy, String key) {
        return matchBy == MatchBy.EMAIL ? idByEmail(key) : idByLogin(key);
    }

    public Optional<Long> idByLogin(String login) {
        return login == null || login.isBlank() ? Optional.empty() : Optional.ofNullable(byLogin.get(login));
    }

    public Optional<Long> idByEmail(String email) {
        return email == null || email.isBlank() ? Optional.empty()
                : Optional.ofNullable(byEmail.get(email.toLowerCase(Locale.ROOT)));
    }
}
