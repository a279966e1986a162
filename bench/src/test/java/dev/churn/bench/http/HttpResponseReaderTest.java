package dev.churn.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link HttpResponseReader} on fixture bytes: where a response ends, what is refused, what a status means. */
class HttpResponseReaderTest {

    private final HttpResponseReader reader = new HttpResponseReader();
    private final byte[] buffer = new byte[64];

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A connection that carries exactly this response, at most {@code most} bytes a read (as a
     * socket may hand them out), and then neither data nor an end: a read past the response fails
     * the test, as it would block on a server that keeps the connection open.
     */
    private static final class Exact extends InputStream {
        private final ByteArrayInputStream in;
        private final int most;
        int reads;

        Exact(String response, int most) {
            this.in = new ByteArrayInputStream(ascii(response));
            this.most = most;
        }

        Exact(String response) {
            this(response, Integer.MAX_VALUE);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (in.available() == 0) {
                throw new IOException("read past the response");
            }
            reads++;
            return in.read(b, off, Math.min(len, most));
        }

        int left() {
            return in.available();
        }
    }

    @Test
    void aContentLengthBodyIsReadToItsEndAndNoFurther() throws IOException {
        String body = "x".repeat(300); // more than the buffer: several body reads
        Exact in = new Exact("HTTP/1.1 200 OK\r\nContent-Length: 300\r\nContent-Type: text/plain\r\n\r\n" + body, 100);

        long t0 = System.nanoTime();
        long firstByte = reader.read(in, buffer, t0);

        assertTrue(firstByte >= 0 && firstByte <= System.nanoTime() - t0, "nanoseconds from the send: " + firstByte);
        assertEquals(0, in.left(), "the body ends at Content-Length, read whole and no further");
    }

    @Test
    void headerNamesAreCaseInsensitive() throws IOException {
        Exact in = new Exact("HTTP/1.1 204 No Content\r\ncontent-LENGTH:  0 \r\n\r\n");
        reader.read(in, buffer, System.nanoTime());
        assertEquals(0, in.left());
    }

    @Test
    void withoutALengthTheBodyRunsToTheEndOfTheStream() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(ascii("HTTP/1.0 200 OK\r\nServer: x\r\n\r\n" + "y".repeat(500)));
        reader.read(in, buffer, System.nanoTime());
        assertEquals(0, in.available());
    }

    @Test
    void aChunkedBodyRunsToTheEndOfTheStreamEvenWithAContentLength() throws IOException {
        // Transfer-Encoding overrides Content-Length (RFC 9112 6.3); the request said Connection: close.
        ByteArrayInputStream in = new ByteArrayInputStream(ascii("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
        reader.read(in, buffer, System.nanoTime());
        assertEquals(0, in.available());
    }

    /** One byte a read splits the head at every place, the blank line's CR LF CR LF too. */
    @ParameterizedTest(name = "{0} bytes a read")
    @ValueSource(ints = {1, 2, 3, 5, 17})
    void aHeadSplitAcrossReadsIsFound(int most) throws IOException {
        Exact in = new Exact("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", most);
        reader.read(in, buffer, System.nanoTime());
        assertEquals(0, in.left());
        assertTrue(in.reads > 1);
    }

    @Test
    void aBodyPartlyInTheHeadsReadIsCountedOnce() throws IOException {
        // The first read carries the 39 bytes of head and 3 of the 10 body bytes; 7 more are read, not 10.
        Exact in = new Exact("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", 42);
        reader.read(in, buffer, System.nanoTime());
        assertEquals(0, in.left());
        assertEquals(2, in.reads);
    }

    @Test
    void aNotFoundIsAStatusFailureAfterItsBodyIsRead() {
        Exact in = new Exact("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found", 30);
        HttpStatusException e = assertThrows(HttpStatusException.class, () -> reader.read(in, buffer, System.nanoTime()));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("HTTP/1.1 404 Not Found"), e.getMessage());
        assertEquals(0, in.left(), "the body was read before the status failed the cycle");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 101 Switching Protocols\r\n\r\n", "HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n", "HTTP/1.1 500 Oops\r\n\r\n"})
    void statusesOutside2xxFail(String response) {
        assertThrows(HttpStatusException.class, () -> reader.read(new ByteArrayInputStream(ascii(response)), buffer, 0));
    }

    /** An interim 1xx is not the response: one the server closed after is a response that never came. */
    @Test
    void anInterimResponseAloneIsNoResponse() {
        IOException e = assertThrows(IOException.class,
                () -> reader.read(new ByteArrayInputStream(ascii("HTTP/1.1 199 Odd\r\n\r\n")), buffer, 0));
        assertFalse(e instanceof HttpStatusException, e.toString());
        assertEquals("connection closed before an HTTP response", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 200\r\n\r\n", "HTTP/1.0 299 Fine\r\n\r\n"})
    void statusesIn2xxPass(String response) throws IOException {
        reader.read(new ByteArrayInputStream(ascii(response)), buffer, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SSH-2.0-OpenSSH_9.2\r\n\r\n",
        "HTTP/2 200\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 20\r\n\r\n",
        "\r\n\r\n"
    })
    void whatIsNotAnHttpResponseIsRefused(String answer) {
        IOException e = assertThrows(IOException.class, () -> reader.read(new ByteArrayInputStream(ascii(answer)), buffer, 0));
        assertTrue(!(e instanceof HttpStatusException) && e.getMessage().startsWith("not an HTTP"), e.getMessage());
    }

    @Test
    void aConnectionClosedBeforeOrInsideTheResponseIsAnError() {
        IOException none = assertThrows(IOException.class, () -> reader.read(new ByteArrayInputStream(new byte[0]), buffer, 0));
        assertEquals("connection closed before an HTTP response", none.getMessage());
        IOException head = assertThrows(IOException.class,
                () -> reader.read(new ByteArrayInputStream(ascii("HTTP/1.1 200 OK\r\nConte")), buffer, 0));
        assertTrue(head.getMessage().startsWith("connection closed inside the HTTP response head"), head.getMessage());
        IOException body = assertThrows(IOException.class,
                () -> reader.read(new ByteArrayInputStream(ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123")), buffer, 0));
        assertTrue(body.getMessage().contains("after 4 of 10 body bytes"), body.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "99999999999999999999"})
    void aBadContentLengthIsRefused(String length) {
        IOException e = assertThrows(IOException.class, () -> reader.read(
                new ByteArrayInputStream(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n")), buffer, 0));
        assertTrue(e.getMessage().startsWith("bad Content-Length"), e.getMessage());
    }

    @Test
    void aHeadWithoutEndIsRefusedAtItsLimit() {
        byte[] endless = ascii("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(HttpResponseParser.MAX_HEAD / 6 + 1));
        IOException e = assertThrows(IOException.class, () -> reader.read(new ByteArrayInputStream(endless), buffer, 0));
        assertTrue(e.getMessage().contains("longer than " + HttpResponseParser.MAX_HEAD), e.getMessage());
    }

    @Test
    void theReaderIsReusableAcrossResponses() throws IOException {
        // One reader a cycle object: the second response must not see the first one's head.
        reader.read(new ByteArrayInputStream(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")), buffer, 0);
        ByteArrayInputStream second = new ByteArrayInputStream(ascii("HTTP/1.1 200 OK\r\n\r\nto the end"));
        reader.read(second, buffer, 0);
        assertEquals(0, second.available(), "no length this time: read to the end");
    }
}
