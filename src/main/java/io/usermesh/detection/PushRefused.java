package io.usermesh.detection;

/** A pushed event usermesh will not take: answered with {@code status} and audited, nothing queued. */
public final class PushRefused extends RuntimeException {

    private final int status;

    public PushRefused(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
