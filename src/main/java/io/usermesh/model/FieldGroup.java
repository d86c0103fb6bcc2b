package io.usermesh.model;

import io.usermesh.config.Action;

/** The parts of a user that change and travel separately, each guarded by one link action. */
public enum FieldGroup {
    /** name, first and last name, nickname, email, url, description */
    PROFILE(Action.EDIT),
    ROLES(Action.ROLES),
    METADATA(Action.METADATA),
    PASSWORD(Action.PASSWORD);

    private final Action action;

    FieldGroup(Action action) {
        this.action = action;
    }

    /** Those of {@code groups} that {@code link} lets travel from {@code from} to {@code to}. */
    public static java.util.Set<FieldGroup> carriedBy(io.usermesh.config.Link link, String from, String to,
            java.util.Collection<FieldGroup> groups) {
        java.util.Set<FieldGroup> carried = java.util.EnumSet.noneOf(FieldGroup.class);
        for (FieldGroup group : groups) {
            if (link.carries(from, to, group.action())) {
                carried.add(group);
            }
        }
        return carried;
    }

    /** The link action that must allow this group to travel. */
    public Action action() {
        return action;
    }
}
