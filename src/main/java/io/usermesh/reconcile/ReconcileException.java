package io.usermesh.reconcile;

/** A reconciliation that cannot go on (a listing failed, an unknown or paused site); nothing was changed. */
public final class ReconcileException extends RuntimeException {

    public ReconcileException(String message) {
        super(message);
    }

    public ReconcileException(String message, Throwable cause) {
        super(message, cause);
    }
}
