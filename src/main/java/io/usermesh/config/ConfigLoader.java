package io.usermesh.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the config directory: application.properties (optional) and sites.yaml (required). Everything is
 * checked here, so that a bad file stops start-up with one message naming file, line and key.
 */
public final class ConfigLoader {

    public static final String PROPERTIES_FILE = "application.properties";
    public static final String SITES_FILE = "sites.yaml";

    private ConfigLoader() {
    }

    /**
     * @param env System.getenv() in production; tests pass a map
     * @throws ConfigException for the first problem found
     */
    public static UsermeshConfig load(Path configDir, Map<String, String> env) {
        return load(configDir, env, false);
    }

    /**
     * As {@link #load(Path, Map)}, but a site's {@code applicationPassword} whose placeholder cannot be
     * resolved yet (the environment variable unset, the file not written) reads as empty: for the
     * {@code app-password} command, which makes that very password. Everything else is checked as usual.
     */
    public static UsermeshConfig loadWithoutPasswords(Path configDir, Map<String, String> env) {
        return load(configDir, env, true);
    }

    private static UsermeshConfig load(Path configDir, Map<String, String> env, boolean passwordsMayBeMissing) {
        Objects.requireNonNull(configDir, "configDir");
        Objects.requireNonNull(env, "env");
        Placeholders placeholders = new Placeholders(env, configDir);
        Path propertiesPath = configDir.resolve(PROPERTIES_FILE);
        UsermeshSettings settings = PropertiesLoader.parse(read(propertiesPath, false).orElse(""),
                propertiesPath.toString(), placeholders, env);
        Path sitesPath = configDir.resolve(SITES_FILE);
        SitesConfig sites = SitesLoader.parse(read(sitesPath, true).orElseThrow(), sitesPath.toString(), placeholders,
                passwordsMayBeMissing);
        return new UsermeshConfig(configDir, settings, sites);
    }

    /**
     * sites.yaml alone, as a reload reads it: application.properties is read at start only.
     *
     * @throws ConfigException for the first problem found
     */
    public static SitesConfig loadSites(Path configDir, Map<String, String> env) {
        Path sitesPath = configDir.resolve(SITES_FILE);
        return SitesLoader.parse(read(sitesPath, true).orElseThrow(), sitesPath.toString(),
                new Placeholders(env, configDir), false);
    }

    /**
     * Where site {@code siteId}'s application password is kept, when sites.yaml reads it from a file
     * with one {@code ${file:...}} placeholder; empty when it comes from anywhere else.
     */
    public static Optional<Path> applicationPasswordFile(Path configDir, Map<String, String> env, String siteId) {
        Path sitesPath = configDir.resolve(SITES_FILE);
        return SitesLoader.passwordFile(read(sitesPath, true).orElseThrow(), sitesPath.toString(),
                new Placeholders(env, configDir), configDir, siteId);
    }

    /**
     * What {@link #loadSites} depends on, as bytes to compare: sites.yaml and every file its
     * {@code ${file:...}} placeholders name (an application password rotated into one counts as an edit),
     * as a SHA-256 digest: the secrets themselves are not kept.
     */
    public static byte[] sitesInputsDigest(Path configDir) {
        MessageDigest digest = sha256();
        byte[] text = readBytes(configDir.resolve(SITES_FILE));
        digest.update(text);
        for (Path file : Placeholders.filesNamedIn(new String(text, StandardCharsets.UTF_8), configDir)) {
            digest.update(("\0" + file + "\0").getBytes(StandardCharsets.UTF_8));
            digest.update(readBytes(file));
        }
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static byte[] readBytes(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            return ("unreadable: " + e.getClass().getSimpleName()).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static Optional<String> read(Path path, boolean required) {
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            // a byte order mark from a Windows editor would otherwise become part of the first key
            return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (NoSuchFileException e) {
            if (!required) {
                return Optional.empty();
            }
            throw new ConfigException(path.toString(), 0, "-", "file not found; this file is required");
        } catch (CharacterCodingException e) {
            throw new ConfigException(path.toString(), 0, "-", "not valid UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(path.toString(), 0, "-", "cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
