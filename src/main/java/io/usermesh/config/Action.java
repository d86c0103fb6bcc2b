package io.usermesh.config;

/** A kind of change a link may carry; sites.yaml spells them in lowercase. */
public enum Action { CREATE, EDIT, DELETE, PASSWORD, ROLES, METADATA }
