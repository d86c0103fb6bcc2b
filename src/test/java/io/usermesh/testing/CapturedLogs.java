package io.usermesh.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The log lines written while it is open, as "logger: message", for tests that check what was logged. */
public final class CapturedLogs implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext logs = (LoggerContext) LogManager.getContext(false);
    private final AbstractAppender appender = new AbstractAppender("captured-logs", null, null, true,
            Property.EMPTY_ARRAY) {
        @Override
        public void append(LogEvent event) {
            lines.add(event.getLoggerName() + ": " + event.getMessage().getFormattedMessage());
        }
    };

    public CapturedLogs() {
        appender.start();
        logs.getRootLogger().addAppender(appender);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logs.getRootLogger().removeAppender(appender);
    }
}
