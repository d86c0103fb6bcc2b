package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * target/usermesh-companion.zip, made by the README's build, is what wp-admin takes as a plugin upload:
 * one top folder holding the main file with its plugin header, and every file of the plugin but its tests.
 */
class CompanionZipIT {

    @Test
    void theBuildZipsThePluginAsWordPressTakesAnUpload() throws Exception {
        Path plugin = TestBed.projectDir().resolve("wordpress/usermesh-companion");
        Set<String> expected = new TreeSet<>();
        try (Stream<Path> files = Files.walk(plugin)) {
            files.filter(Files::isRegularFile).map(f -> "usermesh-companion/" + plugin.relativize(f))
                    .filter(name -> !name.startsWith("usermesh-companion/tests/")).forEach(expected::add);
        }
        try (ZipFile zip = new ZipFile(TestBed.projectDir().resolve("target/usermesh-companion.zip").toFile())) {
            Set<String> entries = new TreeSet<>();
            zip.stream().filter(e -> !e.isDirectory()).forEach(e -> entries.add(e.getName()));
            assertEquals(expected, entries);
            String main = new String(zip.getInputStream(zip.getEntry("usermesh-companion/usermesh-companion.php"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(main.contains("Plugin Name:") && main.contains("Requires at least: 6.1"), main);
        }
    }
}
