package dev.churn.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.engine.FailureKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The push parser fed in pieces, as an event loop feeds it, and the stream reader built on it (fixtures). */
class HttpResponseParserTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";

    @Test
    void aResponseFedOneByteAtATimeEndsAtItsLastBodyByte() throws IOException {
        HttpResponseParser p = new HttpResponseParser();
        p.begin();
        byte[] b = OK.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < b.length - 1; i++) {
            assertFalse(p.feed(b, i, 1), "done after " + (i + 1) + " bytes");
            assertTrue(p.wants() >= 1);
        }
        assertTrue(p.feed(b, b.length - 1, 1));
        assertEquals(0, p.wants());
    }

    @Test
    void aHeadSplitAcrossPiecesInADirectBufferIsFound() throws IOException {
        HttpResponseParser p = new HttpResponseParser();
        p.begin();
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        String[] pieces = {"HTTP/1.1 204 No Content\r", "\n\r", "\n"};
        boolean done = false;
        for (String piece : pieces) {
            direct.clear().put(piece.getBytes(StandardCharsets.US_ASCII)).flip();
            done = p.feed(direct);
            assertEquals(0, direct.remaining(), "the parser takes every byte");
        }
        // A 204 has no body (RFC 9112, 6.3): whole at its head's end, with no end of stream needed.
        assertTrue(done);
        assertTrue(p.done());
        assertEquals(0, p.wants());
    }

    @Test
    void aStatusOutside2xxFailsOnceTheResponseIsWhole() throws IOException {
        HttpResponseParser p = new HttpResponseParser();
        p.begin();
        byte[] head = "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno".getBytes(StandardCharsets.US_ASCII);
        assertFalse(p.feed(head, 0, head.length), "one body byte is still missing");
        HttpStatusException e = assertThrows(HttpStatusException.class, () -> p.feed(new byte[] {'!'}, 0, 1));
        assertEquals(404, e.status());
    }

    @Test
    void anEndInsideTheBodyOrBeforeTheHeadIsAnError() throws IOException {
        HttpResponseParser p = new HttpResponseParser();
        p.begin();
        assertThrows(IOException.class, p::end);
        p.begin();
        byte[] b = OK.substring(0, OK.length() - 2).getBytes(StandardCharsets.US_ASCII);
        p.feed(b, 0, b.length);
        IOException e = assertThrows(IOException.class, p::end);
        assertTrue(e.getMessage().contains("3 of 5 body bytes"), e.getMessage());
        // A failure class of its own, not "other": the answer was not a whole HTTP response.
        assertEquals(FailureKind.HTTP_RESPONSE, FailureKind.classify(e));
        p.begin();
        byte[] junk = "NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        IOException notHttp = assertThrows(IOException.class, () -> p.feed(junk, 0, junk.length));
        assertEquals(FailureKind.HTTP_RESPONSE, FailureKind.classify(notHttp), notHttp.getMessage());
    }

    /**
     * The first bytes that cannot begin "HTTP/1." fail at once, before any head's end: a peer that answered 5 bytes of
     * something else and held the connection open was counted as a timeout (QA, 2026-12-07).
     */
    @Test
    void bytesThatCannotBeginAnHttpResponseFailAtOnce() throws IOException {
        HttpResponseParser p = new HttpResponseParser();
        p.begin();
        HttpResponseException e = assertThrows(HttpResponseException.class, () -> p.feed(new byte[] {'x', 'x', 'x', 'x', 'x'}, 0, 5));
        assertEquals("not an HTTP/1.x response: it begins 'xxxxx'", e.getMessage());
        assertEquals(FailureKind.HTTP_RESPONSE, FailureKind.classify(e));
        p.begin();
        byte[] h2 = "HTTP/2 200\r\n".getBytes(StandardCharsets.US_ASCII);
        assertFalse(p.feed(h2, 0, 5), "'HTTP/' may still begin one");
        assertThrows(HttpResponseException.class, () -> p.feed(h2, 5, 1), "'HTTP/2' cannot");
        // A response's first bytes, one at a time, are never refused: only a byte that differs is.
        p.begin();
        byte[] ok = OK.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 7; i++) {
            assertFalse(p.feed(ok, i, 1));
        }
    }

    private static final String CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "10\r\n0123456789abcdef\r\n5;name=value\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n";

    /** A chunked body ends at its last chunk and trailers, fed whole or a byte at a time, not at the close. */
    @Test
    void aChunkedBodyEndsAtItsLastChunk() throws IOException {
        byte[] b = CHUNKED.getBytes(StandardCharsets.US_ASCII);
        HttpResponseParser p = new HttpResponseParser();
        p.begin();
        assertTrue(p.feed(b, 0, b.length), "whole in one piece");
        for (int cut = 1; cut < b.length; cut++) {
            p.begin();
            assertFalse(p.feed(b, 0, cut), "not whole after " + cut + " bytes");
            assertTrue(p.feed(b, cut, b.length - cut), "whole after the rest, cut at " + cut);
        }
        p.begin();
        for (int i = 0; i < b.length; i++) {
            assertEquals(i == b.length - 1, p.feed(b, i, 1), "byte " + i);
        }
    }

    /**
     * A chunked body cut short by the server's close is a failed response: it counted as a completed cycle (QA,
     * 2026-12-06), where a Content-Length body cut short failed.
     */
    @Test
    void aChunkedBodyCutShortOrMisframedIsAnError() throws IOException {
        HttpResponseParser p = new HttpResponseParser();
        p.begin();
        byte[] cut = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n10\r\n0123456789abcdef\r\n10\r\n01234"
                .getBytes(StandardCharsets.US_ASCII);
        assertFalse(p.feed(cut, 0, cut.length));
        IOException e = assertThrows(IOException.class, p::end);
        assertEquals("connection closed inside the chunked HTTP body, after 21 body bytes", e.getMessage());
        assertEquals(FailureKind.HTTP_RESPONSE, FailureKind.classify(e));
        for (String bad : new String[] {"zz\r\n", "5\r\nhelloX", "\r\n", "5\rX"}) {
            p.begin();
            byte[] b = ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + bad).getBytes(StandardCharsets.US_ASCII);
            IOException framing = assertThrows(IOException.class, () -> p.feed(b, 0, b.length), bad);
            assertEquals(FailureKind.HTTP_RESPONSE, FailureKind.classify(framing), framing.getMessage());
        }
    }

    /** Interim responses before the final one are skipped: a 103 Early Hints was counted as a failed status. */
    @Test
    void interimResponsesAreSkippedForTheFinalOne() throws IOException {
        HttpResponseParser p = new HttpResponseParser();
        byte[] b = ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n" + OK)
                .getBytes(StandardCharsets.US_ASCII);
        p.begin();
        assertTrue(p.feed(b, 0, b.length));
        for (int cut = 1; cut < b.length; cut++) {
            p.begin();
            assertFalse(p.feed(b, 0, cut), "not whole after " + cut + " bytes");
            assertTrue(p.feed(b, cut, b.length - cut), "cut at " + cut);
        }
        p.begin();
        byte[] notFound = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals(404, assertThrows(HttpStatusException.class, () -> p.feed(notFound, 0, notFound.length)).status());
    }

    @Test
    void aHeadLongerThanTheLimitIsRefusedWithoutGrowingFurther() {
        HttpResponseParser p = new HttpResponseParser();
        p.begin();
        byte[] junk = new byte[HttpResponseParser.MAX_HEAD + 1];
        java.util.Arrays.fill(junk, (byte) 'x');
        assertThrows(IOException.class, () -> p.feed(junk, 0, junk.length));
    }

    @Test
    void theParserIsReusedAfterBegin() throws IOException {
        HttpResponseParser p = new HttpResponseParser();
        byte[] b = OK.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 3; i++) {
            p.begin();
            assertTrue(p.feed(b, 0, b.length));
        }
    }

    @Test
    void theStreamReaderStopsAtTheLastBodyByteWithoutWaitingForTheEnd() throws IOException {
        // A body bigger than the read buffer, and a server that keeps the connection open after
        // it: the reader must not read again once the Content-Length is reached.
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + "b".repeat(2000);
        byte[] bytes = response.getBytes(StandardCharsets.US_ASCII);
        ByteArrayInputStream whole = new ByteArrayInputStream(bytes);
        java.io.InputStream openEnded = new java.io.InputStream() {
            @Override
            public int read() {
                throw new AssertionError("one byte reads are not expected");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (whole.available() == 0) {
                    throw new AssertionError("read past the response: it would block on a live connection");
                }
                return whole.read(b, off, Math.min(len, 300));
            }
        };
        assertTrue(new HttpResponseReader().read(openEnded, new byte[512], System.nanoTime()) >= 0);
        assertEquals(0, whole.available());
    }

    /** Header names in any case, spaces around values, chunked anywhere in the coding list; bad lengths refused. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "content-LENGTH:  12  |12",
        "Content-Length:\t7|7",
        "X-Content-Length: 5|-1",
        "Transfer-Encoding: gzip, CHUNKED|-2",
        "Content-Length: 0|0",
        "Content-Length: 123456789012345678|123456789012345678"})
    void headerLinesAreReadLikeTheRfcSays(String header, long expected) throws IOException {
        assertEquals(expected, HttpResponseParser.contentLength("HTTP/1.1 200 OK\r\nServer: x\r\n" + header + "\r\n"
                .replace("\\t", "\t")));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"-5", "1 2", "", "0x10", "1234567890123456789", "+3"})
    void aBadContentLengthIsRefused(String value) {
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> HttpResponseParser.contentLength("HTTP/1.1 200 OK\r\nContent-Length: " + value + "\r\n"));
        assertTrue(e.getMessage().startsWith("bad Content-Length"), e.getMessage());
    }

    @Test
    void theStatusCodeIsReadFromTheBytes() throws IOException {
        assertEquals(204, HttpResponseParser.status("HTTP/1.0 204 No Content"));
        for (String bad : new String[] {"HTTP/2 200 OK", "HTTP/1.1 2x0 OK", "HTTP/1.1", "ICY 200 OK"}) {
            org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> HttpResponseParser.status(bad), bad);
        }
    }
}
