package io.usermesh.config;

/** How one person's account on one site is found on another site. */
public enum MatchBy { EMAIL, USERNAME }
