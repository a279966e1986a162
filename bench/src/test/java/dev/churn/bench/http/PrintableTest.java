package dev.churn.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void controlCharactersAreWrittenAsHexAndTheRestIsKept() {
        String plain = "HTTP/1.1 404 Not Found é";
        assertSame(plain, Printable.escape(plain), "nothing to escape: the same string");
        assertEquals("HTTP\\x1b[2J\\x1b]0;pwned\\x07 200", Printable.escape("HTTP\u001b[2J\u001b]0;pwned\u0007 200"));
        assertEquals("a\\x00b\\x7fc\\x9bd\\x0d\\x0a\u00ff", Printable.escape("a\u0000b\u007fc\u009bd\r\n\u00ff"));
        assertEquals("", Printable.escape(""));
    }
}
