package io.usermesh.wordpress;

import java.util.List;

/** What the unauthenticated REST index ({@code /wp-json/}) tells about a site. */
public record SiteIndex(String name, List<String> namespaces, boolean applicationPasswords) {

    public static final String COMPANION_NAMESPACE = "usermesh/v1";

    public SiteIndex {
        namespaces = List.copyOf(namespaces);
    }

    public boolean hasCoreApi() {
        return namespaces.contains("wp/v2");
    }

    public boolean hasCompanionPlugin() {
        return namespaces.contains(COMPANION_NAMESPACE);
    }
}
