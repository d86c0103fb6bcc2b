package io.usermesh.wordpress;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Runs the checks of the {@code check} command against one site. */
public final class SiteChecker {

    private SiteChecker() {
    }

    public static SiteCheck check(WordPressClient client) {
        long start = System.nanoTime();
        String id = client.site().id();
        String url = client.site().url().toString();
        SiteIndex index;
        try {
            index = client.index();
        } catch (WordPressException e) {
            WpError error = e.error();
            boolean reachable = error.kind() != WpError.Kind.UNREACHABLE && error.kind() != WpError.Kind.TIMEOUT;
            String problem = reachable ? "REST API not available: " + error.describe() : error.describe();
            return new SiteCheck(id, url, reachable, reachable ? false : null, null, null, null, null,
                    problem, millisSince(start));
        }
        if (!index.hasCoreApi()) {
            return new SiteCheck(id, url, true, false, null, null, index.applicationPasswords(),
                    presence(index), "REST API answers without the wp/v2 namespace", millisSince(start));
        }
        WpUser me;
        try {
            me = client.me();
        } catch (WordPressException e) {
            String problem = e.error().describe();
            if (!index.applicationPasswords()) {
                problem += "; application passwords are not available on this site"
                        + " (they need HTTPS, or WP_ENVIRONMENT_TYPE=local)";
            }
            return new SiteCheck(id, url, true, true, false, null, index.applicationPasswords(),
                    presence(index), problem, millisSince(start));
        }
        List<String> missing = SiteCheck.REQUIRED_CAPABILITIES.stream()
                .filter(cap -> !Boolean.TRUE.equals(me.capabilities().get(cap)))
                .toList();
        String problem = null;
        if (!missing.isEmpty()) {
            problem = "user " + client.site().username() + " lacks capabilities " + String.join(", ", missing);
        } else if (!index.applicationPasswords()) {
            problem = "application passwords are not available on this site";
        }
        return new SiteCheck(id, url, true, true, true, missing, index.applicationPasswords(),
                companion(client, index, me.id()), problem, millisSince(start));
    }

    private static String presence(SiteIndex index) {
        return index.hasCompanionPlugin() ? "present" : "absent";
    }

    /**
     * The companion's version, whether it pushes (and how its last push went), and the features it
     * offers (password, meta, flags), from its settings route (administrators only). The password
     * feature is tried: the hash of usermesh's own user is read (and dropped at once).
     */
    private static String companion(WordPressClient client, SiteIndex index, long me) {
        if (!index.hasCompanionPlugin()) {
            return "absent";
        }
        try {
            JsonNode settings = client.companionSettings();
            boolean pushes = !settings.path("url").asText("").isBlank() && settings.path("secretSet").asBoolean();
            StringBuilder text = new StringBuilder(settings.path("version").asText("?"));
            text.append(pushes ? ", push to " + settings.path("url").asText() : ", push off");
            String last = settings.path("lastPush").path("result").asText("");
            if (pushes && !last.isEmpty()) {
                text.append(" (last push ").append(last).append(')');
            }
            settings.path("features").forEach(feature -> {
                if (!"push".equals(feature.asText())) {
                    text.append(", ").append(feature.asText());
                }
                if ("password".equals(feature.asText())) {
                    text.append(passwordRead(client, me));
                }
            });
            return text.toString();
        } catch (WordPressException e) {
            return "present (settings: " + e.error().describe() + ")";
        }
    }

    private static String passwordRead(WordPressClient client, long me) {
        try {
            return client.passwordHash(me).isEmpty() ? " (no hash read)" : "";
        } catch (WordPressException e) {
            return " (" + e.error().describe() + ")";
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
