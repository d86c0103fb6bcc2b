package io.usermesh.it;

import io.usermesh.it.TestBed.WpSite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a config directory for a test: sites.yaml over test-bed sites plus application.properties lines. */
final class Configs {

    private Configs() {
    }

    static Path write(Path workDir, String sitesYaml, String properties) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("config"));
        Files.writeString(dir.resolve("sites.yaml"), sitesYaml);
        Files.writeString(dir.resolve("application.properties"), properties);
        return dir;
    }

    /** One site per test-bed site, id "site<N>", and no links. */
    static String sitesYaml(List<WpSite> sites) {
        return sitesYaml("", sites, "links: []\n");
    }

    /**
     * A sites.yaml with a defaults block (indented lines), one site per test-bed site (id "site<N>"),
     * and the given links block.
     */
    static String sitesYaml(String defaults, List<WpSite> sites, String links) {
        return sitesYaml(defaults, sites, java.util.Map.of(), links);
    }

    /** As above, with extra per-site lines (indented by four spaces) keyed by site index. */
    static String sitesYaml(String defaults, List<WpSite> sites, java.util.Map<Integer, String> siteExtras,
            String links) {
        StringBuilder yaml = new StringBuilder();
        if (!defaults.isBlank()) {
            yaml.append("defaults:\n").append(defaults);
        }
        yaml.append("sites:\n");
        for (WpSite site : sites) {
            yaml.append("  - id: site").append(site.index()).append('\n')
                .append("    url: ").append(site.url()).append('\n')
                .append("    username: ").append(site.user()).append('\n')
                .append("    applicationPassword: \"").append(site.appPassword()).append("\"\n")
                .append(siteExtras.getOrDefault(site.index(), ""));
        }
        yaml.append(links);
        return yaml.toString();
    }

    /** Every action a link can carry; a link that lists none carries create, edit and roles only. */
    static final String ALL_ACTIONS = "[create, edit, delete, password, roles, metadata]";

    /** The link block of one push link site1 -> site2, carrying every action. */
    static final String PUSH_SITE1_TO_SITE2 = """
            links:
              - between: [site1, site2]
                direction: push
                outgoing: %s
            """.formatted(ALL_ACTIONS);

    /** Per-site lines: a webhook block taking pushes signed with {@code secret} from loopback and the site's URL. */
    static String webhook(String secret, WpSite site) {
        return """
                    webhook:
                      secret: "%s"
                      allowIps: [127.0.0.1/32]
                      allowSources: [%s/]
                """.formatted(secret, site.url());
    }

    /** Test sites 1 and 2 with one push link site1 -> site2, polled every {@code pollInterval}. */
    static String pushSite1ToSite2(String pollInterval) {
        return sitesYaml("  pollInterval: " + pollInterval + "\n", List.of(TestBed.site(1), TestBed.site(2)),
                PUSH_SITE1_TO_SITE2);
    }
}
