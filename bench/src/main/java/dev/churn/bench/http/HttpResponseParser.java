package dev.churn.bench.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The one place that knows an HTTP/1.1 response: fed the bytes of a connection that carries only
 * it, in whatever pieces they arrive, it says when the response is whole: the status line, the
 * headers, and the body by Content-Length, or to the end of the stream when there is none (chunked
 * or close-delimited: the request said Connection: close). The stream reader
 * ({@link HttpResponseReader}) and the event loops feed it alike. Not thread-safe; reusable with
 * {@link #begin}.
 */
public final class HttpResponseParser {

    /** Most bytes of a response head; more is a broken server, not a response. */
    static final int MAX_HEAD = 64 * 1024;
    /** Most body bytes read; a bigger body is read and discarded up to here, then the cycle fails. */
    static final long MAX_BODY = 1L << 24;

    /** The head so far; it grows (a connection in flight holds only what its head needs). */
    private byte[] head = new byte[1024];
    private int headLength;
    private int headEnd = -1;
    private int status;
    private String statusLine;
    /** Body bytes still expected by Content-Length; -1: to the end of the stream. */
    private long bodyLeft;
    private long bodyRead;
    private boolean done;

    /** Starts a new response. */
    public void begin() {
        headLength = 0;
        headEnd = -1;
        status = 0;
        statusLine = null;
        bodyLeft = 0;
        bodyRead = 0;
        done = false;
    }

    /** True once the response is whole. */
    public boolean done() {
        return done;
    }

    /**
     * Most bytes worth reading next: what the head may still hold, or what is left of a
     * Content-Length body, so a read never waits for bytes the response does not have; at least 1
     * until {@link #done}.
     */
    public long wants() {
        if (done) {
            return 0;
        }
        if (headEnd < 0) {
            // At least 1: a full head without its end is refused by feed(), never read for 0 bytes forever.
            return Math.max(1, MAX_HEAD - headLength);
        }
        return bodyLeft >= 0 ? bodyLeft : Long.MAX_VALUE;
    }

    /**
     * Takes the bytes {@code src} holds (all of them: bytes past a whole response are dropped);
     * returns true when the response is whole. Throws HttpStatusException for a whole response
     * whose status is outside 200-299, and IOException for what is not an HTTP/1.x response.
     */
    public boolean feed(ByteBuffer src) throws IOException {
        while (src.hasRemaining() && !done) {
            if (headEnd < 0) {
                if (headLength == MAX_HEAD) {
                    throw new IOException("HTTP response head longer than " + MAX_HEAD + " bytes");
                }
                if (headLength == head.length) {
                    head = Arrays.copyOf(head, Math.min(MAX_HEAD, head.length * 2));
                }
                int n = Math.min(src.remaining(), head.length - headLength);
                src.get(head, headLength, n);
                int from = Math.max(0, headLength - 3);
                headLength += n;
                headEnd = endOfHead(head, from, headLength);
                if (headEnd < 0 && headLength == MAX_HEAD) {
                    throw new IOException("HTTP response head longer than " + MAX_HEAD + " bytes");
                }
                if (headEnd >= 0) {
                    parseHead();
                    body(headLength - headEnd);
                }
            } else {
                int n = src.remaining();
                src.position(src.limit());
                body(n);
            }
        }
        src.position(src.limit());
        return done;
    }

    /** As {@link #feed(ByteBuffer)} for {@code len} bytes of {@code b} from {@code off}. */
    public boolean feed(byte[] b, int off, int len) throws IOException {
        return feed(ByteBuffer.wrap(b, off, len));
    }

    /**
     * The connection's end of stream: it completes a body without Content-Length; anywhere else it
     * is a response cut short (IOException). Throws HttpStatusException as {@link #feed} does.
     */
    public void end() throws IOException {
        if (done) {
            return;
        }
        if (headEnd < 0) {
            throw new IOException(headLength == 0 ? "connection closed before an HTTP response"
                    : "connection closed inside the HTTP response head (" + headLength + " bytes)");
        }
        if (bodyLeft >= 0) {
            throw new IOException("connection closed after " + bodyRead + " of " + (bodyRead + bodyLeft) + " body bytes");
        }
        complete();
    }

    private void parseHead() throws IOException {
        String headText = new String(head, 0, headEnd, StandardCharsets.ISO_8859_1);
        int eol = headText.indexOf("\r\n");
        statusLine = eol < 0 ? headText : headText.substring(0, eol);
        status = status(statusLine);
        bodyLeft = contentLength(headText);
    }

    private void body(long n) throws IOException {
        bodyRead += n;
        if (bodyLeft >= 0) {
            bodyLeft = Math.max(0, bodyLeft - n);
            if (bodyLeft == 0) {
                complete();
            }
        } else if (bodyRead > MAX_BODY) {
            throw new IOException("HTTP body longer than " + MAX_BODY + " bytes");
        }
    }

    private void complete() throws IOException {
        done = true;
        if (status < 200 || status > 299) {
            throw new HttpStatusException(status, statusLine);
        }
    }

    /** The index just past the blank line ending the head, or -1; searched from {@code from}. */
    static int endOfHead(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** The status code of {@code HTTP/1.x NNN reason}. */
    static int status(String statusLine) throws IOException {
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x status line: '" + abbreviate(statusLine) + "'");
        }
        String code = statusLine.substring(9, 12);
        for (int i = 0; i < 3; i++) {
            if (code.charAt(i) < '0' || code.charAt(i) > '9') {
                throw new IOException("not an HTTP status code: '" + abbreviate(statusLine) + "'");
            }
        }
        return Integer.parseInt(code);
    }

    /** The Content-Length, or -1 when there is none or the body is chunked (read to the end then). */
    static long contentLength(String head) throws IOException {
        long length = -1;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                return -1;
            }
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: '" + abbreviate(value) + "'");
                }
                if (length < 0) {
                    throw new IOException("bad Content-Length: " + value);
                }
            }
        }
        return length;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
