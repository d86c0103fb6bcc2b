package io.usermesh.wordpress;

/**
 * What went wrong talking to a site, in terms a person acts on. {@code code} is WordPress's own
 * error code (for example {@code rest_user_invalid_role}) when the site sent one.
 */
public record WpError(Kind kind, int httpStatus, String code, String message) {

    public enum Kind {
        UNREACHABLE, TIMEOUT, BAD_CREDENTIALS, FORBIDDEN, NOT_FOUND, INVALID_ROLE, DUPLICATE_USER,
        INVALID_REQUEST, RATE_LIMITED, SERVER_ERROR, BAD_RESPONSE,
        /** The companion refused an update: the user changed on the site since usermesh last saw it (409). */
        CHANGED_ON_SITE
    }

    /** Worth another attempt later: the site may come back, the request itself was fine. */
    public boolean retryable() {
        return switch (kind) {
            case UNREACHABLE, TIMEOUT, RATE_LIMITED, SERVER_ERROR -> true;
            default -> false;
        };
    }

    /** One line such as "401 bad credentials" or "400 rest_user_invalid_role: Invalid role". */
    public String describe() {
        String label = switch (kind) {
            case UNREACHABLE -> "unreachable";
            case TIMEOUT -> "timed out";
            case BAD_CREDENTIALS -> "bad credentials";
            case FORBIDDEN -> "missing capability";
            case NOT_FOUND -> "not found";
            case INVALID_ROLE -> "invalid role";
            case DUPLICATE_USER -> "user already exists";
            case INVALID_REQUEST -> "invalid request";
            case RATE_LIMITED -> "rate limited";
            case SERVER_ERROR -> "server error";
            case BAD_RESPONSE -> "unexpected response";
            case CHANGED_ON_SITE -> "changed on the site";
        };
        StringBuilder line = new StringBuilder();
        if (httpStatus > 0) {
            line.append(httpStatus).append(' ');
        }
        line.append(label);
        if (code != null && !code.isBlank()) {
            line.append(" (").append(code).append(')');
        }
        if (message != null && !message.isBlank()) {
            line.append(": ").append(message);
        }
        return line.toString();
    }

    static WpError fromStatus(int status, String code, String message) {
        Kind kind;
        if (status == 401) {
            kind = Kind.BAD_CREDENTIALS;
        } else if (status == 403) {
            kind = Kind.FORBIDDEN;
        } else if (status == 404) {
            kind = Kind.NOT_FOUND;
        } else if (status == 409 && code != null && code.startsWith("usermesh_")) {
            kind = Kind.CHANGED_ON_SITE; // usermesh_conflict, usermesh_protected: Usermesh_Expect's refusals
        } else if (status == 429) {
            kind = Kind.RATE_LIMITED;
        } else if ("rest_user_invalid_role".equals(code)) {
            kind = Kind.INVALID_ROLE;
        } else if (code != null && code.startsWith("existing_user")) {
            // WordPress reports a taken login or email as existing_user_login / existing_user_email (HTTP 500).
            kind = Kind.DUPLICATE_USER;
        } else if (status >= 500) {
            kind = Kind.SERVER_ERROR;
        } else if (status >= 400) {
            kind = Kind.INVALID_REQUEST;
        } else {
            kind = Kind.BAD_RESPONSE;
        }
        return new WpError(kind, status, code, message);
    }
}
