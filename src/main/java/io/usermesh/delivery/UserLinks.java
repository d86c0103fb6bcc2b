package io.usermesh.delivery;

import io.usermesh.storage.Jdbc;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** user_link: which WordPress user id on each site is the same person. */
public final class UserLinks {

    private final Jdbc jdbc;

    public UserLinks(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** The id on {@code targetSite} of the person who is {@code sourceUserId} on {@code sourceSite}. */
    public Optional<Long> targetId(String sourceSite, long sourceUserId, String targetSite) {
        List<Long> ids = jdbc.query("SELECT t.wp_user_id FROM user_link s JOIN user_link t ON t.person_id = s.person_id"
                + " WHERE s.site_id = ? AND s.wp_user_id = ? AND t.site_id = ?", rs -> rs.getLong(1),
                sourceSite, sourceUserId, targetSite);
        return ids.stream().findFirst();
    }

    /** Records that two site users are one person, merging what was known of either. */
    public synchronized void link(String siteA, long idA, String siteB, long idB, String userKey) {
        Map<String, String> persons = new HashMap<>();
        jdbc.query("SELECT site_id, wp_user_id, person_id FROM user_link WHERE (site_id = ? AND wp_user_id = ?)"
                + " OR (site_id = ? AND wp_user_id = ?)", rs -> persons.put(rs.getString(1) + "#" + rs.getLong(2),
                        rs.getString(3)), siteA, idA, siteB, idB);
        Optional<String> personA = Optional.ofNullable(persons.get(siteA + "#" + idA));
        Optional<String> personB = Optional.ofNullable(persons.get(siteB + "#" + idB));
        if (personA.isPresent() && personA.equals(personB)) {
            return; // linked already, as after every delivery but a person's first: one read, no write
        }
        String person = personA.or(() -> personB).orElseGet(() -> UUID.randomUUID().toString());
        if (personB.isPresent() && !personB.get().equals(person)) {
            jdbc.update("UPDATE user_link SET person_id = ? WHERE person_id = ?", person, personB.get());
        }
        // a person has one user per site: a stale id from before a delete and re-create goes
        jdbc.update("DELETE FROM user_link WHERE person_id = ? AND site_id = ? AND wp_user_id <> ?", person, siteB, idB);
        jdbc.update("DELETE FROM user_link WHERE person_id = ? AND site_id = ? AND wp_user_id <> ?", person, siteA, idA);
        insertIfMissing(siteA, idA, person, userKey, personA.isPresent());
        insertIfMissing(siteB, idB, person, userKey, personB.isPresent());
    }

    public void unlink(String site, long wpUserId) {
        jdbc.update("DELETE FROM user_link WHERE site_id = ? AND wp_user_id = ?", site, wpUserId);
    }

    private void insertIfMissing(String site, long id, String person, String userKey, boolean exists) {
        if (!exists) {
            jdbc.update("INSERT INTO user_link (site_id, wp_user_id, person_id, user_key, linked_at)"
                    + " VALUES (?, ?, ?, ?, ?)", site, id, person, userKey, Instant.now());
        }
    }

    /** The person a site's user is linked as, if any: the same id on every site it is linked to. */
    public Optional<String> person(String site, long id) {
        return jdbc.query("SELECT person_id FROM user_link WHERE site_id = ? AND wp_user_id = ?",
                rs -> rs.getString(1), site, id).stream().findFirst();
    }
}
