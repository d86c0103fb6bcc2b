package io.usermesh.model;

/**
 * Text fit for one line of a log or one audit cell: control characters (line breaks, ANSI escape
 * sequences, NUL, ...) written as {@code \\uXXXX}, so a value taken from a request or a site can
 * neither forge a line nor recolour a terminal.
 */
public final class Printable {

    private Printable() {
    }

    /** {@code text} with every control character escaped; null stays null. */
    public static String of(String text) {
        if (text == null || text.chars().noneMatch(Character::isISOControl)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.chars().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}
