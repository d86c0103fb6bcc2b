package io.usermesh.config;

import java.util.Objects;

/**
 * A password or token. It is wrapped so that printing a record, a log line or an exception that holds
 * one can never show it; only {@link #reveal()} hands the value out, at the point where it is used.
 */
public final class Secret {

    public static final Secret EMPTY = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** A null value is taken as empty, so callers need not tell "unset" from "blank". */
    public static Secret of(String value) {
        return value == null || value.isEmpty() ? EMPTY : new Secret(value);
    }

    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }

    /** Tells only whether a value is set. */
    @Override
    public String toString() {
        return value.isEmpty() ? "(empty)" : "******";
    }
}
