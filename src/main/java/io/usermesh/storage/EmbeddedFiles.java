package io.usermesh.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 database's files: the data directory only its owner may enter (0700), its files
 * only its owner may read (0600), and the random password of the database's {@code sa} account in
 * {@code db.password} (0600). The password matters because the runner lets CLI commands share the
 * open database through H2's automatic server, a TCP listener bound to loopback: anyone on the
 * machine may reach it, only the owner of the data directory can log in.
 */
final class EmbeddedFiles {

    static final String PASSWORD_FILE = "db.password";
    static final String DATABASE_FILE = "usermesh.mv.db";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFiles.class);
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private EmbeddedFiles() {
    }

    /**
     * Creates the data directory (0700) and returns the database password, making one on first use. A
     * database made before usermesh kept a password has an {@code sa} without one: it gets the new password.
     */
    static String prepare(Path dataDir, String url) {
        try {
            boolean existed = Files.isDirectory(dataDir);
            Files.createDirectories(dataDir);
            if (!existed || Files.exists(dataDir.resolve(DATABASE_FILE))) {
                restrict(dataDir, DIR); // ours: made here, or it holds our database
            } else if (isPosix(dataDir) && !Files.getPosixFilePermissions(dataDir).equals(DIR)) {
                LOG.warn("data directory {} may be readable by others: chmod 700 it", dataDir);
            }
            Path file = dataDir.resolve(PASSWORD_FILE);
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            String password = randomPassword();
            if (Files.exists(dataDir.resolve(DATABASE_FILE))) {
                setPassword(url, password);
            }
            writeSecret(file, password);
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory " + dataDir, e);
        }
    }

    /** Makes the database's files (the database, its lock file naming the server, traces) owner-only. */
    static void restrictFiles(Path dataDir) {
        try (Stream<Path> files = Files.list(dataDir)) {
            files.filter(Files::isRegularFile).forEach(f -> restrict(f, FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dataDir, e);
        }
    }

    private static void setPassword(String url, String password) {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("ALTER USER SA SET PASSWORD '" + password + "'"); // base64url: nothing to quote
            LOG.info("the embedded database now has a password, kept in {}", PASSWORD_FILE);
        } catch (SQLException e) {
            throw new StorageException("setting the embedded database's password (is "
                    + PASSWORD_FILE + " missing from the data directory?)", e);
        }
    }

    private static void writeSecret(Path file, String secret) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temp);
        if (isPosix(file.getParent())) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(FILE));
        } else {
            Files.createFile(temp);
        }
        Files.writeString(temp, secret, StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(temp);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) {
        if (!isPosix(path)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict " + path, e);
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
