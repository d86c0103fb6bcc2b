package io.usermesh.detection;

import io.usermesh.wordpress.UserPage;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WpUser;
import java.util.ArrayList;
import java.util.List;

/**
 * Every user of a site, read page by page. {@code complete} is false when the pages held fewer users
 * than X-WP-Total promised (users deleted while paging, or a proxy cutting pages short): deletions
 * must not be inferred from such a listing.
 */
public record Listing(List<WpUser> users, int reportedTotal, boolean complete) {

    /** Reads all pages; a page that fails throws, so a partial listing never reaches the diff. */
    public static Listing read(WordPressClient client) {
        List<WpUser> users = new ArrayList<>();
        int reportedTotal = eachPage(client, page -> users.addAll(page.users()));
        return new Listing(users, reportedTotal, users.size() >= reportedTotal);
    }

    /**
     * Hands every page to {@code onPage} in order, keeping none of them, and returns the total the
     * site announced (X-WP-Total of the first page). A page that fails throws.
     */
    public static int eachPage(WordPressClient client, java.util.function.Consumer<UserPage> onPage) {
        UserPage page = client.listUsers(1);
        int reportedTotal = page.total();
        onPage.accept(page);
        while (!page.isLast() && !page.users().isEmpty()) {
            page = client.listUsers(page.page() + 1);
            onPage.accept(page);
        }
        return reportedTotal;
    }
}
