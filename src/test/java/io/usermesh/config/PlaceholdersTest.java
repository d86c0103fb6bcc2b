package io.usermesh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaceholdersTest {

    @TempDir
    Path dir;

    private Placeholders placeholders() {
        return new Placeholders(Map.of("HOST", "db.internal", "PORT", "3306", "EMPTY", "", "PASS", "p${env:HOST}"), dir);
    }

    private String resolve(String raw) {
        return placeholders().value(raw, "f.yaml", 7, "k").text();
    }

    private ConfigException failure(String raw) {
        return assertThrows(ConfigException.class, () -> resolve(raw));
    }

    @Test
    void environmentVariables() {
        assertEquals("jdbc:mariadb://db.internal:3306/x", resolve("jdbc:mariadb://${env:HOST}:${env:PORT}/x"));
        assertEquals("", resolve("${env:EMPTY}"), "set but empty is still set");
        assertEquals("fallback", resolve("${env:UNSET:-fallback}"));
        assertEquals("", resolve("${env:UNSET:-}"));
        assertEquals("fallback", resolve("${env:EMPTY:-fallback}"), "like the shell, :- also covers empty");
        assertEquals("db.internal", resolve("${env:HOST:-fallback}"));
        assertEquals("p${env:HOST}", resolve("${env:PASS}"), "a resolved value is not resolved again");
    }

    @Test
    void otherDollarBracesAreLiteral() {
        assertEquals("${body} and ${header.x} and $env:HOST", resolve("${body} and ${header.x} and $env:HOST"));
    }

    @Test
    void files() throws IOException {
        Files.writeString(dir.resolve("one.txt"), "line\n\n");
        Files.writeString(dir.resolve("crlf.txt"), "secret\r\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/two.txt"), "two");

        assertEquals("line\n", resolve("${file:one.txt}"), "only one trailing newline is stripped");
        assertEquals("secret", resolve("${file:crlf.txt}"));
        assertEquals("[two]", resolve("[${file:sub/two.txt}]"));
        assertEquals("two", resolve("${file:" + dir.resolve("sub/two.txt") + "}"), "absolute path");
    }

    @Test
    void unsetVariable() {
        ConfigException e = failure("x-${env:HOST}-${env:NOPE}");

        assertEquals("f.yaml:7: k: cannot resolve ${env:NOPE}: environment variable NOPE is not set"
                + " (write ${env:NOPE:-} to allow it to be empty)", e.getMessage());
        assertFalse(e.getMessage().contains("db.internal"), "the value of another placeholder is not shown");
        assertTrue(e.isUnresolved(), "only the value is missing: app-password may go on without it");
    }

    @Test
    void missingFile() {
        ConfigException e = failure("${file:nope.txt}");

        assertEquals("f.yaml:7: k: cannot resolve ${file:nope.txt}: cannot read " + dir.resolve("nope.txt")
                + " (NoSuchFileException)", e.getMessage());
        assertTrue(e.isUnresolved());
    }

    @Test
    void malformedPlaceholders() {
        assertEquals("unterminated placeholder: '${env:' has no closing '}'", failure("${env:HOST").problem());
        assertEquals("bad placeholder ${env:MY-VAR}: 'MY-VAR' is not an environment variable name",
                failure("${env:MY-VAR}").problem());
        assertFalse(failure("${env:MY-VAR}").isUnresolved(), "a malformed placeholder is a mistake in the file");
    }
}
