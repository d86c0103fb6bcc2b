package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code usermesh reconcile} on real sites, with no runner running: drift made behind usermesh's
 * back is listed by a dry run without changing anything, and repaired by a real run through the
 * normal delivery path (audited with origin reconcile). And 5,000 users per site in 256 MB of heap.
 */
class ReconcileIT {

    static final Duration TWO_POLLS = Duration.ofSeconds(2 * 2 + 15);

    @TempDir
    Path workDir;

    @Test
    void driftOnAPushTargetIsListedByADryRunAndRepairedByReconcile() throws Exception {
        String yaml = Configs.pushSite1ToSite2("2s");
        WpAdmin site1 = WpAdmin.of(1);
        WpAdmin site2 = WpAdmin.of(2);
        String prefix = "rc" + UUID.randomUUID().toString().substring(0, 6) + "-";
        String ann = prefix + "ann@example.test";
        String bob = prefix + "bob@example.test";
        String carl = prefix + "carl@example.test";
        String eve = prefix + "eve@example.test";
        String dan = prefix + "dan@example.test";
        String fay = prefix + "fay@example.test";
        try (MariaDb db = MariaDb.create()) {
            try {
                // 1. a runner syncs four users site1 -> site2 (links and snapshots recorded), then stops
                long eveOnSite1;
                try (SyncRunner runner = SyncRunner.start(workDir, yaml, "", List.of("site1", "site2"), db, false)) {
                    for (String email : List.of(ann, bob, carl, eve)) {
                        String login = email.substring(0, email.indexOf('@'));
                        site1.create(login, email, Map.of("first_name", "First " + login, "last_name", "Last",
                                "roles", List.of("author")));
                    }
                    runner.await(TWO_POLLS, "four users on site2", () -> List.of(ann, bob, carl, eve).stream()
                            .allMatch(email -> site2.byEmail(email).isPresent()));
                    runner.await(Duration.ofSeconds(15), "outbox drained", () -> runner.count(
                            "SELECT COUNT(*) FROM outbox WHERE status = 'pending'") == 0);
                    eveOnSite1 = site1.byEmail(eve).orElseThrow().path("id").asLong();
                }

                // 2. behind usermesh's back, while no runner runs
                site2.update(site2.byEmail(ann).orElseThrow().path("id").asLong(), Map.of("first_name", "Drifted"));
                site2.update(site2.byEmail(bob).orElseThrow().path("id").asLong(), Map.of("roles", List.of("editor")));
                site2.delete(site2.byEmail(carl).orElseThrow().path("id").asLong());
                site2.create(prefix + "dan", dan, Map.of("first_name", "Dan")); // never linked: must stay
                site1.delete(eveOnSite1);
                site1.create(prefix + "fay", fay, Map.of("first_name", "Fay", "roles", List.of("author")));

                Map<String, String> env = SyncRunner.dbEnv(db);
                String[] args = {"--config-dir", workDir.resolve("config").toString(),
                    "--routes-dir", TestBed.projectDir().resolve("routes").toString()};

                // 3. the dry run lists the drift and changes nothing
                String before1 = WpDatabase.of(1).picture();
                String before2 = WpDatabase.of(2).picture();
                String dbBefore = bookkeeping(db);
                JarProcess.Result dry = JarProcess.run(workDir, env, Duration.ofSeconds(120),
                        concat(new String[] {"reconcile", "--dry-run"}, args));
                String out = dry.output();
                assertEquals(0, dry.exitCode(), out);
                System.out.println("ReconcileIT dry run:\n" + out.lines().filter(l -> !l.startsWith("20"))
                        .collect(java.util.stream.Collectors.joining("\n")));
                assertTrue(out.contains("site2  update  " + ann + "  (profile)  from site1\n"), out);
                assertTrue(out.contains("site2  update  " + bob + "  (roles)  from site1\n"), out);
                assertTrue(out.contains("site2  create  " + carl + "  from site1\n"), out);
                assertTrue(out.contains("site2  create  " + fay + "  from site1\n"), out);
                assertTrue(out.contains("site2  delete  " + eve + "  (its user " + eveOnSite1 + " on site1 is gone)\n"),
                        out);
                assertFalse(out.contains(dan), "a user never linked to site1 is left alone:\n" + out);
                assertTrue(out.contains("(dry run: nothing is changed)"), out);
                assertTrue(Pattern.compile("reconcile: site[12] page 1/1 \\(\\d+ users\\)").matcher(out).find(), out);

                JarProcess.Result json = JarProcess.run(workDir, env, Duration.ofSeconds(120),
                        concat(new String[] {"reconcile", "--dry-run", "--json"}, args));
                assertEquals(0, json.exitCode(), json.output());
                Map<String, String> actions = new HashMap<>();
                for (JsonNode item : jsonOf(json.output()).path("items")) {
                    String user = item.path("user").asText();
                    if (user.startsWith(prefix)) {
                        String action = item.path("action").asText();
                        actions.put(user, action.equals("update") ? action + " " + item.path("groups") : action);
                    }
                }
                assertEquals(Map.of(ann, "update [\"profile\"]", bob, "update [\"roles\"]", carl, "create",
                        fay, "create", eve, "delete"), actions, json.output());

                assertEquals(before1, WpDatabase.of(1).picture(), "dry run changed site1");
                assertEquals(before2, WpDatabase.of(2).picture(), "dry run changed site2");
                assertEquals(dbBefore, bookkeeping(db), "dry run wrote to the database");

                // 4. the real run repairs site2 through the delivery path
                JarProcess.Result real = JarProcess.run(workDir, env, Duration.ofSeconds(180),
                        concat(new String[] {"reconcile"}, args));
                assertEquals(0, real.exitCode(), real.output());
                System.out.println("ReconcileIT real run (" + real.took().toMillis() + " ms):\n" + real.output());
                Matcher applied = Pattern.compile("applied (\\d+) of (\\d+) change\\(s\\)").matcher(real.output());
                assertTrue(applied.find() && applied.group(1).equals(applied.group(2)), real.output());

                assertEquals(before1, WpDatabase.of(1).picture(), "a push source is never written");
                for (String email : List.of(ann, bob, carl, fay)) {
                    JsonNode source = site1.byEmail(email).orElseThrow();
                    JsonNode target = site2.byEmail(email).orElseThrow(() -> new AssertionError(email + " missing"));
                    for (String field : List.of("username", "name", "first_name", "last_name", "nickname", "url",
                            "description", "roles")) {
                        assertEquals(source.path(field), target.path(field), email + " " + field);
                    }
                }
                assertTrue(site2.byEmail(eve).isEmpty(), "eve deleted on site2");
                assertTrue(site2.byEmail(dan).isPresent(), "dan kept on site2");

                Map<String, String> audited = new HashMap<>();
                try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT user_key, action,"
                        + " status, origin FROM sync_log WHERE event_id LIKE 'rc-%' AND target_site = 'site2'")) {
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (rs.getString(1).startsWith(prefix)) {
                                audited.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3) + " "
                                        + rs.getString(4));
                            }
                        }
                    }
                }
                assertEquals(Map.of(ann, "edit success reconcile", bob, "edit success reconcile",
                        carl, "create success reconcile", fay, "create success reconcile",
                        eve, "delete success reconcile"), audited);

                // 5. a second look finds nothing left to do for these users
                JarProcess.Result again = JarProcess.run(workDir, env, Duration.ofSeconds(120),
                        concat(new String[] {"reconcile", "--dry-run"}, args));
                assertEquals(0, again.exitCode(), again.output());
                assertFalse(again.output().lines().anyMatch(l -> l.startsWith("site2") && l.contains(prefix)),
                        again.output());
            } finally {
                WpDatabase.of(1).deleteUsers(prefix);
                WpDatabase.of(2).deleteUsers(prefix);
            }
        }
    }

    /**
     * usermesh.reconcile.cron: the runner's scheduled reconciliation repairs drift on a push target,
     * which polling alone never sends back (site2's changes do not flow to site1).
     */
    @Test
    void theScheduledReconciliationRepairsDriftThatPollingLeaves() throws Exception {
        String yaml = Configs.pushSite1ToSite2("2s");
        WpAdmin site1 = WpAdmin.of(1);
        WpAdmin site2 = WpAdmin.of(2);
        String prefix = "rs" + UUID.randomUUID().toString().substring(0, 6) + "-";
        String email = prefix + "ann@example.test";
        try (SyncRunner runner = SyncRunner.start(workDir, yaml, "usermesh.reconcile.cron=0/5 * * * * ?\n",
                List.of("site1", "site2"), MariaDb.create(), true)) {
            try {
                site1.create(prefix + "ann", email, Map.of("first_name", "Ann", "roles", List.of("author")));
                runner.await(TWO_POLLS, "ann on site2", () -> site2.byEmail(email).isPresent());
                site2.update(site2.byEmail(email).orElseThrow().path("id").asLong(), Map.of("first_name", "Drifted"));
                runner.await(Duration.ofSeconds(30), "drift on site2 repaired", () -> site2.byEmail(email)
                        .map(u -> u.path("first_name").asText().equals("Ann")).orElse(false));
                // the audit row follows the write to the site: wait for it too
                runner.await(Duration.ofSeconds(10), "the reconcile edit audited", () -> runner.logFor(email)
                        .stream().anyMatch(r -> "reconcile".equals(r.origin()) && "edit".equals(r.action())
                                && "success".equals(r.status()) && "site2".equals(r.target())));
                assertTrue(runner.output().contains("full reconciliation scheduled: cron '0/5 * * * * ?'"));
            } finally {
                WpDatabase.of(1).deleteUsers(prefix);
                WpDatabase.of(2).deleteUsers(prefix);
            }
        }
    }

    /**
     * 5,000 users on each of three sites, inserted straight into their databases (REST would take
     * five minutes a site); site1 pushes to site2 and site3. A few drifted users are repaired, in a
     * 256 MB heap, with progress per page.
     */
    @Test
    void fiveThousandUsersPerSiteReconcileInABoundedHeap() throws Exception {
        int count = 5000;
        String prefix = "bulk" + UUID.randomUUID().toString().substring(0, 4) + "-";
        List<WpDatabase> dbs = List.of(WpDatabase.of(1), WpDatabase.of(2), WpDatabase.of(3));
        try (MariaDb db = MariaDb.create()) {
            try {
                long insertStart = System.nanoTime();
                List<Map<String, Long>> ids = new ArrayList<>();
                for (WpDatabase wp : dbs) {
                    ids.add(wp.insertUsers(prefix, count));
                }
                System.out.printf("ReconcileIT: inserted %d users into each of 3 sites in %d ms%n", count,
                        (System.nanoTime() - insertStart) / 1_000_000);
                // drift: three profiles edited on site2, two users deleted on site3
                for (int n : List.of(7, 2500, 4999)) {
                    dbs.get(1).setMeta(ids.get(1).get(prefix + n), "first_name", "Drifted");
                }
                dbs.get(2).deleteUsers(List.of(ids.get(2).get(prefix + 10), ids.get(2).get(prefix + 4000)));

                String yaml = Configs.sitesYaml("", List.of(TestBed.site(1), TestBed.site(2), TestBed.site(3)), """
                        links:
                          - between: [site1, site2]
                            direction: push
                          - between: [site1, site3]
                            direction: push
                        """);
                Path config = Configs.write(workDir, yaml, "");
                JarProcess.Result result = JarProcess.run(workDir, SyncRunner.dbEnv(db), Duration.ofMinutes(8),
                        "reconcile", "--config-dir", config.toString());
                String out = result.output();
                assertEquals(0, result.exitCode(), tail(out));
                for (int n : List.of(7, 2500, 4999)) {
                    assertTrue(out.contains("site2  update  " + prefix + n + "@bulk.test  (profile)  from site1\n"),
                            tail(out));
                }
                for (int n : List.of(10, 4000)) {
                    assertTrue(out.contains("site3  create  " + prefix + n + "@bulk.test  from site1\n"), tail(out));
                }
                long bulkLines = out.lines().filter(l -> l.startsWith("site") && l.contains(prefix)).count();
                assertEquals(5, bulkLines, "only the drifted users are touched:\n" + tail(out));
                Matcher progress = Pattern.compile("reconcile: site1 page (\\d+)/(\\d+) \\((\\d+) users\\)").matcher(out);
                int pages = 0;
                String last = null;
                while (progress.find()) {
                    pages++;
                    last = progress.group();
                }
                assertTrue(pages >= 50, "progress per page: " + pages + " lines, last " + last);
                Matcher summary = Pattern.compile("(\\d+) user\\(s\\) listed, \\d+ change\\(s\\) planned in (\\d+) ms;"
                        + " heap peak (\\d+) MB of (\\d+) MB").matcher(out);
                assertTrue(summary.find(), tail(out));
                assertTrue(Integer.parseInt(summary.group(1)) >= 3 * count - 2, summary.group());
                assertTrue(Integer.parseInt(summary.group(4)) <= 256, "runs with -Xmx256m: " + summary.group());
                System.out.printf("ReconcileIT: %s; whole command %d s%n", summary.group(), result.took().toSeconds());

                for (int n : List.of(7, 2500, 4999)) {
                    assertEquals("Bulk", dbs.get(1).meta(ids.get(1).get(prefix + n), "first_name"));
                }
                Map<String, Long> onSite3 = dbs.get(2).ids(prefix);
                assertEquals(count, onSite3.size());
                assertEquals("User 4000", dbs.get(2).meta(onSite3.get(prefix + 4000), "last_name"));
            } finally {
                for (WpDatabase wp : dbs) {
                    wp.deleteUsers(prefix);
                }
            }
        }
    }

    /** What usermesh has recorded: a dry run must leave it as it is. */
    private static String bookkeeping(MariaDb db) throws Exception {
        StringBuilder text = new StringBuilder();
        try (Connection c = db.connect()) {
            for (String sql : List.of("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM sync_log",
                    "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM outbox",
                    "SELECT COUNT(*), COALESCE(SUM(wp_user_id), 0) FROM user_link",
                    "SELECT COUNT(*), COALESCE(MAX(seen_at), '-') FROM user_snapshot",
                    "SELECT COUNT(*), 0 FROM CAMEL_MESSAGEPROCESSED")) {
                try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    text.append(sql).append(" -> ").append(rs.getString(1)).append(' ').append(rs.getString(2))
                            .append('\n');
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT site_id, wp_user_id, fingerprint FROM user_snapshot"
                    + " ORDER BY site_id, wp_user_id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    text.append(rs.getString(1)).append(rs.getLong(2)).append(rs.getString(3)).append('\n');
                }
            }
        }
        return text.toString();
    }

    /** The JSON document a --json command printed after its log lines. */
    private static JsonNode jsonOf(String output) throws Exception {
        int start = output.indexOf("\n{");
        int end = output.lastIndexOf('}');
        return new ObjectMapper().readTree(output.substring(start < 0 ? output.indexOf('{') : start + 1, end + 1));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String tail(String text) {
        return text.length() <= 8000 ? text : "..." + text.substring(text.length() - 8000);
    }
}
