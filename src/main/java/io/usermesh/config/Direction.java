package io.usermesh.config;

/**
 * Which way changes flow over a link {@code between: [site, remote]}: PUSH is site to remote,
 * PULL is remote to site, BIDIRECTIONAL both.
 */
public enum Direction { PUSH, PULL, BIDIRECTIONAL }
