package io.usermesh.config;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The sites configuration in force: sites.yaml as read at start, then as each accepted reload left it.
 * Beans hold this, not a {@link SitesConfig}, and ask it once per operation, so that an edit of
 * sites.yaml reaches them without a restart while one operation still sees one version.
 */
public final class CurrentSites implements Supplier<SitesConfig> {

    private volatile SitesConfig sites;

    public CurrentSites(SitesConfig initial) {
        this.sites = Objects.requireNonNull(initial, "initial");
    }

    @Override
    public SitesConfig get() {
        return sites;
    }

    /** From now on, every operation that starts sees {@code next}. */
    public void replace(SitesConfig next) {
        this.sites = Objects.requireNonNull(next, "next");
    }
}
