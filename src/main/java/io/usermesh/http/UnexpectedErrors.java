package io.usermesh.http;

import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;

/**
 * An exception nobody expected while serving a request: logged with its stack trace under a short
 * correlation id, which the 500 answer repeats so an operator can find the log line.
 */
public final class UnexpectedErrors {

    private UnexpectedErrors() {
    }

    /** Logs {@code error} at ERROR and returns the correlation id that names the line. */
    public static String log(Logger log, String what, Throwable error) {
        String id = String.format("err-%08x", ThreadLocalRandom.current().nextInt());
        log.error("{} failed unexpectedly [{}]", what, id, error);
        return id;
    }
}
