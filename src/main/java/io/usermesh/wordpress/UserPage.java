package io.usermesh.wordpress;

import java.util.List;

/** One page of a user listing and the totals WordPress reports in X-WP-Total / X-WP-TotalPages. */
public record UserPage(List<WpUser> users, int page, int total, int totalPages) {

    public UserPage {
        users = List.copyOf(users);
    }

    public boolean isLast() {
        return page >= totalPages;
    }
}
