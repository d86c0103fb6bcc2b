package io.usermesh.config;

/**
 * A configuration file that cannot be used. The message is always
 * {@code <file>:<line>: <key>: <problem>} so that start-up can print it as the one line a user needs.
 * It never carries a secret's value: callers build the problem text from key names and non-secret values only.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String key;
    private final String problem;
    private final boolean unresolved;

    /** @param line 1-based, 0 when unknown; @param key the key path, "-" when unknown */
    public ConfigException(String file, int line, String key, String problem) {
        this(file, line, key, problem, false);
    }

    private ConfigException(String file, int line, String key, String problem, boolean unresolved) {
        super(file + ":" + line + ": " + key + ": " + problem);
        this.file = file;
        this.line = line;
        this.key = key;
        this.problem = problem;
        this.unresolved = unresolved;
    }

    /** A well-formed placeholder whose variable is not set or whose file cannot be read (yet). */
    static ConfigException unresolved(String file, int line, String key, String problem) {
        return new ConfigException(file, line, key, problem, true);
    }

    /** True when only the value is missing, not the file's form: see {@link #unresolved}. */
    public boolean isUnresolved() {
        return unresolved;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }
}
