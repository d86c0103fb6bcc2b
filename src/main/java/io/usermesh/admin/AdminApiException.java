package io.usermesh.admin;

/** An admin API request refused or malformed; the route configuration turns it into the HTTP status. */
public final class AdminApiException extends RuntimeException {

    private final int status;

    public AdminApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
