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

    /**
     * A peer's text shown through {@link Printable#clip}: a right-to-left override and a line separator escaped, and its
     * length bounded, since a 60,000-character label made a refusal line of 60 KB (QA, 2026-12-06).
     */
    @Test
    void formatCharactersAreEscapedAndClipBoundsTheLength() {
        assertEquals("states-\\u202egnp.csv", Printable.escape("states-\u202egnp.csv"));
        assertEquals("a\\u2028b\\u200bc", Printable.escape("a\u2028b\u200bc"));
        assertEquals("A".repeat(Printable.CLIP) + "...", Printable.clip("A".repeat(60_000)));
        assertEquals("ab...", Printable.clip("ab\u001bcd", 5), "an escape is not cut in two");
        assertEquals("short", Printable.clip("short", 5));
        assertEquals("null", Printable.clip(null));
    }

    /** A whole table through {@link Printable#escapeLines}: its line breaks kept, every other control escaped. */
    @Test
    void escapeLinesKeepsTheLineBreaksOnly() {
        assertEquals("a\\x1b[2J\nb\\x0d\n\n", Printable.escapeLines("a\u001b[2J\nb\r\n\n"));
        assertEquals("plain µs ↑", Printable.escapeLines("plain µs ↑"));
        assertEquals("null", Printable.escapeLines(null));
    }
}
