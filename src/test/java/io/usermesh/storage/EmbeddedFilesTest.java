package io.usermesh.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database's directory and files are the owner's only, and its sa account has a password. */
class EmbeddedFilesTest {

    @TempDir
    Path tmp;

    @Test
    void aNewDataDirectoryIsOwnerOnlyAndKeepsARandomPassword() throws Exception {
        Path data = tmp.resolve("data");
        String url = Database.embeddedUrl(data);

        String password = EmbeddedFiles.prepare(data, url);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        Path file = data.resolve(EmbeddedFiles.PASSWORD_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(password.length() >= 32, password);
        assertEquals(password, EmbeddedFiles.prepare(data, url), "the same password on every start");
    }

    @Test
    void aDatabaseMadeWithoutAPasswordGetsOne() throws Exception {
        Path data = tmp.resolve("old");
        Files.createDirectories(data);
        String url = Database.embeddedUrl(data).replace(";AUTO_SERVER=TRUE", "");
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("CREATE TABLE kept (id INT)");
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        String password = EmbeddedFiles.prepare(data, url);
        EmbeddedFiles.restrictFiles(data);

        assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "sa", "").close());
        try (Connection c = DriverManager.getConnection(url, "sa", password)) {
            assertTrue(c.createStatement().executeQuery("SELECT COUNT(*) FROM kept").next());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                data.resolve(EmbeddedFiles.DATABASE_FILE))));
    }
}
