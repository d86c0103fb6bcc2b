package io.usermesh.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** One-shot commands print their result on stdout; Camel's start-up chatter would only bury it. */
final class Logging {

    private Logging() {
    }

    static void quiet() {
        Configurator.setLevel("org.apache.camel", Level.WARN);
    }
}
