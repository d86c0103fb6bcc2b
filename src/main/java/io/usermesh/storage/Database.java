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
    private final Path embeddedDir;

    private Database(HikariDataSource dataSource, String url, Path embeddedDir) {
        this.dataSource = dataSource;
        this.url = url;
        this.embeddedDir = embeddedDir;
    }

    public static Database open(UsermeshSettings settings) {
        boolean embedded = settings.dbUrl().isBlank();
        String url = embedded ? embeddedUrl(settings.dataDir()) : settings.dbUrl();
        HikariConfig config = new HikariConfig();
        config.setPoolName("usermesh-db");
        config.setJdbcUrl(url);
        if (embedded) {
            config.setUsername("sa");
            config.setPassword(EmbeddedFiles.prepare(settings.dataDir(), url));
        } else {
            config.setUsername(settings.dbUser().isBlank() ? null : settings.dbUser());
            config.setPassword(settings.dbPassword().reveal());
        }
        config.setMaximumPoolSize(settings.dbPoolSize());
        config.setMinimumIdle(1);
        // Start even when the database is down: health reports it and the pool reconnects later.
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(5_000);
        return new Database(new HikariDataSource(config), url, embedded ? settings.dataDir() : null);
    }

    /**
     * H2 in MariaDB mode so one set of migrations serves both databases; AUTO_SERVER lets
     * CLI commands (logs, export) read the file while a runner holds it. Its listener binds to
     * loopback only ({@link #LOOPBACK_ONLY}) and the database has a password ({@link EmbeddedFiles}).
     */
    static String embeddedUrl(Path dataDir) {
        Path file = dataDir.toAbsolutePath().normalize().resolve("usermesh");
        return "jdbc:h2:file:" + file + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE";
    }

    static boolean isEmbedded(String url) {
        return url.startsWith("jdbc:h2:");
    }

    /**
     * H2's automatic server listens on every interface unless told otherwise: this makes it (and any
     * other H2 listener in the process) bind to loopback. Set before H2 first loads, from main; a value
     * given with -Dh2.bindAddress wins.
     */
    public static void bindEmbeddedServerToLoopback() {
        if (System.getProperty(LOOPBACK_ONLY) == null) {
            System.setProperty(LOOPBACK_ONLY, "127.0.0.1");
        }
    }

    static final String LOOPBACK_ONLY = "h2.bindAddress";

    /** Creates or migrates the schema; the embedded database's files are then made owner-only. */
    public MigrateResult migrate() {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        if (embeddedDir != null) {
            EmbeddedFiles.restrictFiles(embeddedDir);
        }
        return result;
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
