package io.usermesh.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The content of sites.yaml. */
public record SitesConfig(SiteSettings defaults, List<Site> sites, List<Link> links) {

    public SitesConfig {
        Objects.requireNonNull(defaults, "defaults");
        sites = List.copyOf(sites);
        links = List.copyOf(links);
    }

    public Optional<Site> site(String id) {
        return sites.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The links with {@code siteId} at either end, in file order. */
    public List<Link> linksOf(String siteId) {
        return links.stream().filter(l -> l.involves(siteId)).toList();
    }

    /** The meta keys any link of {@code siteId} syncs: what usermesh reads of its users. */
    public List<String> metaKeysOf(String siteId) {
        return linksOf(siteId).stream().flatMap(l -> l.metaKeys().stream()).distinct().sorted().toList();
    }
}
