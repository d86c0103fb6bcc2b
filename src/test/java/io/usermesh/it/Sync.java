package io.usermesh.it;

import io.usermesh.it.TestBed.WpSite;

/** Small helpers shared by the sync scenarios. */
final class Sync {

    private Sync() {
    }

    /** The same site, reached by usermesh through a request-counting proxy. */
    static WpSite via(WpSite site, CountingProxy proxy) {
        return via(site, proxy.url());
    }

    /** The site, reached at another URL (a proxy or front on the site's own loopback address). */
    static WpSite via(WpSite site, String url) {
        return new WpSite(site.index(), url, site.user(), site.appPassword(), site.database());
    }

    /** A login no other test run uses: {@code prefix-<8 hex>}; its email is {@code login@example.test}. */
    static String uniqueLogin(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    static String email(String login) {
        return login + "@example.test";
    }

    /** Whether the proxy saw a write (POST/PUT/PATCH/DELETE) to this WordPress user id. */
    static boolean wroteTo(CountingProxy proxy, long wpUserId) {
        return proxy.requests().stream().anyMatch(r -> !r.startsWith("GET ")
                && r.matches("^[A-Z]+ /wp-json/wp/v2/users/" + wpUserId + "([?/].*)?$"));
    }

    /** Closes each in order, skipping nulls; the first failure is thrown once all were tried. */
    static void closeAll(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
