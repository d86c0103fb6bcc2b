package io.usermesh.testing;

import io.usermesh.config.HttpSettings;
import io.usermesh.config.Secret;
import io.usermesh.config.SyncSettings;
import io.usermesh.config.UsermeshSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Settings with the documented defaults, for tests that build components directly. */
public final class TestSettings {

    private TestSettings() {
    }

    /** The embedded H2 database under {@code dataDir}. */
    public static UsermeshSettings h2(Path dataDir) {
        return withDb("", "", Secret.EMPTY, dataDir);
    }

    public static UsermeshSettings withDb(String url, String user, Secret password, Path dataDir) {
        return withDb(url, user, password, dataDir, SyncSettings.DEFAULTS);
    }

    /** The embedded H2 database under {@code dataDir}, with these retry and circuit settings. */
    public static UsermeshSettings h2(Path dataDir, SyncSettings sync) {
        return withDb("", "", Secret.EMPTY, dataDir, sync);
    }

    private static UsermeshSettings withDb(String url, String user, Secret password, Path dataDir,
            SyncSettings sync) {
        return new UsermeshSettings(url, user, password, 4, HttpSettings.DEFAULTS, Secret.EMPTY,
                Duration.ofSeconds(5), Duration.ofSeconds(30), 40, 4, Duration.ofSeconds(30), dataDir, "",
                sync, io.usermesh.config.RouteSettings.DEFAULTS, io.usermesh.config.AlertSettings.DEFAULTS, Map.of());
    }
}
