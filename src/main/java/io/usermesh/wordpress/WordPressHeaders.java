package io.usermesh.wordpress;

import org.apache.camel.Exchange;
import org.apache.camel.http.common.HttpHeaderFilterStrategy;

/**
 * Which message headers become HTTP request headers on the way to a site: camel-http's own rules
 * (no Camel* headers, no hop-by-hop headers), and none of usermesh's. The routes carry a change's
 * bookkeeping in {@code Usermesh*} headers (source, target, action, the user's email and login, the
 * operation); the site has no use for them, and a user's email does not belong in its access logs.
 */
public final class WordPressHeaders extends HttpHeaderFilterStrategy {

    private static final String OURS = "Usermesh";

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return isOurs(name) || super.applyFilterToCamelHeaders(name, value, exchange);
    }

    static boolean isOurs(String name) {
        return name != null && name.regionMatches(true, 0, OURS, 0, OURS.length());
    }
}
