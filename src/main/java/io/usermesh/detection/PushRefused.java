package io.usermesh.detection;

import io.usermesh.http.HttpProblem;

/** A pushed event usermesh will not take: answered with {@code status} and audited, nothing queued. */
public final class PushRefused extends HttpProblem {

    public PushRefused(int status, String reason) {
        super(status, reason);
    }
}
