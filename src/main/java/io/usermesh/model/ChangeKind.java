package io.usermesh.model;

import io.usermesh.config.Action;

public enum ChangeKind {
    CREATED(Action.CREATE), UPDATED(Action.EDIT), DELETED(Action.DELETE);

    private final Action action;

    ChangeKind(Action action) {
        this.action = action;
    }

    public Action action() {
        return action;
    }
}
