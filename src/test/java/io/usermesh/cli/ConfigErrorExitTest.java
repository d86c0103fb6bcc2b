package io.usermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.config.ConfigException;
import io.usermesh.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad-configuration case (src/test/resources/config-cases) stops the commands with exit
 * code 2 and one message naming file, line and key. BadConfigTest pins each case's exact
 * file/line/key; this test proves the command line turns that into the exit code and message.
 */
class ConfigErrorExitTest {

    private static final Map<String, String> ENV = Map.of("SHOP_PASS", "s3cr3t-from-env");

    static Stream<Path> cases() throws URISyntaxException, IOException {
        Path root = Path.of(ConfigErrorExitTest.class.getResource("/config-cases").toURI());
        List<Path> dirs;
        try (Stream<Path> list = Files.list(root)) {
            dirs = list.filter(Files::isDirectory).sorted().toList();
        }
        return dirs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runAndCheckExitWithTwoAndNameFileLineKey(Path caseDir) {
        ConfigException expected = expectedError(caseDir);
        String location = expected.file() + ":" + expected.line() + ": " + expected.key() + ": ";
        for (String command : List.of("run", "check")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int exit = UsermeshCli.execute(new String[] {command, "--config-dir", caseDir.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    ENV);

            String stderr = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, exit, command + ": " + stderr);
            assertTrue(stderr.startsWith("configuration error: " + location), command + ": " + stderr);
            assertEquals(1, stderr.strip().lines().count(), "one message: " + stderr);
            assertFalse(stderr.contains("s3cr3t"), "secret leaked: " + stderr);
        }
    }

    private static ConfigException expectedError(Path caseDir) {
        try {
            ConfigLoader.load(caseDir, ENV);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError(caseDir + " is meant to be a bad configuration but loads");
    }
}
