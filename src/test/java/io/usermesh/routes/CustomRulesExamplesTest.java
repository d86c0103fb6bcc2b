package io.usermesh.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usermesh.model.ChangeKind;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.Origin;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.testing.CapturedLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of docs/customizing.md, each run as the custom-rules route of the shipped pipeline
 * (sites shop, the source; crm, with prohibitIncoming; blog), and the page quoting each file as it is.
 */
class CustomRulesExamplesTest {

    static final String DIR = "docs/examples/custom-rules/";

    static UserChange change(ChangeKind kind, String login, String email, String... roles) {
        UserState state = new UserState(login, email, login, login, "", login, "", "", List.of(roles), Map.of());
        Set<FieldGroup> groups = kind == ChangeKind.DELETED ? Set.of() : EnumSet.of(FieldGroup.PROFILE);
        return new UserChange(UUID.randomUUID().toString(), "shop", 7, kind, state, groups, "fp0", Origin.POLL,
                Instant.now(), List.of("shop"));
    }

    abstract static class Example extends RoutesTestSupport {

        @Override
        List<String> siteIds() {
            return List.of("shop", "crm", "blog");
        }

        List<String> toBlog() {
            return jdbc.query("SELECT user_key, status, message FROM sync_log WHERE target_site = 'blog' ORDER BY id",
                    rs -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
        }

        long queuedForBlog() {
            return count("SELECT COUNT(*) FROM outbox WHERE target_site = 'blog'");
        }
    }

    @Nested
    class SkipADomain extends Example {
        @Override
        String customRules() {
            return DIR + "skip-a-domain.camel.yaml";
        }

        @Test
        void partnerAccountsAreSkippedForTheBlogOnly() {
            template.sendBody("direct:change", change(ChangeKind.CREATED, "pat", "pat@partner.example", "author"));
            assertEquals(0, queuedForBlog());
            assertEquals(List.of("pat@partner.example skipped custom rule: partner accounts stay off the blog"),
                    toBlog());

            template.sendBody("direct:change", change(ChangeKind.CREATED, "ann", "ann@example.test", "author"));
            assertEquals(1, queuedForBlog(), "other domains go through");
        }
    }

    @Nested
    class SkipARoleForOneTarget extends Example {
        @Override
        String customRules() {
            return DIR + "skip-a-role-for-one-target.camel.yaml";
        }

        @Test
        void customersAreSkippedForTheBlogWhateverTheirOtherRoles() {
            template.sendBody("direct:change", change(ChangeKind.CREATED, "cat", "cat@example.test", "subscriber",
                    "customer"));
            assertEquals(List.of("cat@example.test skipped custom rule: cat is a customer: customers are not synced"
                    + " to the blog"), toBlog());
            template.sendBody("direct:change", change(ChangeKind.CREATED, "vic", "vic@example.test", "customer_vip"));
            assertEquals(1, queuedForBlog(), "a role that only starts with customer is not one");
        }
    }

    @Nested
    class LogEveryDelete extends Example {

        @Override
        String customRules() {
            return DIR + "log-every-delete.camel.yaml";
        }

        @Test
        void aDeleteIsLoggedAndStillQueued() {
            List<String> lines;
            try (CapturedLogs logs = new CapturedLogs()) {
                template.sendBody("direct:change", change(ChangeKind.UPDATED, "ann", "ann@example.test", "author"));
                template.sendBody("direct:change", change(ChangeKind.DELETED, "bob", "bob@example.test", "author"));
                lines = logs.lines();
            }
            assertEquals(List.of("usermesh.custom-rules: deleting bob (bob@example.test) on blog, as on shop"),
                    lines.stream().filter(l -> l.startsWith("usermesh.custom-rules")).toList());
            assertEquals(2, queuedForBlog(), "logging drops nothing");
        }
    }

    @Test
    void customizingMdQuotesEachExampleAsItIs() throws Exception {
        String page = Files.readString(Path.of("docs/customizing.md"));
        for (String example : List.of("skip-a-domain", "skip-a-role-for-one-target", "log-every-delete")) {
            String yaml = Files.readString(Path.of(DIR + example + ".camel.yaml"));
            assertTrue(page.contains(yaml), example + " is quoted in docs/customizing.md as it is in " + DIR);
        }
    }
}
