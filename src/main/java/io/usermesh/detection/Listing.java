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

    /** Pages read at once after the first: a site's PHP workers serve them side by side. */
    static final int PARALLEL_PAGES = 2;

    private static final java.util.concurrent.ExecutorService PAGES = java.util.concurrent.Executors
            .newCachedThreadPool(r -> {
                Thread t = new Thread(r, "listing-page");
                t.setDaemon(true);
                return t;
            });

    /**
     * Hands every page to {@code onPage} in order, keeping none of them, and returns the total the
     * site announced (X-WP-Total of the first page). The first page tells how many there are; the
     * next are then read {@value #PARALLEL_PAGES} at a time (holding at most that many), which
     * shortens a big site's listing without asking more of it than a few requests at once. A page
     * that fails throws.
     */
    public static int eachPage(WordPressClient client, java.util.function.Consumer<UserPage> onPage) {
        UserPage page = client.listUsers(1);
        int reportedTotal = page.total();
        onPage.accept(page);
        int announced = page.totalPages();
        java.util.ArrayDeque<java.util.concurrent.Future<UserPage>> ahead = new java.util.ArrayDeque<>();
        int next = 2;
        try {
            while (!page.isLast() && !page.users().isEmpty()) {
                while (ahead.size() < PARALLEL_PAGES && next <= announced) {
                    int number = next++;
                    ahead.add(PAGES.submit(() -> client.listUsers(number)));
                }
                page = ahead.isEmpty() ? client.listUsers(page.page() + 1) : take(ahead.poll());
                onPage.accept(page);
                next = Math.max(next, page.page() + 1); // pages past the first's count: read one by one
            }
        } finally {
            ahead.forEach(f -> f.cancel(true));
        }
        return reportedTotal;
    }

    private static UserPage take(java.util.concurrent.Future<UserPage> page) {
        try {
            return page.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing users", e);
        }
    }
}
