package io.usermesh.http;

/**
 * A request usermesh refuses, with the HTTP status it answers; the routes' error handling turns it
 * into a JSON error. Anything else thrown while serving a request is a bug and answers 500.
 */
public class HttpProblem extends RuntimeException {

    private final int status;

    public HttpProblem(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
