package io.usermesh.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The shipped log4j2.xml writes every message on one line, whatever the message holds. */
class LogPatternTest {

    @Test
    void aMessageCannotForgeALineNorCarryAnEscapeSequence() throws Exception {
        PatternLayout layout = shippedLayout();
        LogEvent event = Log4jLogEvent.newBuilder().setLoggerName("x").setLevel(Level.WARN)
                .setMessage(new SimpleMessage("push to /hooks/x\r\nFORGED-LOG-LINE \u001b[31mred\u0000")).build();

        String line = layout.toSerializable(event);

        assertEquals(1, line.split("\n", -1).length - 1, "one line: " + line);
        assertFalse(line.contains("\u001b") || line.contains("\u0000"), line);
        assertTrue(line.contains("push to /hooks/x\\r\\nFORGED-LOG-LINE ?[31mred?"), line);
    }

    @Test
    void anExceptionKeepsItsStackTraceOnItsOwnLines() throws Exception {
        LogEvent event = Log4jLogEvent.newBuilder().setLoggerName("x").setLevel(Level.ERROR)
                .setMessage(new SimpleMessage("failed")).setThrown(new IllegalStateException("boom")).build();

        String text = shippedLayout().toSerializable(event);

        assertTrue(text.contains("failed\njava.lang.IllegalStateException: boom\n"), text);
        assertEquals(1, text.split("IllegalStateException: boom", -1).length - 1, "printed once: " + text);
    }

    private static PatternLayout shippedLayout() throws Exception {
        try (InputStream xml = LogPatternTest.class.getResourceAsStream("/log4j2.xml")) {
            Element layout = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml)
                    .getElementsByTagName("PatternLayout").item(0);
            return PatternLayout.newBuilder().withPattern(layout.getAttribute("pattern"))
                    .withAlwaysWriteExceptions(Boolean.parseBoolean(layout.getAttribute("alwaysWriteExceptions")))
                    .build();
        }
    }
}
