package io.usermesh.delivery;

import io.usermesh.pipeline.Delivery;
import io.usermesh.wordpress.WpError;

/**
 * A delivery that failed on the target, with the reason already put in words for the audit row.
 * Thrown so that the route configuration decides what happens next (audit, retry, dead letter).
 */
public final class DeliveryException extends RuntimeException {

    private final transient Delivery delivery;
    private final WpError error;
    private final String action;
    private final transient java.time.Duration retryAfter;

    public DeliveryException(Delivery delivery, String action, WpError error, String reason,
            java.time.Duration retryAfter) {
        super(reason);
        this.delivery = delivery;
        this.error = error;
        this.action = action;
        this.retryAfter = retryAfter;
    }

    /** How long the site asked us to wait, if it did. */
    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    public Delivery delivery() {
        return delivery;
    }

    public WpError error() {
        return error;
    }

    /** create, edit or delete: what was being attempted. */
    public String action() {
        return action;
    }

    public boolean retryable() {
        return error.retryable();
    }
}
