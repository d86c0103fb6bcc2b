package io.usermesh.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-bed site's own WordPress database (usermesh_wp_N on the local MariaDB), for what the REST
 * API is too slow or too coarse for: thousands of users at once, and an exact picture of the users
 * to prove that nothing changed.
 */
final class WpDatabase {

    /** The user meta that make up what usermesh syncs (not session tokens or application-password use). */
    private static final String SYNCED_META = "('nickname', 'first_name', 'last_name', 'description',"
            + " 'wp_capabilities', 'wp_user_level')";

    private final String database;

    WpDatabase(TestBed.WpSite site) {
        this.database = site.database();
    }

    static WpDatabase of(int index) {
        return new WpDatabase(TestBed.site(index));
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(MariaDb.SERVER + database, MariaDb.USER, MariaDb.PASSWORD);
    }

    /** Every user with the synced fields and meta, as text: equal texts mean the users did not change. */
    String picture() throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT ID, user_login, user_email, user_url, display_name"
                    + " FROM wp_users ORDER BY ID")) {
                while (rs.next()) {
                    text.append(rs.getLong(1)).append('|').append(rs.getString(2)).append('|')
                            .append(rs.getString(3)).append('|').append(rs.getString(4)).append('|')
                            .append(rs.getString(5)).append('\n');
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT user_id, meta_key, meta_value FROM wp_usermeta"
                    + " WHERE meta_key IN " + SYNCED_META + " ORDER BY user_id, meta_key")) {
                while (rs.next()) {
                    text.append(rs.getLong(1)).append('|').append(rs.getString(2)).append('|')
                            .append(rs.getString(3)).append('\n');
                }
            }
        }
        return text.toString();
    }

    /**
     * Inserts {@code count} subscribers {@code <prefix><n>} (email {@code <prefix><n>@bulk.test},
     * names "Bulk" and "User <n>"), as WordPress itself stores them. Returns login to id.
     */
    Map<String, Long> insertUsers(String prefix, int count) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            int batch = 500;
            for (int from = 0; from < count; from += batch) {
                StringBuilder sql = new StringBuilder("INSERT INTO wp_users (user_login, user_pass, user_nicename,"
                        + " user_email, user_url, user_registered, user_activation_key, user_status, display_name)"
                        + " VALUES ");
                List<Object> params = new ArrayList<>();
                for (int n = from; n < Math.min(count, from + batch); n++) {
                    String login = prefix + n;
                    sql.append(n == from ? "" : ", ").append("(?, ?, ?, ?, '', NOW(), '', 0, ?)");
                    params.addAll(List.of(login, "$P$Bnotarealhashnotarealhash.", login, login + "@bulk.test",
                            "Bulk User " + n));
                }
                execute(c, sql.toString(), params);
            }
            Map<String, Long> ids = ids(c, prefix);
            List<Object[]> meta = new ArrayList<>();
            ids.forEach((login, id) -> {
                String n = login.substring(prefix.length());
                meta.add(new Object[] {id, "nickname", login});
                meta.add(new Object[] {id, "first_name", "Bulk"});
                meta.add(new Object[] {id, "last_name", "User " + n});
                meta.add(new Object[] {id, "description", ""});
                meta.add(new Object[] {id, "wp_capabilities", "a:1:{s:10:\"subscriber\";b:1;}"});
                meta.add(new Object[] {id, "wp_user_level", "0"});
            });
            for (int from = 0; from < meta.size(); from += 1000) {
                StringBuilder sql = new StringBuilder("INSERT INTO wp_usermeta (user_id, meta_key, meta_value) VALUES ");
                List<Object> params = new ArrayList<>();
                for (int i = from; i < Math.min(meta.size(), from + 1000); i++) {
                    sql.append(i == from ? "" : ", ").append("(?, ?, ?)");
                    params.addAll(List.of(meta.get(i)));
                }
                execute(c, sql.toString(), params);
            }
            c.commit();
            return ids;
        }
    }

    Map<String, Long> ids(String prefix) throws SQLException {
        try (Connection c = connect()) {
            return ids(c, prefix);
        }
    }

    private static Map<String, Long> ids(Connection c, String prefix) throws SQLException {
        Map<String, Long> ids = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ID, user_login FROM wp_users WHERE user_login LIKE ?"
                + " ORDER BY ID")) {
            ps.setString(1, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(2), rs.getLong(1));
                }
            }
        }
        return ids;
    }

    String meta(long userId, String key) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT meta_value FROM wp_usermeta WHERE user_id = ? AND meta_key = ?")) {
            ps.setLong(1, userId);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    void setMeta(long userId, String key, String value) throws SQLException {
        try (Connection c = connect()) {
            execute(c, "UPDATE wp_usermeta SET meta_value = ? WHERE user_id = ? AND meta_key = ?",
                    List.of(value, userId, key));
        }
    }

    /** Removes users and their meta, as a site administrator deleting them would (without reassigning posts). */
    void deleteUsers(List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (Connection c = connect()) {
            for (int from = 0; from < ids.size(); from += 1000) {
                List<Object> part = new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + 1000)));
                String marks = String.join(", ", java.util.Collections.nCopies(part.size(), "?"));
                execute(c, "DELETE FROM wp_usermeta WHERE user_id IN (" + marks + ")", part);
                execute(c, "DELETE FROM wp_users WHERE ID IN (" + marks + ")", part);
            }
        }
    }

    /** Removes every user whose login starts with {@code prefix}. */
    void deleteUsers(String prefix) throws SQLException {
        deleteUsers(new ArrayList<>(ids(prefix).values()));
    }

    private static void execute(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            ps.executeUpdate();
        }
    }
}
