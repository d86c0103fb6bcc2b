package io.usermesh.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Reads sites.yaml: defaults, sites and links, each checked against the others. */
final class SitesLoader {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SitesLoader.class);

    static final List<String> TOP_KEYS = List.of("defaults", "sites", "links");
    static final List<String> SETTINGS_KEYS = List.of("matchBy", "syncRoles", "createOnEdit", "deleteReassign",
            "roleMap", "logRetentionDays", "syncLog", "pollInterval", "autoSync", "fullScanInterval");
    static final List<String> SITE_KEYS = Stream.concat(Stream.of("id", "name", "url", "status", "username",
            "applicationPassword", "prohibitIncoming", "webhook"), SETTINGS_KEYS.stream()).toList();
    static final List<String> WEBHOOK_KEYS = List.of("secret", "allowIps", "allowSources");
    static final List<String> LINK_KEYS = List.of("between", "direction", "outgoing", "incoming", "metaKeys");

    private SitesLoader() {
    }

    static SitesConfig parse(String text, String file, Placeholders placeholders) {
        return parse(text, file, placeholders, false);
    }

    /** @param passwordsMayBeMissing an applicationPassword that cannot be resolved reads as empty */
    static SitesConfig parse(String text, String file, Placeholders placeholders, boolean passwordsMayBeMissing) {
        YamlNode root = YamlNode.parse(text, file, placeholders).orElseThrow(() ->
                new ConfigException(file, 0, "-", "the file is empty; expected the keys " + String.join(", ", TOP_KEYS)));
        if (!root.isMapping()) {
            throw root.fail("the top level must be a mapping with the keys " + String.join(", ", TOP_KEYS));
        }
        YamlNode.Fields top = root.fields(TOP_KEYS);
        SiteSettings defaults = top.get("defaults")
                .map(node -> settings(node.fields(SETTINGS_KEYS), SiteSettings.DEFAULTS))
                .orElse(SiteSettings.DEFAULTS);
        List<Site> sites = sites(top.get("sites"), defaults, passwordsMayBeMissing);
        List<Link> links = links(top.get("links"), sites);
        return new SitesConfig(defaults, sites, links);
    }

    /** Reads the settings keys present in {@code fields}; the others come from {@code base}. */
    private static SiteSettings settings(YamlNode.Fields fields, SiteSettings base) {
        return new SiteSettings(
                fields.get("matchBy").map(n -> n.scalar().asEnum(MatchBy.class, "matchBy")).orElse(base.matchBy()),
                fields.get("syncRoles").map(SitesLoader::strings).orElse(base.syncRoles()),
                fields.get("createOnEdit").map(n -> n.scalar().asBoolean()).orElse(base.createOnEdit()),
                fields.get("deleteReassign").map(n -> n.scalar().nonEmpty()).orElse(base.deleteReassign()),
                fields.get("roleMap").map(SitesLoader::roleMap).orElse(base.roleMap()),
                fields.get("logRetentionDays").map(n -> n.scalar().asPositiveInt()).orElse(base.logRetentionDays()),
                fields.get("syncLog").map(n -> n.scalar().asBoolean()).orElse(base.syncLog()),
                fields.get("pollInterval").map(n -> n.scalar().asDuration()).orElse(base.pollInterval()),
                fields.get("autoSync").map(n -> n.scalar().asBoolean()).orElse(base.autoSync()),
                fields.get("fullScanInterval").map(n -> Optional.of(n.scalar().asDuration()))
                        .orElse(base.fullScanInterval()));
    }

    /**
     * The file site {@code siteId}'s applicationPassword is read from, when its value is one
     * {@code ${file:...}} placeholder (what {@code app-password --rotate} writes the new password to).
     */
    static Optional<java.nio.file.Path> passwordFile(String text, String file, Placeholders placeholders,
            java.nio.file.Path configDir, String siteId) {
        YamlNode root = YamlNode.parse(text, file, placeholders).orElse(null);
        if (root == null || !root.isMapping()) {
            return Optional.empty();
        }
        for (YamlNode item : root.fields(TOP_KEYS).get("sites").map(YamlNode::list).orElse(List.of())) {
            YamlNode.Fields fields = item.fields(SITE_KEYS);
            if (siteId.equals(fields.require("id").scalar().value())) {
                String raw = fields.get("applicationPassword").map(n -> n.scalar().raw().trim()).orElse("");
                List<java.nio.file.Path> named = Placeholders.filesNamedIn(raw, configDir);
                return raw.startsWith("${file:") && raw.indexOf('}') == raw.length() - 1 && named.size() == 1
                        ? Optional.of(named.get(0)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Secret password(YamlNode node, boolean mayBeMissing) {
        try {
            return node.scalar().asSecret();
        } catch (ConfigException e) {
            if (mayBeMissing && e.isUnresolved()) {
                return Secret.EMPTY;
            }
            throw e;
        }
    }

    private static List<Site> sites(Optional<YamlNode> node, SiteSettings defaults, boolean passwordsMayBeMissing) {
        List<Site> sites = new ArrayList<>();
        Map<String, Integer> idLines = new HashMap<>();
        for (YamlNode item : node.map(YamlNode::list).orElse(List.of())) {
            YamlNode.Fields fields = item.fields(SITE_KEYS);
            ConfigValue id = fields.require("id").scalar();
            String siteId = id.asSiteId();
            Integer firstLine = idLines.putIfAbsent(siteId, id.line());
            if (firstLine != null) {
                throw id.fail("duplicate site id '" + siteId + "' (first at line " + firstLine + ")");
            }
            sites.add(new Site(siteId,
                    fields.get("name").map(n -> n.scalar().nonEmpty()).orElse(siteId),
                    fields.require("url").scalar().asHttpUrl(),
                    fields.get("status").map(n -> n.scalar().asEnum(SiteStatus.class, "status"))
                            .orElse(SiteStatus.ACTIVE),
                    fields.require("username").scalar().nonEmpty(),
                    fields.get("applicationPassword").map(n -> password(n, passwordsMayBeMissing)).orElse(Secret.EMPTY),
                    fields.get("prohibitIncoming").map(n -> n.scalar().asBoolean()).orElse(false),
                    fields.get("webhook").map(SitesLoader::webhook),
                    settings(fields, defaults)));
        }
        return sites;
    }

    private static Webhook webhook(YamlNode node) {
        YamlNode.Fields fields = node.fields(WEBHOOK_KEYS);
        return new Webhook(
                fields.get("secret").map(n -> n.scalar().asSecret()).orElse(Secret.EMPTY),
                fields.get("allowIps").map(n -> n.list().stream().map(ip -> ip.scalar().asCidr()).toList())
                        .orElse(List.of()),
                fields.get("allowSources").map(n -> n.list().stream()
                        .map(source -> source.scalar().asHttpUrl().toString()).toList()).orElse(List.of()));
    }

    private static List<Link> links(Optional<YamlNode> node, List<Site> sites) {
        List<String> siteIds = sites.stream().map(Site::id).toList();
        List<Link> links = new ArrayList<>();
        Map<Set<String>, Integer> pairLines = new HashMap<>();
        for (YamlNode item : node.map(YamlNode::list).orElse(List.of())) {
            YamlNode.Fields fields = item.fields(LINK_KEYS);
            YamlNode between = fields.require("between");
            List<YamlNode> ends = between.list();
            if (ends.size() != 2) {
                throw between.fail("must name exactly two sites, e.g. [shop, blog], not " + ends.size());
            }
            String site = knownSite(ends.get(0), siteIds);
            String remote = knownSite(ends.get(1), siteIds);
            if (site.equals(remote)) {
                throw between.fail("names site '" + site + "' twice; a link joins two different sites");
            }
            Integer firstLine = pairLines.putIfAbsent(Set.of(site, remote), between.line());
            if (firstLine != null) {
                throw between.fail("duplicate link between '" + site + "' and '" + remote
                        + "' (first at line " + firstLine + "); one link per pair, its direction says which way");
            }
            Link link = new Link(site, remote,
                    fields.get("direction").map(n -> n.scalar().asEnum(Direction.class, "direction"))
                            .orElse(Direction.BIDIRECTIONAL),
                    fields.get("outgoing").map(SitesLoader::actions).orElseGet(Action::unlisted),
                    fields.get("incoming").map(SitesLoader::actions).orElseGet(Action::unlisted),
                    fields.get("metaKeys").map(SitesLoader::metaKeys).orElse(List.of()));
            if (!link.metaKeys().isEmpty() && !link.outgoing().contains(Action.METADATA)
                    && !link.incoming().contains(Action.METADATA)) {
                LOG.warn("{}", fields.require("metaKeys").fail("meta keys are listed, but metadata is in neither"
                        + " outgoing nor incoming: no meta travels over this link (list metadata to send it)")
                        .getMessage());
            }
            links.add(link);
        }
        return links;
    }

    private static String knownSite(YamlNode node, List<String> siteIds) {
        ConfigValue value = node.scalar();
        String id = value.nonEmpty();
        if (!siteIds.contains(id)) {
            throw value.fail("unknown site " + value.shown() + "; sites defined: "
                    + (siteIds.isEmpty() ? "none" : String.join(", ", siteIds)));
        }
        return id;
    }

    private static Set<Action> actions(YamlNode node) {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        node.list().forEach(item -> actions.add(item.scalar().asEnum(Action.class, "action")));
        return actions;
    }

    /**
     * The link's meta keys, the woocommerce preset expanded. A key that never travels is left out with
     * a warning naming where it is listed (the sync is still correct without it).
     */
    private static List<String> metaKeys(YamlNode node) {
        List<String> listed = new ArrayList<>();
        for (YamlNode item : node.list()) {
            String key = item.scalar().nonEmpty();
            if (MetaKeys.neverSynced(key)) {
                LOG.warn("{}", item.fail("meta key '" + key + "' is never synced (login sessions, application passwords,"
                        + " capabilities and user levels stay on their site); ignored").getMessage());
            } else {
                listed.add(key);
            }
        }
        return MetaKeys.expand(listed);
    }

    private static List<String> strings(YamlNode node) {
        return node.list().stream().map(item -> item.scalar().nonEmpty()).distinct().toList();
    }

    private static Map<String, String> roleMap(YamlNode node) {
        if (!node.isMapping()) {
            throw node.fail("must be a mapping from role to role, e.g. {customer: subscriber}");
        }
        Map<String, String> roles = new LinkedHashMap<>();
        node.entries().all().forEach((from, to) -> {
            if (from.isBlank() || to.isNull() || !to.isScalar()) {
                throw to.fail("must map a role name to a role name, e.g. customer: subscriber");
            }
            roles.put(from.trim(), to.scalar().nonEmpty());
        });
        return roles;
    }
}
