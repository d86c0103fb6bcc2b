package io.usermesh.delivery;

import io.usermesh.pipeline.Delivery;

/** A delivery taken from the outbox: its row id and how many attempts it already had. */
public record Queued(long id, int attempts, Delivery delivery) {

    /** For the route: the queue this delivery goes to. */
    public String target() {
        return delivery.target();
    }
}
