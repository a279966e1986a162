package dev.churn.bench.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
    /** Where the status line ends in {@code head} (its CR), once the head is parsed. */
    private int statusEnd;
    /** Body bytes still expected by Content-Length; -1: to the end of the stream. */
    private long bodyLeft;
    private long bodyRead;
    private boolean done;

    /** Starts a new response. */
    public void begin() {
        headLength = 0;
        headEnd = -1;
        status = 0;
        statusEnd = 0;
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
                    throw new HttpResponseException("HTTP response head longer than " + MAX_HEAD + " bytes");
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
                    throw new HttpResponseException("HTTP response head longer than " + MAX_HEAD + " bytes");
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
            throw new HttpResponseException(headLength == 0 ? "connection closed before an HTTP response"
                    : "connection closed inside the HTTP response head (" + headLength + " bytes)");
        }
        if (bodyLeft >= 0) {
            throw new HttpResponseException("connection closed after " + bodyRead + " of " + (bodyRead + bodyLeft) + " body bytes");
        }
        complete();
    }

    // Over the head's bytes, no String, no regex: this runs once per connection, on the client's
    // event loop (a split on "\r\n" compiled a Pattern per response: 4% of the client's samples at
    // 9,500 connections/s, perf 2026-12-02).
    private void parseHead() throws IOException {
        int eol = indexOfCrlf(head, 0, headEnd);
        statusEnd = eol < 0 ? headEnd : eol;
        status = status(head, 0, statusEnd);
        bodyLeft = contentLength(head, Math.min(headEnd, statusEnd + 2), headEnd);
    }

    private void body(long n) throws IOException {
        bodyRead += n;
        if (bodyLeft >= 0) {
            bodyLeft = Math.max(0, bodyLeft - n);
            if (bodyLeft == 0) {
                complete();
            }
        } else if (bodyRead > MAX_BODY) {
            throw new HttpResponseException("HTTP body longer than " + MAX_BODY + " bytes");
        }
    }

    private void complete() throws IOException {
        done = true;
        if (status < 200 || status > 299) {
            throw new HttpStatusException(status, text(head, 0, statusEnd));
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
        byte[] b = statusLine.getBytes(StandardCharsets.ISO_8859_1);
        return status(b, 0, b.length);
    }

    /** The status code of the status line in {@code b[from, to)}. */
    static int status(byte[] b, int from, int to) throws IOException {
        int n = to - from;
        if (n < 12 || !startsWith(b, from, HTTP_1) || b[from + 8] != ' ') {
            throw new HttpResponseException("not an HTTP/1.x status line: '" + abbreviate(text(b, from, to)) + "'");
        }
        int code = 0;
        for (int i = from + 9; i < from + 12; i++) {
            if (b[i] < '0' || b[i] > '9') {
                throw new HttpResponseException("not an HTTP status code: '" + abbreviate(text(b, from, to)) + "'");
            }
            code = code * 10 + (b[i] - '0');
        }
        return code;
    }

    /** The Content-Length, or -1 when there is none or the body is chunked (read to the end then). */
    static long contentLength(String head) throws IOException {
        byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
        return contentLength(b, 0, b.length);
    }

    /** {@link #contentLength(String)} of the header lines in {@code b[from, to)}. */
    static long contentLength(byte[] b, int from, int to) throws IOException {
        long length = -1;
        int line = from;
        while (line < to) {
            int eol = indexOfCrlf(b, line, to);
            int end = eol < 0 ? to : eol;
            int colon = indexOf(b, (byte) ':', line, end);
            if (colon > line) {
                int nameFrom = skipSpace(b, line, colon);
                int nameTo = trimSpace(b, nameFrom, colon);
                int valueFrom = skipSpace(b, colon + 1, end);
                int valueTo = trimSpace(b, valueFrom, end);
                if (equalsIgnoreCase(b, nameFrom, nameTo, TRANSFER_ENCODING) && containsIgnoreCase(b, valueFrom, valueTo, CHUNKED)) {
                    return -1;
                }
                if (equalsIgnoreCase(b, nameFrom, nameTo, CONTENT_LENGTH)) {
                    length = digits(b, valueFrom, valueTo);
                }
            }
            line = eol < 0 ? to : eol + 2;
        }
        return length;
    }

    private static final byte[] HTTP_1 = "HTTP/1.".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.ISO_8859_1);

    // A Content-Length value: decimal digits only (a sign, a space inside, or more than 18 digits is refused).
    private static long digits(byte[] b, int from, int to) throws IOException {
        if (from == to || to - from > 18) {
            throw new HttpResponseException("bad Content-Length: '" + abbreviate(text(b, from, to)) + "'");
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                throw new HttpResponseException("bad Content-Length: '" + abbreviate(text(b, from, to)) + "'");
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    private static int indexOfCrlf(byte[] b, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpace(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimSpace(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    private static boolean startsWith(byte[] b, int from, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    // ASCII case folding: header names are ASCII (RFC 9110), the lower-case word is given.
    private static boolean equalsIgnoreCase(byte[] b, int from, int to, byte[] lower) {
        if (to - from != lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            int c = b[from + i];
            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIgnoreCase(byte[] b, int from, int to, byte[] lower) {
        for (int i = from; i + lower.length <= to; i++) {
            if (equalsIgnoreCase(b, i, i + lower.length, lower)) {
                return true;
            }
        }
        return false;
    }

    // What the peer sent, quoted in a message: its control bytes escaped (Printable).
    private static String text(byte[] b, int from, int to) {
        return Printable.escape(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
