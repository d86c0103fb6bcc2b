package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A paused target keeps its changes queued; once it is active again they arrive. */
class PausedTargetIT {

    @TempDir
    Path workDir;

    @Test
    void changesForAPausedTargetWaitUntilItIsResumed() throws Exception {
        WpAdmin a = WpAdmin.of(1);
        WpAdmin b = WpAdmin.of(2);
        String login = "paused" + UUID.randomUUID().toString().substring(0, 6);
        String email = login + "@example.test";
        String paused = Configs.sitesYaml("  pollInterval: 3s\n", List.of(TestBed.site(1), TestBed.site(2)),
                Map.of(2, "    status: paused\n"), ResilienceIT.PUSH);
        MariaDb db = MariaDb.create();
        try {
            try (SyncRunner runner = SyncRunner.start(workDir, paused, "", List.of("site1"), db, false)) {
                a.create(login, email, Map.of("first_name", "Pia"));
                runner.await(Duration.ofSeconds(20), "the change queued for site2", () -> runner.count(
                        "SELECT COUNT(*) FROM outbox WHERE target_site = 'site2' AND status = 'pending'"
                                + " AND user_key = ?", email) == 1);
                Thread.sleep(7_000); // two more polls and many dispatch rounds
                assertTrue(b.byEmail(email).isEmpty(), "nothing is written to a paused site");
                assertEquals(0, runner.logFor(email).size(), "no attempt, no refusal: it waits");
            }
            String resumed = Configs.sitesYaml("  pollInterval: 3s\n", List.of(TestBed.site(1), TestBed.site(2)),
                    ResilienceIT.PUSH);
            try (SyncRunner runner = SyncRunner.start(workDir, resumed, "", List.of("site1"), db, false)) {
                runner.await(Duration.ofSeconds(20), "the queued change delivered", () -> b.byEmail(email).isPresent());
                assertEquals("Pia", b.byEmail(email).orElseThrow().path("first_name").asText());
            }
        } finally {
            db.close();
        }
    }
}
