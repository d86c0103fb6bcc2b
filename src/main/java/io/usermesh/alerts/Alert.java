package io.usermesh.alerts;

import java.time.Instant;

/**
 * A condition an operator should hear about: {@code key} names it ({@code site-down:shop},
 * {@code lag:shop}, {@code dead-letters:shop}), {@code resolvedAt} is null while it holds.
 */
public record Alert(String key, String message, Instant raisedAt, Instant resolvedAt) {

    public boolean active() {
        return resolvedAt == null;
    }
}
