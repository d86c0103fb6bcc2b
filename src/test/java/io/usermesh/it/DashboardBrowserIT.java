package io.usermesh.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium driven by Selenium, no download) on a
 * running runner over real test-bed sites, one runner and one browser for the class, the tests in
 * order: what the page shows is asserted as a user sees it. site1 pushes to site2 (whose roleMap
 * sends authors to a role that site2 lacks until the test adds it: dead letters) and to site3, which
 * syncs manually (autoSync: false). Screenshots of the main views go to target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String HOSTILE = "<img src=x onerror=alert(1)>";
    static final String TOKEN = "tok-" + UUID.randomUUID();
    static final String GHOST = "um_ghost_" + UUID.randomUUID().toString().substring(0, 6);
    static final WpAdmin SITE1 = WpAdmin.of(1);
    static final WpAdmin SITE2 = WpAdmin.of(2);
    static final WpAdmin SITE3 = WpAdmin.of(3);

    static Path workDir;
    static Path profile;
    static SyncRunner runner;
    static WebDriver browser;
    static String api;
    /** Every email a test created on site1: deleted from all three sites at the end. */
    static final List<String> created = new ArrayList<>();
    /** The user the Users tests share. */
    static String email;

    @BeforeAll
    static void start() throws Exception {
        workDir = Files.createTempDirectory("usermesh-dashboard-it");
        profile = Files.createTempDirectory("usermesh-chromium");
        String yaml = Configs.sitesYaml("  pollInterval: 3s\n", List.of(TestBed.site(1), TestBed.site(2),
                TestBed.site(3)), Map.of(2, "    roleMap: {author: " + GHOST + "}\n", 3, "    autoSync: false\n"), """
                links:
                  - between: [site1, site2]
                    direction: push
                  - between: [site1, site3]
                    direction: push
                """);
        runner = SyncRunner.start(workDir, yaml, "usermesh.admin.token=" + TOKEN + "\nusermesh.alerts.period=1s\n",
                List.of("site1", "site2"),
                MariaDb.create(), true);
        api = "http://127.0.0.1:" + runner.httpPort() + "/api";
        browser = chromium(profile);
    }

    /** Debian's chromium through Debian's chromedriver: both named, so Selenium Manager never runs. */
    static WebDriver chromium(Path profile) {
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1500,1600", "--user-data-dir=" + profile);
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            Sync.closeAll(browser == null ? null : browser::quit, runner);
        } finally {
            for (String gone : created) {
                for (WpAdmin site : List.of(SITE1, SITE2, SITE3)) {
                    site.byEmail(gone).ifPresent(user -> site.delete(user.path("id").asLong()));
                }
            }
            TestBed.php(2, "remove_role('" + GHOST + "');");
            deleteTree(profile);
            deleteTree(workDir);
        }
    }

    @Test
    @Order(1)
    void signsInWithTheTokenAndSeesEverySiteAndTheManualOne() throws Exception {
        browser.get("http://127.0.0.1:" + runner.httpPort() + "/");
        assertTrue(text("#status").contains("Enter the admin token"), text("#status"));
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.cssSelector("#token-form button[type=submit]")).click();

        until("three sites listed", d -> d.findElements(By.cssSelector("#sites tbody tr")).size() == 3);
        assertEquals(List.of("site1", "site2", "site3"), column("#sites", 1));
        assertEquals("", browser.findElement(By.id("token")).getAttribute("value"), "the typed token is cleared");
        assertFalse(browser.getPageSource().contains(TOKEN), "the token is nowhere in the page");
        assertTrue(siteCell("site3", 3).getText().contains("manual mode"), siteCell("site3", 3).getText());
        assertFalse(siteCell("site1", 3).getText().contains("manual mode"));
        assertEquals("not polled", siteCell("site3", 6).getText());
        refreshUntil(d -> !siteCell("site1", 6).getText().equals("not yet")); // polled every 3 s
    }

    @Test
    @Order(2)
    void searchesAUserAndSeesItOnEachSite() throws Exception {
        String login = Sync.uniqueLogin("dash");
        email = Sync.email(login);
        created.add(email);
        long onSite1 = SITE1.create(login, email, Map.of("first_name", "Dana")).path("id").asLong();
        runner.awaitRow(WAIT, "the create delivered to site2", r -> r.userKey().equals(email)
                && "site2".equals(r.target()) && "success".equals(r.status()));
        long onSite2 = SITE2.byEmail(email).orElseThrow().path("id").asLong();

        search(email);
        searchUntil(email, d -> userCell("site2", "exists").getText().equals("yes"));
        assertEquals("yes", userCell("site1", "exists").getText());
        assertEquals(String.valueOf(onSite1), userCell("site1", "wp-id").getText());
        assertEquals(String.valueOf(onSite2), userCell("site2", "wp-id").getText());
        assertEquals(login, userCell("site2", "login").getText());
        assertEquals("subscriber", userCell("site2", "roles").getText());
        String person = userCell("site1", "person").getText();
        assertFalse(person.isBlank(), "the accounts are linked");
        assertEquals(person, userCell("site2", "person").getText(), "as one person");
        assertEquals("unknown (never polled)", userCell("site3", "exists").getText(),
                "site3 syncs manually: usermesh never listed it");
        assertTrue(text("#user-rows").contains("create"), text("#user-rows"));
        assertTrue(text("#user-rows").contains("success"), text("#user-rows"));

        search(login);
        searchUntil(login, d -> userCell("site1", "wp-id").getText().equals(String.valueOf(onSite1)));
    }

    @Test
    @Order(3)
    void togglesAFlagAndTheApiSeesIt() throws Exception {
        search(email);
        assertFalse(flag("site2", "protected").isSelected());
        click("the protected box of site2", () -> flag("site2", "protected"));
        untilStatus("site2: protected on for " + email);
        until("the protected box of site2 checked", d -> flag("site2", "protected").isSelected());
        assertTrue(flags("site2").path("protected").asBoolean(), "PUT through the page");
        assertFalse(flags("site2").path("propagationOff").asBoolean());
        assertFalse(flag("site1", "protected").isSelected(), "one site only");

        click("the protected box of site2", () -> flag("site2", "protected"));
        untilStatus("site2: protected off for " + email);
        // site2 has the companion plugin: the page's PUT also sets the profile screen's toggle there, and
        // records what it wrote in site2's snapshot, so a poll that listed site2 between the two clicks
        // cannot mirror the older "on" back: off stays off over the next two polls (every 3 s)
        long until = System.nanoTime() + Duration.ofSeconds(7).toNanos();
        while (System.nanoTime() < until) {
            assertFalse(flags("site2").path("protected").asBoolean(), "protected came back on");
            Thread.sleep(250);
        }
        searchUntil(email, d -> !flag("site2", "protected").isSelected());
    }

    @Test
    @Order(4)
    void syncsAUserNowToTheManualSite() throws Exception {
        search(email);
        assertTrue(SITE3.byEmail(email).isEmpty(), "site3 syncs manually: nothing moved it yet");
        click("to site3", () -> button(userCell("site1", "sync"), "to site3"));
        untilStatus("site1 → site3: 1 change(s) queued");
        runner.await(WAIT, "the user on site3", () -> SITE3.byEmail(email).isPresent());
        long onSite3 = SITE3.byEmail(email).orElseThrow().path("id").asLong();
        searchUntil(email, d -> userCell("site3", "exists").getText().equals("yes"));
        assertEquals(String.valueOf(onSite3), userCell("site3", "wp-id").getText());
        assertEquals(userCell("site1", "person").getText(), userCell("site3", "person").getText());
        screenshot("#users-section", "dashboard-users");
    }

    @Test
    @Order(5)
    void replaysDeadLettersOneAndAllForATarget() throws Exception {
        List<String> authors = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String login = Sync.uniqueLogin("dash-dead");
            authors.add(Sync.email(login));
            created.add(Sync.email(login));
            SITE1.create(login, Sync.email(login), Map.of("roles", List.of("author")));
        }
        for (String author : authors) {
            runner.awaitRow(WAIT, "a dead letter for " + author, r -> r.userKey().equals(author)
                    && "dead".equals(r.status()));
        }
        refreshUntil(d -> deadRow(authors.get(0)) != null && deadRow(authors.get(1)) != null);
        WebElement first = deadRow(authors.get(0));
        assertTrue(first.getText().contains("site2"), first.getText());
        assertTrue(first.getText().contains("role " + GHOST + " does not exist on site2"), first.getText());
        assertEquals("2", siteCell("site2", 9).getText(), "dead letters waiting for site2");
        assertEquals("Replay all 2 for site2", browser.findElement(By.cssSelector("#replay-targets button")).getText());
        screenshot("#dead-section", "dashboard-dead-letters");
        refreshUntil(d -> text("#alerts").contains("2 change(s) for site site2 failed for good"));
        assertEquals("alert", browser.findElement(By.xpath("//ul[@id='alerts']/li[contains(., 'site site2 failed"
                + " for good')]")).getAttribute("class"), "shown as an active alert");

        // the cause fixed on site2: the role exists now
        TestBed.php(2, "add_role('" + GHOST + "', 'Ghost', ['read' => true]);");
        click("Replay", () -> button(deadRow(authors.get(0)), "Replay"));
        until("the dead letter queued again", d -> text("#status").matches("dead letter \\d+ queued again"));
        runner.await(WAIT, "the first author on site2", () -> SITE2.written(authors.get(0)).isPresent());
        assertEquals(GHOST, SITE2.written(authors.get(0)).orElseThrow().path("roles").get(0).asText());
        assertTrue(SITE2.byEmail(authors.get(1)).isEmpty(), "the other one waits");
        refreshUntil(d -> deadRow(authors.get(0)) == null);

        click("Replay all", () -> button(browser.findElement(By.id("replay-targets")), "Replay all 1 for site2"));
        untilStatus("1 dead letter(s) for site2 queued again");
        runner.await(WAIT, "the second author on site2", () -> SITE2.byEmail(authors.get(1)).isPresent());
        refreshUntil(d -> text("#replay-targets").equals("No dead letters wait for replay."));
        assertEquals(0, browser.findElements(By.cssSelector("#dead-letters tbody tr")).size());
        assertEquals("[]", AdminApiIT.call("GET", api + "/dead-letters", TOKEN, null).body());
        assertEquals("0", siteCell("site2", 9).getText());
        refreshUntil(d -> text("#alerts").startsWith("No active alerts.") && text("#alerts").contains("Resolved"));
    }

    @Test
    @Order(6)
    void showsAHostileDisplayNameAsText() throws Exception {
        String login = Sync.uniqueLogin("dash-name");
        String hostile = Sync.email(login);
        created.add(hostile);
        long id = SITE1.create(login, hostile, Map.of()).path("id").asLong();
        // WordPress strips tags from names saved through its forms and REST API; a plugin or an
        // import writing the users table directly does not
        TestBed.php(1, "global $wpdb; $wpdb->update($wpdb->users, ['display_name' => '" + HOSTILE + "'], ['ID' => "
                + id + "]); clean_user_cache(" + id + ");");
        assertEquals(HOSTILE, SITE1.byEmail(hostile).orElseThrow().path("name").asText(), "site1 serves the name");

        search(hostile);
        searchUntil(hostile, d -> userCell("site1", "name").getText().equals(HOSTILE));
        assertTrue(userCell("site1", "name").isDisplayed());
        assertEquals(List.of(), browser.findElements(By.tagName("img")), "the name became an element");
        assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert(), "the name's script ran");
        assertEquals("usermesh", browser.getTitle());
    }

    @Test
    @Order(7)
    void showsWhatIsHappeningPerSiteAndPerMinute() throws Exception {
        long dead = runner.log().stream().filter(r -> "dead".equals(r.status())).count();
        assertEquals(2, dead, "the two dead letters of the replay test");
        refreshUntil(d -> text("#chart-legend").contains("dead 2"));
        String legend = text("#chart-legend");
        long success = Long.parseLong(legend.replaceAll(".*success (\\d+).*", "$1"));
        assertTrue(success >= 4, "creates and replays delivered: " + legend);
        assertTrue(browser.findElements(By.cssSelector("#chart svg rect.bar.success")).size() >= 1);
        assertTrue(browser.findElements(By.cssSelector("#chart svg rect.bar.dead")).size() >= 1);
        assertEquals(60, browser.findElements(By.cssSelector("#chart svg g")).size(), "a slot a minute");

        JsonNode sites = AdminApiIT.JSON.readTree(AdminApiIT.call("GET", api + "/sites", TOKEN, null).body());
        JsonNode site2 = sites.get(1);
        refreshUntil(d -> siteCell("site2", 7).getText().equals("0"));
        assertEquals("none", siteCell("site2", 8).getText(), "no lag: nothing waits");
        assertEquals("0", siteCell("site2", 9).getText());
        assertEquals(site2.path("concurrency").path("current").asText() + " / "
                + site2.path("concurrency").path("max").asText(), siteCell("site2", 10).getText());
        assertTrue(siteCell("site1", 6).getText().matches(".*\\d+:\\d+:\\d+.*"), siteCell("site1", 6).getText());
        screenshotOfTheTop("dashboard-sites-activity");
    }

    @Test
    @Order(8)
    void previewsAReconciliationWithoutApplyingIt() throws Exception {
        long before = runner.count("SELECT COUNT(*) FROM outbox");
        browser.findElement(By.id("reconcile-preview")).click();
        untilStatus("reconciliation planned (dry run)");
        String summary = text("#reconcile-summary");
        assertTrue(summary.startsWith("Dry run "), summary);
        assertTrue(summary.contains("site3: ") && summary.contains(" to create"), summary);
        assertTrue(browser.findElement(By.id("reconcile-apply")).isDisplayed(), "site3 lacks site1's users");
        assertTrue(browser.findElements(By.cssSelector("#reconcile-plan tbody tr")).size() > 0);
        assertEquals(before, runner.count("SELECT COUNT(*) FROM outbox"), "a preview queues nothing");
    }

    // --- what the tests read and do on the page

    static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    /** The visible texts of one column of a table's body (1-based). */
    static List<String> column(String table, int index) {
        return browser.findElements(By.cssSelector(table + " tbody tr td:nth-child(" + index + ")")).stream()
                .map(WebElement::getText).toList();
    }

    static WebElement siteCell(String site, int column) {
        return browser.findElement(By.cssSelector("#sites tr[data-site='" + site + "'] td:nth-child(" + column + ")"));
    }

    static WebElement userCell(String site, String cssClass) {
        return browser.findElement(By.cssSelector("#user-sites tr[data-site='" + site + "'] td." + cssClass));
    }

    static WebElement flag(String site, String name) {
        return userCell(site, "flags").findElement(By.cssSelector("input[name='" + name + "']"));
    }

    /** The shared user's flags on a site, as GET /api/users/{site}/{user}/flags answers them. */
    static JsonNode flags(String site) {
        try {
            return AdminApiIT.JSON.readTree(AdminApiIT.call("GET", api + "/users/" + site + "/" + email + "/flags",
                    TOKEN, null).body());
        } catch (Exception e) {
            throw new AssertionError("GET the flags of " + email + " on " + site, e);
        }
    }

    static WebElement button(WebElement parent, String label) {
        return parent.findElements(By.tagName("button")).stream().filter(b -> b.getText().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no button " + label + " in: " + parent.getText()));
    }

    /** The dead letters table's row of this user, or null. */
    static WebElement deadRow(String userKey) {
        return browser.findElements(By.cssSelector("#dead-letters tbody tr")).stream()
                .filter(tr -> tr.findElement(By.cssSelector("td.user")).getText().equals(userKey)).findFirst()
                .orElse(null);
    }

    /** A broken edit of sites.yaml shows at the top, named by file:line, while the sites stay as they ran. */
    @Test
    @Order(9)
    void showsARefusedEditOfSitesYamlAndKeepsTheSites() throws Exception {
        Path file = workDir.resolve("config/sites.yaml");
        String running = Files.readString(file);
        try {
            Files.writeString(file, running.replace("direction: push", "direction: sideways"));
            refreshUntil(d -> text("#config-state").startsWith("sites.yaml was not reloaded"));
            assertTrue(text("#config-state").matches(".*sites\\.yaml:\\d+: links\\[0\\]\\.direction: .*sideways.*"),
                    text("#config-state"));
            assertEquals(List.of("site1", "site2", "site3"), column("#sites", 1), "the running sites stay");
        } finally {
            Files.writeString(file, running);
        }
        refreshUntil(d -> text("#config-state").startsWith("sites.yaml: last reload unchanged"));
    }

    static void search(String query) {
        WebElement box = browser.findElement(By.id("user-q"));
        box.clear();
        box.sendKeys(query);
        browser.findElement(By.cssSelector("#user-search button[type=submit]")).click();
        until("the search for " + query, d -> text("#status").equals("Searched " + query + ".")
                && text("#user-summary").startsWith("“" + query + "”"));
    }

    /**
     * Waits for a condition on the page, which redraws its tables as it refreshes; the failure names
     * what was awaited and what the page's status line said.
     */
    /**
     * Clicks what {@code element} finds, finding it again if the page re-rendered its table between
     * the find and the click (a stale element is not clicked, so nothing is clicked twice).
     */
    static void click(String what, Supplier<WebElement> element) {
        until(what + " clicked", d -> {
            element.get().click();
            return true;
        });
    }

    static void until(String what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, WAIT, Duration.ofMillis(250)).ignoring(StaleElementReferenceException.class)
                .withMessage(() -> what + "; the page's status line: " + statusLine()).until(condition);
    }

    /** Waits for the status line, where the page says what came of an action, to say this. */
    static void untilStatus(String expected) {
        until("a status line with '" + expected + "'", d -> text("#status").contains(expected));
    }

    static String statusLine() {
        try {
            return text("#status");
        } catch (RuntimeException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Searches again until the condition holds: what usermesh knows moves with polls and deliveries. */
    static void searchUntil(String query, Function<WebDriver, Boolean> condition) {
        until("what the search for " + query + " shows", d -> {
            search(query);
            return condition.apply(d);
        });
    }

    /** Presses Refresh until the condition holds. */
    static void refreshUntil(Function<WebDriver, Boolean> condition) {
        until("what the page shows after Refresh", d -> {
            d.findElement(By.id("refresh")).click();
            until("the refresh", x -> text("#status").startsWith("Connected. Updated"));
            return condition.apply(d);
        });
    }

    /** A view of the page as a PNG in target/screenshots/ (the README's pictures are copies of these). */
    static void screenshot(String css, String name) throws Exception {
        Path dir = Files.createDirectories(TestBed.projectDir().resolve("target/screenshots"));
        WebElement view = browser.findElement(By.cssSelector(css));
        Files.write(dir.resolve(name + ".png"), view.getScreenshotAs(OutputType.BYTES));
    }

    /** The top of the page (the header, the sites, the chart), as a user opening the dashboard sees it. */
    static void screenshotOfTheTop(String name) throws Exception {
        JavascriptExecutor page = (JavascriptExecutor) browser;
        page.executeScript("window.scrollTo(0, 0)");
        Dimension size = browser.manage().window().getSize();
        long chrome = (Long) page.executeScript("return window.outerHeight - window.innerHeight");
        long bottom = (Long) page.executeScript(
                "return Math.ceil(document.getElementById('activity-section').getBoundingClientRect().bottom)");
        browser.manage().window().setSize(new Dimension(size.getWidth(), (int) (bottom + 16 + chrome)));
        Path dir = Files.createDirectories(TestBed.projectDir().resolve("target/screenshots"));
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(size);
    }

    static void deleteTree(Path dir) throws Exception {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
