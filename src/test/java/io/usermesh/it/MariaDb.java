package io.usermesh.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A throw-away database on the local MariaDB (127.0.0.1:3306, root) for one test class. */
public final class MariaDb implements AutoCloseable {

    public static final String SERVER = envOr("USERMESH_TEST_MARIADB", "jdbc:mariadb://127.0.0.1:3306/");
    public static final String USER = envOr("USERMESH_TEST_MARIADB_USER", "root");
    public static final String PASSWORD = envOr("USERMESH_TEST_MARIADB_PASSWORD", "");

    private final String name;

    private MariaDb(String name) {
        this.name = name;
    }

    public static MariaDb create() throws SQLException {
        String name = "usermesh_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        return new MariaDb(name);
    }

    public String url() {
        return SERVER + name;
    }

    public String urlVia(int port) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    @Override
    public void close() throws SQLException {
        execute("DROP DATABASE IF EXISTS " + name);
    }
}
