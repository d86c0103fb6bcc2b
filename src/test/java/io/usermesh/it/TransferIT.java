package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export} and {@code import} on real sites: files as a person would edit them, every mode, bad files. */
class TransferIT {

    static final String HEADER = "username,email,name,first_name,last_name,nickname,url,description,roles,meta";

    @TempDir
    Path workDir;

    @Test
    void exportsEveryUserAndImportsWhatTheModeAllows() throws Exception {
        WpAdmin site1 = WpAdmin.of(1);
        WpAdmin site2 = WpAdmin.of(2);
        String tag = "tr" + UUID.randomUUID().toString().substring(0, 6);
        String ann = tag + "-ann@example.test";
        String bob = tag + "-bob@example.test";
        site1.create(tag + "-ann", ann, Map.of("first_name", "Ann", "roles", List.of("author")));
        site2.create(tag + "-ann", ann, Map.of("first_name", "Old", "roles", List.of("author")));
        Path config = Configs.write(workDir, Configs.sitesYaml(List.of(TestBed.site(1), TestBed.site(2))), "");

        // export: every user, JSON and CSV, with progress
        Path json = workDir.resolve("site1.json");
        JarProcess.Result exported = run(config, "export", "--site", "site1", "--out", json.toString());
        assertEquals(0, exported.exitCode(), exported.output());
        assertTrue(exported.output().contains("export: site1 page 1/"), exported.output());
        JsonNode users = new ObjectMapper().readTree(json.toFile());
        JsonNode exportedAnn = null;
        for (JsonNode u : users) {
            if (ann.equals(u.path("email").asText())) {
                exportedAnn = u;
            }
        }
        assertTrue(exportedAnn != null, "the user is in the export");
        assertEquals("Ann", exportedAnn.path("first_name").asText());
        assertEquals("author", exportedAnn.path("roles").get(0).asText());
        assertFalse(Files.readString(json).contains("password"), "no password field in an export");
        Path csv = workDir.resolve("site1.csv");
        assertEquals(0, run(config, "export", "--site", "site1", "--out", csv.toString()).exitCode());
        List<String> csvLines = Files.readAllLines(csv);
        assertEquals(HEADER, csvLines.get(0));
        assertTrue(csvLines.stream().anyMatch(l -> l.startsWith(tag + "-ann,") && l.contains(ann)
                && l.contains(",Ann,") && l.contains(",author,")), String.join("\n", csvLines));

        // import into site2: ann is there (with another first name), bob is not
        Path file = workDir.resolve("people.csv");
        Files.writeString(file, HEADER + "\n"
                + tag + "-ann," + ann + ",Ann Lee,Ann,Lee,ann,,,author,\n"
                + tag + "-bob," + bob + ",Bob Lee,Bob,Lee,bob,https://bob.example.test,\"Likes, commas\",editor,\n");
        JarProcess.Result update = run(config, "import", "--site", "site2", "--file", file.toString(), "--mode",
                "update-only");
        assertEquals(0, update.exitCode(), update.output());
        assertTrue(update.output().contains("2 user(s) in " + file + ": 0 created, 1 updated, 0 unchanged, 1 skipped"),
                update.output());
        assertTrue(update.output().contains("import: site2 2/2"), "progress: " + update.output());
        assertEquals("Ann", site2.byEmail(ann).orElseThrow().path("first_name").asText());
        assertTrue(site2.byEmail(bob).isEmpty(), "update-only creates nobody");

        JarProcess.Result add = run(config, "import", "--site", "site2", "--file", file.toString(), "--mode", "add-only");
        assertEquals(0, add.exitCode(), add.output());
        assertTrue(add.output().contains("1 created, 0 updated, 0 unchanged, 1 skipped"), add.output());
        JsonNode bobOnSite2 = site2.byEmail(bob).orElseThrow();
        assertEquals("Likes, commas", bobOnSite2.path("description").asText());
        assertEquals("editor", bobOnSite2.path("roles").get(0).asText());

        JarProcess.Result again = run(config, "import", "--site", "site2", "--file", file.toString(), "--mode",
                "add-and-update");
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.output().contains("0 created, 0 updated, 2 unchanged, 0 skipped"), again.output());

        // a role the site lacks fails that user only, with the reason; exit 1
        String cid = tag + "-cid@example.test";
        String dan = tag + "-dan@example.test";
        Path roles = workDir.resolve("roles.json");
        Files.writeString(roles, "[\n"
                + "  {\"username\": \"" + tag + "-cid\", \"email\": \"" + cid + "\", \"roles\": [\"shop_manager\"]},\n"
                + "  {\"username\": \"" + tag + "-dan\", \"email\": \"" + dan + "\", \"roles\": [\"subscriber\"]}\n"
                + "]\n");
        JarProcess.Result partly = run(config, "import", "--site", "site2", "--file", roles.toString(), "--mode",
                "add-only");
        assertEquals(1, partly.exitCode(), partly.output());
        assertTrue(partly.output().contains("line 2 " + cid + ": 400"), partly.output());
        assertTrue(partly.output().contains("1 created, 0 updated, 0 unchanged, 0 skipped (add-only), 1 failed"),
                partly.output());
        assertTrue(site2.byEmail(dan).isPresent());

        // a bad file changes nothing and names the line
        String eve = tag + "-eve@example.test";
        Path bad = workDir.resolve("bad.csv");
        Files.writeString(bad, HEADER + "\n" + tag + "-eve," + eve + ",,,,,,,,\n" + tag + "-fay,,,,,,,,,\n");
        JarProcess.Result refused = run(config, "import", "--site", "site2", "--file", bad.toString(), "--mode",
                "add-only");
        assertEquals(2, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains(bad + ":3: every user needs a username and an email; nothing was written"),
                refused.output());
        assertTrue(site2.byEmail(eve).isEmpty(), "nothing of a bad file is imported");
        Path twice = workDir.resolve("twice.csv");
        Files.writeString(twice, HEADER + "\n" + tag + "-eve," + eve + ",,,,,,,,\n" + tag + "-eve2," + eve.toUpperCase()
                + ",,,,,,,,\n");
        JarProcess.Result duplicate = run(config, "import", "--site", "site2", "--file", twice.toString(), "--mode",
                "add-only");
        assertEquals(2, duplicate.exitCode(), duplicate.output());
        assertTrue(duplicate.output().contains("is in the file twice (first on line 2)"), duplicate.output());
        assertEquals(2, run(config, "import", "--site", "site2", "--file", file.toString(), "--mode", "merge")
                .exitCode());
    }

    private JarProcess.Result run(Path config, String command, String... options) throws Exception {
        String[] args = new String[options.length + 3];
        args[0] = command;
        args[1] = "--config-dir";
        args[2] = config.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return JarProcess.run(workDir, Map.of(), Duration.ofMinutes(2), args);
    }
}
