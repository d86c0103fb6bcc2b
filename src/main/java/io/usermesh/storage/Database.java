package io.usermesh.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.usermesh.config.UsermeshSettings;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** The connection pool and the schema migrations, for MariaDB or the embedded H2 default. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final String url;

    private Database(HikariDataSource dataSource, String url) {
        this.dataSource = dataSource;
        this.url = url;
    }

    public static Database open(UsermeshSettings settings) {
        String url = settings.dbUrl().isBlank() ? embeddedUrl(settings.dataDir()) : settings.dbUrl();
        HikariConfig config = new HikariConfig();
        config.setPoolName("usermesh-db");
        config.setJdbcUrl(url);
        if (!settings.dbUser().isBlank()) {
            config.setUsername(settings.dbUser());
        } else if (isEmbedded(url)) {
            config.setUsername("sa");
        }
        config.setPassword(settings.dbPassword().reveal());
        config.setMaximumPoolSize(settings.dbPoolSize());
        config.setMinimumIdle(1);
        // Start even when the database is down: health reports it and the pool reconnects later.
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(5_000);
        return new Database(new HikariDataSource(config), url);
    }

    /**
     * H2 in MariaDB mode so one set of migrations serves both databases; AUTO_SERVER lets
     * CLI commands (logs, export) read the file while a runner holds it.
     */
    static String embeddedUrl(Path dataDir) {
        Path file = dataDir.toAbsolutePath().normalize().resolve("usermesh");
        return "jdbc:h2:file:" + file + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE";
    }

    static boolean isEmbedded(String url) {
        return url.startsWith("jdbc:h2:");
    }

    public MigrateResult migrate() {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The JDBC URL without credentials, for log lines and health details. */
    public String describe() {
        int params = url.indexOf('?');
        return params < 0 ? url : url.substring(0, params);
    }

    public boolean isEmbedded() {
        return isEmbedded(url);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
