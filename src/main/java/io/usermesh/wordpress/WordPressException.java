package io.usermesh.wordpress;

/** A request to a site failed; {@link #error()} says how, without any credential in it. */
public final class WordPressException extends RuntimeException {

    private final String siteId;
    private final WpError error;
    private final java.time.Duration retryAfter;

    public WordPressException(String siteId, WpError error) {
        this(siteId, error, null);
    }

    /** {@code retryAfter}: the site's Retry-After (on 429 or 503), or null. */
    public WordPressException(String siteId, WpError error, java.time.Duration retryAfter) {
        super(siteId + ": " + error.describe());
        this.siteId = siteId;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    public String siteId() {
        return siteId;
    }

    public WpError error() {
        return error;
    }
}
