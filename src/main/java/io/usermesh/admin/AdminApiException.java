package io.usermesh.admin;

import io.usermesh.http.HttpProblem;

/** An admin API request refused or malformed; the route configuration turns it into the HTTP status. */
public final class AdminApiException extends HttpProblem {

    public AdminApiException(int status, String message) {
        super(status, message);
    }
}
