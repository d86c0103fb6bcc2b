package io.usermesh.cli;

import io.usermesh.config.ConfigLoader;
import io.usermesh.config.UsermeshConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where configuration and routes come from; shared by every command. */
public final class ConfigOptions {

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "Directory holding application.properties and sites.yaml (env USERMESH_CONFIG_DIR; default ./config).")
    Path configDir;

    @Option(names = "--routes-dir", paramLabel = "DIR",
            description = "Directory holding *.camel.yaml routes (default ./routes; the jar's routes when it does not exist).")
    Path routesDir;

    private final Map<String, String> env;

    public ConfigOptions() {
        this(System.getenv());
    }

    ConfigOptions(Map<String, String> env) {
        this.env = env;
    }

    public Path configDir() {
        if (configDir != null) {
            return configDir;
        }
        String fromEnv = env.get("USERMESH_CONFIG_DIR");
        return Path.of(fromEnv == null || fromEnv.isBlank() ? "config" : fromEnv);
    }

    /** The routes directory, or null when the packaged routes are to be used. */
    public Path routesDirOrNull() {
        Path dir = routesDir != null ? routesDir : Path.of("routes");
        if (routesDir != null && !Files.isDirectory(dir)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--routes-dir " + dir + " is not a directory");
        }
        return Files.isDirectory(dir) ? dir : null;
    }

    /** The site named on the command line; an unknown one is a usage error (exit 2). */
    static io.usermesh.config.Site site(UsermeshConfig config, String id, picocli.CommandLine.Model.CommandSpec spec) {
        return config.sites().site(id).orElseThrow(() ->
                new picocli.CommandLine.ParameterException(spec.commandLine(), "unknown site '" + id + "'"));
    }

    public UsermeshConfig load() {
        return ConfigLoader.load(configDir(), env);
    }

    /** See {@link ConfigLoader#loadWithoutPasswords}. */
    public UsermeshConfig loadWithoutPasswords() {
        return ConfigLoader.loadWithoutPasswords(configDir(), env);
    }

    /** The environment placeholders are resolved from (a reload resolves them again). */
    Map<String, String> env() {
        return env;
    }
}
