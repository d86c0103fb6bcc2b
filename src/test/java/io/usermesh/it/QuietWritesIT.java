package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the companion on the target (test-bed site 2, WordPress 6.8), an email change usermesh applies
 * sends the user no "your email changed" notice there, while the same change made by a person does.
 * The test bed's sendmail appends every mail to its mail.log.
 */
class QuietWritesIT {

    @TempDir
    Path workDir;

    @Test
    void anEmailChangeUsermeshAppliesMailsNobodyOneAPersonMakesIsNoticed() throws Exception {
        String yaml = Configs.sitesYaml("  pollInterval: 2s\n", List.of(TestBed.site(1), TestBed.site(2)),
                ResilienceIT.PUSH);
        WpAdmin a = WpAdmin.of(1);
        WpAdmin admin2 = WpAdmin.of(2);
        String login = Sync.uniqueLogin("quiet");
        String before = Sync.email(login);
        String after = Sync.email(login + "-new");
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, List.of("site1", "site2"))) {
            long id = a.create(login, before, Map.of()).path("id").asLong();
            runner.await(Duration.ofSeconds(30), "the user on site2", () -> admin2.byEmail(before).isPresent());

            a.update(id, Map.of("email", after));
            runner.await(Duration.ofSeconds(30), "the new email on site2", () -> admin2.byEmail(after).isPresent());
            Thread.sleep(1000); // the mail, were one sent, is written as the request ends
            assertFalse(mails().contains(before), "usermesh's change sent the old address a notice on site2");
        }
        // control: the same kind of change by a person (an application password that is not usermesh's)
        JsonNode own = admin2.send("POST", "/wp-json/wp/v2/users/me/application-passwords",
                Map.of("name", "it-" + login));
        try {
            long onB = admin2.byEmail(after).orElseThrow().path("id").asLong();
            admin2.withAppPassword(own.path("password").asText()).update(onB, Map.of("email", before));
            assertTrue(mails().contains(after), "a person's email change is noticed to the old address");
        } finally {
            admin2.send("DELETE", "/wp-json/wp/v2/users/me/application-passwords/" + own.path("uuid").asText(), null);
        }
    }

    private static String mails() throws Exception {
        Path log = TestBed.stateDir().resolve("mail.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
