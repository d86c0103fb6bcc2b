package io.usermesh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Control characters are written out, everything else stays as it is. */
class PrintableTest {

    @Test
    void escapesLineBreaksEscapesAndNul() {
        assertEquals("x\\u000aFORGED\\u000d\\u001b[31mred\\u0000", Printable.of("x\nFORGED\r\u001b[31mred\u0000"));
        assertEquals("a\\u0009b\\u007f\\u009b", Printable.of("a\tb\u007f\u009b"));
    }

    @Test
    void leavesOtherTextAlone() {
        String text = "Jörg <img src=x> 日本 ann@example.test";
        assertSame(text, Printable.of(text));
        assertNull(Printable.of(null));
    }
}
