package io.usermesh.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}}, {@code ${env:NAME:-default}} and {@code ${file:PATH}} in a value. Any other
 * {@code ${...}} text is left as it is, because camel.* values may hold Camel's own simple-language expressions.
 * Resolved text is not scanned again, so a secret containing "${" stays as it is.
 */
final class Placeholders {

    private static final String ENV = "${env:";
    private static final String FILE = "${file:";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> env;
    private final Path configDir;

    /** @param configDir where a relative ${file:PATH} is looked up */
    Placeholders(Map<String, String> env, Path configDir) {
        this.env = Map.copyOf(env);
        this.configDir = configDir;
    }

    /** The scalar {@code raw} found at file:line under key, resolved. */
    ConfigValue value(String raw, String file, int line, String key) {
        ConfigValue at = new ConfigValue(raw, raw, file, line, key);
        return new ConfigValue(resolve(raw, at), raw, file, line, key);
    }

    private String resolve(String raw, ConfigValue at) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (true) {
            int start = nextPlaceholder(raw, from);
            if (start < 0) {
                return out.append(raw, from, raw.length()).toString();
            }
            int end = raw.indexOf('}', start);
            if (end < 0) {
                String opening = raw.startsWith(ENV, start) ? ENV : FILE;
                throw at.fail("unterminated placeholder: '" + opening + "' has no closing '}'");
            }
            out.append(raw, from, start);
            String placeholder = raw.substring(start, end + 1);
            out.append(raw.startsWith(ENV, start) ? env(placeholder, at) : file(placeholder, at));
            from = end + 1;
        }
    }

    private static int nextPlaceholder(String raw, int from) {
        int env = raw.indexOf(ENV, from);
        int file = raw.indexOf(FILE, from);
        return env < 0 ? file : file < 0 ? env : Math.min(env, file);
    }

    private String env(String placeholder, ConfigValue at) {
        String body = placeholder.substring(ENV.length(), placeholder.length() - 1);
        int sep = body.indexOf(":-");
        String name = sep < 0 ? body : body.substring(0, sep);
        if (!ENV_NAME.matcher(name).matches()) {
            throw at.fail("bad placeholder " + placeholder + ": '" + name + "' is not an environment variable name");
        }
        String value = env.get(name);
        if (sep >= 0) {
            // as in the shell, ":-" also replaces a variable that is set but empty
            return value == null || value.isEmpty() ? body.substring(sep + 2) : value;
        }
        if (value == null) {
            throw at.unresolved("cannot resolve " + placeholder + ": environment variable " + name + " is not set"
                    + " (write ${env:" + name + ":-} to allow it to be empty)");
        }
        return value;
    }

    /**
     * The files the {@code ${file:...}} placeholders of {@code text} would read, well-formed ones only:
     * with the text itself, what a resolved config depends on (a reload watches them).
     */
    static List<Path> filesNamedIn(String text, Path configDir) {
        List<Path> files = new ArrayList<>();
        for (int start = text.indexOf(FILE); start >= 0; start = text.indexOf(FILE, start + 1)) {
            int end = text.indexOf('}', start);
            if (end < 0) {
                break;
            }
            try {
                files.add(configDir.resolve(fileName(text.substring(start, end + 1))));
            } catch (InvalidPathException e) {
                // the load names it; nothing to watch
            }
        }
        return files;
    }

    private static String fileName(String placeholder) {
        return placeholder.substring(FILE.length(), placeholder.length() - 1).trim();
    }

    private String file(String placeholder, ConfigValue at) {
        String name = fileName(placeholder);
        Path path;
        try {
            path = configDir.resolve(name);
        } catch (InvalidPathException e) {
            throw at.fail("cannot resolve " + placeholder + ": bad path (" + e.getReason() + ")");
        }
        try {
            return stripOneNewline(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // only the path and the kind of failure: the content is what we must never show
            throw at.unresolved("cannot resolve " + placeholder + ": cannot read " + path + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Editors add a final newline that is no part of a password kept in a file. */
    private static String stripOneNewline(String content) {
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    }
}
