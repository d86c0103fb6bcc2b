package io.usermesh.scheduling;

import io.usermesh.config.HttpSettings;
import io.usermesh.config.Secret;
import io.usermesh.config.UsermeshSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Settings with the documented defaults (a copy of the it package's helper, which is package-private). */
final class TestSettings {

    private TestSettings() {
    }

    static UsermeshSettings withDb(String url, String user, Secret password, Path dataDir) {
        return new UsermeshSettings(url, user, password, 10, HttpSettings.DEFAULTS, Secret.EMPTY,
                Duration.ofSeconds(5), Duration.ofSeconds(30), 40, 4, Duration.ofSeconds(30), dataDir, "",
                io.usermesh.config.SyncSettings.DEFAULTS, io.usermesh.config.RouteSettings.DEFAULTS, io.usermesh.config.AlertSettings.DEFAULTS, Map.of());
    }
}
