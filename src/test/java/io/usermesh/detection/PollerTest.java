package io.usermesh.detection;

import io.usermesh.testing.FakeWordPress;
import io.usermesh.testing.TestSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.MatchBy;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SiteStatus;
import io.usermesh.config.SitesConfig;
import io.usermesh.config.UsermeshSettings;
import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.UserChange;
import io.usermesh.pipeline.SitePauses;
import io.usermesh.storage.Database;
import io.usermesh.wordpress.WordPressClients;
import io.usermesh.wordpress.WordPressException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection against an in-JVM fake listing and an embedded H2 database. */
class PollerTest {

    @TempDir
    Path dataDir;

    FakeWordPress wp;
    Database db;
    CamelContext camel;
    Poller poller;
    final PollTimes polls = new PollTimes();
    SnapshotStore snapshots;
    List<AuditEntry> audit = new CopyOnWriteArrayList<>();
    volatile SitesConfig sites;

    @BeforeEach
    void start() throws Exception {
        wp = new FakeWordPress();
        UsermeshSettings settings = TestSettings.h2(dataDir);
        db = Database.open(settings);
        db.migrate();
        camel = new DefaultCamelContext();
        snapshots = new SnapshotStore(db.dataSource());
        camel.start();
        Site site = new Site("shop", "shop", URI.create(wp.url()), SiteStatus.ACTIVE, "admin", Secret.of("x"), false,
                Optional.empty(), SiteSettings.DEFAULTS);
        sites = new SitesConfig(SiteSettings.DEFAULTS, List.of(site), List.of());
        poller = new Poller(() -> sites, new SitePauses(db.dataSource(), Clock.systemUTC(), Duration.ZERO),
                new WordPressClients(camel, settings), snapshots, audit::add, 20,
                Clock.systemUTC(), polls, new PollCursors(db.dataSource()));
        for (int i = 1; i <= 10; i++) {
            wp.put(i, "user" + i, "user" + i + "@example.test", "First" + i, "subscriber");
        }
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        db.close();
        wp.close();
    }

    @Test
    void firstPollRecordsBaselineAndEmitsNothing() {
        assertEquals(List.of(), changes(poller.poll("shop")));
        assertEquals(List.of(), changes(poller.poll("shop")), "nothing changed since the baseline");
    }

    @Test
    void detectsCreatedUpdatedAndDeletedUsersWithTheirGroups() {
        changes(poller.poll("shop"));
        wp.put(11, "user11", "user11@example.test", "New", "editor");
        wp.put(3, "user3", "user3@example.test", "Renamed", "subscriber");
        wp.put(4, "user4", "user4@example.test", "First4", "editor");
        wp.remove(5);

        List<UserChange> changes = changes(poller.poll("shop"));

        assertEquals(4, changes.size(), changes.toString());
        assertEquals(ChangeKind.UPDATED, changes.get(0).kind());
        assertEquals(3, changes.get(0).sourceUserId());
        assertEquals(Set.of(FieldGroup.PROFILE), changes.get(0).groups());
        assertEquals(Set.of(FieldGroup.ROLES), changes.get(1).groups());
        assertEquals(ChangeKind.CREATED, changes.get(2).kind());
        assertEquals("user11", changes.get(2).state().username());
        assertEquals(ChangeKind.DELETED, changes.get(3).kind());
        assertEquals("user5@example.test", changes.get(3).state().email(), "a deletion carries the last state");
        assertEquals(List.of(), changes(poller.poll("shop")), "each change is emitted once");
    }

    /** A poll as route poll-site runs it: the changes, then where the poll got to is recorded. */
    private List<UserChange> pollAndFinish() {
        List<UserChange> found = changes(poller.poll("shop"));
        poller.finish("shop");
        return found;
    }

    @Test
    void withTheChangesFeedAPollReadsOnlyTheUsersTheFeedNames() {
        wp.companion = true;
        pollAndFinish();
        int listings = wp.listings.get();
        int reads = wp.reads.get();
        assertEquals(List.of(), pollAndFinish());
        assertEquals(reads, wp.reads.get(), "nothing changed: no user is read");
        assertEquals(listings, wp.listings.get(), "nor listed");

        wp.put(3, "user3", "user3@example.test", "Renamed", "subscriber");
        wp.changed(3);
        wp.remove(4);
        wp.changed(4);
        wp.put(5, "user5", "user5@example.test", "Behind the back", "subscriber"); // not in the feed
        List<UserChange> found = pollAndFinish();

        assertEquals(List.of("UPDATED user3", "DELETED user4"), found.stream()
                .map(c -> c.kind() + " " + c.state().username()).toList());
        assertEquals(io.usermesh.model.Origin.POLL, found.get(0).origin());
        assertEquals(reads + 1, wp.reads.get(), "the two named users in one request");
        assertEquals(listings, wp.listings.get());
        assertEquals(List.of(), pollAndFinish(), "the feed position moved past them");
    }

    @Test
    void aFeedPollThatIsNotFinishedReadsTheSameChangesAgain() {
        wp.companion = true;
        pollAndFinish();
        wp.put(3, "user3", "user3@example.test", "Renamed", "subscriber");
        wp.changed(3);
        // the change fails in change-detected: its snapshot is not advanced, the route never reaches poll-finish
        assertEquals(1, poller.poll("shop").size());
        assertEquals(1, changes(poller.poll("shop")).size(), "found again by the next poll");
    }

    @Test
    void aFeedThatCannotAnswerGivesOneAuditedFullListingAndTheFeedAfterIt() {
        wp.companion = true;
        pollAndFinish();
        wp.put(5, "user5", "user5@example.test", "Behind the back", "subscriber");
        int listings = wp.listings.get();
        wp.feedFails = 410;

        assertEquals(List.of("UPDATED user5"), pollAndFinish().stream()
                .map(c -> c.kind() + " " + c.state().username()).toList(), "the full listing finds it");
        assertEquals(listings + 1, wp.listings.get());
        AuditEntry row = audit.stream().filter(a -> a.action().equals("poll")).findFirst().orElseThrow();
        assertEquals(AuditStatus.SKIPPED, row.status());
        assertEquals(410, row.httpStatus());
        assertTrue(row.message().contains("usermesh_cursor_expired"), row.message());

        wp.feedFails = 0;
        wp.put(6, "user6", "user6@example.test", "Named", "subscriber");
        wp.changed(6);
        assertEquals(1, pollAndFinish().size());
        assertEquals(listings + 1, wp.listings.get(), "back on the feed");
    }

    @Test
    void aFullListingComesBackEveryFullScanInterval() throws Exception {
        wp.companion = true;
        Site site = sites.sites().get(0);
        Site everyFewMillis = new Site(site.id(), site.name(), site.url(), site.status(), site.username(),
                site.applicationPassword(), false, Optional.empty(), new SiteSettings(MatchBy.EMAIL, List.of(), true,
                        "admin", Map.of(), 30, true, Duration.ofSeconds(30), true, Optional.of(Duration.ofSeconds(2))));
        sites = new SitesConfig(SiteSettings.DEFAULTS, List.of(everyFewMillis), List.of());
        pollAndFinish();
        wp.put(5, "user5", "user5@example.test", "Behind the back", "subscriber");
        int listings = wp.listings.get();
        assertEquals(List.of(), pollAndFinish(), "within the interval: the feed, which does not name user5");
        assertEquals(listings, wp.listings.get());
        Thread.sleep(2100);
        assertEquals(1, pollAndFinish().size(), "the interval passed: a full listing finds user5");
        assertEquals(listings + 1, wp.listings.get());
    }

    @Test
    void aSiteWithoutTheFeedIsListedAtEveryPoll() {
        pollAndFinish();
        int listings = wp.listings.get();
        wp.put(5, "user5", "user5@example.test", "Renamed", "subscriber");
        assertEquals(1, pollAndFinish().size());
        assertEquals(List.of(), pollAndFinish());
        assertEquals(listings + 2, wp.listings.get());
    }

    @Test
    void aPushLooksAtOneUserAsAPollWouldAndFindsEachChangeOnce() {
        wp.put(3, "user3", "user3@example.test", "Renamed", "subscriber");
        assertEquals(List.of(), changes(poller.refresh("shop", List.of(3L))), "before the first poll there is nothing to diff against");
        changes(poller.poll("shop"));

        wp.put(3, "user3", "user3@example.test", "Again", "subscriber");
        List<UserChange> edit = changes(poller.refresh("shop", List.of(3L)));
        assertEquals(1, edit.size());
        assertEquals(ChangeKind.UPDATED, edit.get(0).kind());
        assertEquals(io.usermesh.model.Origin.WEBHOOK, edit.get(0).origin());
        assertEquals(List.of(), changes(poller.refresh("shop", List.of(3L))), "a repeated push finds nothing new");
        assertEquals(List.of(), changes(poller.poll("shop")), "nor does the next poll");

        wp.put(12, "user12", "user12@example.test", "New", "editor");
        assertEquals(ChangeKind.CREATED, changes(poller.refresh("shop", List.of(12L))).get(0).kind());
        wp.remove(4);
        List<UserChange> gone = changes(poller.refresh("shop", List.of(4L)));
        assertEquals(ChangeKind.DELETED, gone.get(0).kind());
        assertEquals("user4@example.test", gone.get(0).state().email());
        assertEquals(List.of(), changes(poller.refresh("shop", List.of(999L))), "a push for a user never seen and not there: nothing");
        assertEquals(List.of(), changes(poller.poll("shop")));
    }

    @Test
    void aBurstOfPushesIsOneReadOfTheSite() {
        changes(poller.poll("shop"));
        wp.put(3, "user3", "user3@example.test", "Renamed", "subscriber");
        wp.put(12, "user12", "user12@example.test", "New", "editor");
        wp.remove(4);
        int before = wp.reads.get();

        List<UserChange> found = changes(poller.refresh("shop", List.of(3L, 12L, 4L, 5L, 999L)));
        assertEquals(1, wp.reads.get() - before, "one request for five pushes");
        assertEquals(List.of("UPDATED user3", "CREATED user12", "DELETED user4"), found.stream()
                .map(c -> c.kind() + " " + c.state().username()).toList(), "user5 is unchanged, 999 was never there");
    }

    @Test
    void aUserCaughtBetweenWordPressWritingItAndItsRoleWaitsForThePoll() {
        changes(poller.poll("shop"));
        wp.put(20, "half", "half@example.test", "Half");
        assertEquals(List.of(), changes(poller.poll("shop")), "no roles yet: WordPress may still be writing the user");
        wp.put(20, "half", "half@example.test", "Half", "editor");
        List<UserChange> changes = changes(poller.poll("shop"));
        assertEquals(1, changes.size());
        assertEquals(List.of("editor"), changes.get(0).state().roles(), "synced with its role");

        wp.put(21, "none", "none@example.test", "None");
        assertEquals(List.of(), changes(poller.poll("shop")));
        assertEquals(1, changes(poller.poll("shop")).size(), "a user without roles on two polls is real");
    }

    @Test
    void theStartOfEachListingThatSucceededIsTheSitesLastPoll() {
        assertEquals(Optional.empty(), polls.last("shop"));
        Instant before = Instant.now();
        changes(poller.poll("shop"));
        Instant first = polls.last("shop").orElseThrow();
        assertFalse(first.isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)), first + " " + before);
        for (int i = 12; i <= 150; i++) {
            wp.put(i, "bulk" + i, "bulk" + i + "@example.test", "b", "subscriber");
        }
        wp.failPage = 2;
        assertThrows(WordPressException.class, () -> changes(poller.poll("shop")));
        assertEquals(Optional.of(first), polls.last("shop"), "a failed listing is no poll");
        wp.failPage = -1;
        changes(poller.poll("shop"));
        assertFalse(polls.last("shop").orElseThrow().isBefore(first), "the next listing that succeeds moves it");
    }

    @Test
    void aFailingPageEmitsNothingAndChangesNothing() {
        changes(poller.poll("shop"));
        for (int i = 12; i <= 150; i++) {
            wp.put(i, "bulk" + i, "bulk" + i + "@example.test", "b", "subscriber");
        }
        wp.failPage = 2;
        assertThrows(WordPressException.class, () -> changes(poller.poll("shop")));
        wp.failPage = -1;
        assertEquals(139, changes(poller.poll("shop")).size(), "after recovery every creation is still found once");
    }

    @Test
    void aListingCutShortInfersNoDeletion() {
        for (int i = 11; i <= 150; i++) {
            wp.put(i, "bulk" + i, "bulk" + i + "@example.test", "b", "subscriber");
        }
        changes(poller.poll("shop"));
        wp.hideFromPage = 2;

        assertEquals(List.of(), changes(poller.poll("shop")));
        assertEquals(1, audit.size());
        assertEquals(AuditStatus.SKIPPED, audit.get(0).status());
        assertTrue(audit.get(0).message().contains("100 of 150"), audit.get(0).message());
    }

    @Test
    void deletionOfMoreThanTheGuardShareIsHeldBack() {
        changes(poller.poll("shop"));
        wp.remove(1);
        wp.remove(2);
        wp.remove(3);

        assertEquals(List.of(), changes(poller.poll("shop")));
        assertTrue(audit.get(0).message().contains("3 of 10 users disappeared"), audit.get(0).message());

        wp.put(1, "user1", "user1@example.test", "First1", "subscriber");
        wp.put(2, "user2", "user2@example.test", "First2", "subscriber");
        List<UserChange> changes = changes(poller.poll("shop"));
        assertEquals(1, changes.size(), "one of ten gone is within the guard: " + changes);
        assertEquals(ChangeKind.DELETED, changes.get(0).kind());
    }

    /** The changes found, each recorded as route change-detected records it before queueing. */
    private List<UserChange> changes(List<Detected> found) {
        found.forEach(snapshots::advance);
        return found.stream().map(Detected::change).toList();
    }
}
