package io.usermesh.config;

import java.nio.file.Path;
import java.util.Objects;

/** Everything read from the config directory at start. */
public record UsermeshConfig(Path configDir, UsermeshSettings settings, SitesConfig sites) {

    public UsermeshConfig {
        Objects.requireNonNull(configDir, "configDir");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(sites, "sites");
    }
}
