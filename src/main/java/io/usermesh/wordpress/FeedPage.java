package io.usermesh.wordpress;

import java.util.List;

/**
 * One answer of the companion plugin's changes feed ({@code GET usermesh/v1/changes}).
 *
 * @param cursor where the next read starts: past every change here that has settled on the site (a
 *        change younger than a few seconds comes again, as the site may still be committing older ones)
 * @param userIds the users named, in the order they changed, each once
 * @param more the feed holds more changes after this page
 */
public record FeedPage(String cursor, List<Long> userIds, boolean more) {

    public FeedPage {
        java.util.Objects.requireNonNull(cursor, "cursor");
        userIds = List.copyOf(userIds);
    }
}
