package io.usermesh.config;

/** A paused site is kept in the configuration but neither polled nor written to. */
public enum SiteStatus { ACTIVE, PAUSED }
