package dev.churn.bench.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one place that knows an HTTP/1.1 response: fed the bytes of a connection that carries only
 * it, in whatever pieces they arrive, it says when the response is whole: the status line, the
 * headers, and the body by Content-Length, by its chunks (Transfer-Encoding: chunked), none after a
 * 204 or 304, or else to the end of the stream (close-delimited: the request said Connection: close).
 * Interim 1xx responses (100 Continue, 103 Early Hints) before the final one are skipped. The stream reader
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
    /** Body bytes still expected by Content-Length; -1: to the end of the stream, or {@link #CHUNKED_BODY}. */
    private long bodyLeft;
    private long bodyRead;
    private boolean done;
    /** Where a chunked body's framing is: one of the states below, {@link #NOT_CHUNKED} for any other body. */
    private int chunk;
    /** The chunk's data bytes still to come (its size while the size line is read). */
    private long chunkLeft;
    private int sizeDigits;

    /** {@link #contentLength}'s answer for a chunked body. */
    static final long CHUNKED_BODY = -2;
    private static final int NOT_CHUNKED = 0;
    private static final int SIZE = 1;
    private static final int SIZE_EXTENSION = 2;
    private static final int SIZE_LF = 3;
    private static final int DATA = 4;
    private static final int DATA_CR = 5;
    private static final int DATA_LF = 6;
    private static final int TRAILER_START = 7;
    private static final int TRAILER = 8;
    private static final int TRAILER_LF = 9;
    private static final int END_LF = 10;
    /** Hex digits of a chunk size: 15 make a size past any body this parser takes. */
    private static final int MAX_SIZE_DIGITS = 15;

    /** Starts a new response. */
    public void begin() {
        headLength = 0;
        headEnd = -1;
        status = 0;
        statusEnd = 0;
        bodyLeft = 0;
        bodyRead = 0;
        done = false;
        chunk = NOT_CHUNKED;
        chunkLeft = 0;
        sizeDigits = 0;
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
        // A chunked body's end is in its framing: a read takes what has come, and the parser finds the end in it.
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
                checkBeginning();
                headEnd = endOfHead(head, from, headLength);
                if (headEnd < 0 && headLength == MAX_HEAD) {
                    throw new HttpResponseException("HTTP response head longer than " + MAX_HEAD + " bytes");
                }
                if (headEnd >= 0) {
                    parseHead();
                    skipInterimResponses();
                    if (headEnd >= 0) {
                        startBody();
                    }
                }
            } else if (chunk != NOT_CHUNKED) {
                chunked(src);
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
        if (chunk != NOT_CHUNKED) {
            // A chunked body ends in its last chunk, not at the close: one cut short counted as complete (QA, 2026-12-06).
            throw new HttpResponseException("connection closed inside the chunked HTTP body, after " + bodyRead + " body bytes");
        }
        complete();
    }

    /**
     * Drops interim responses (1xx but 101, which switches protocols and is final here): their head is followed by
     * another. A 103 Early Hints was taken for the response and counted as a failed status (QA, 2026-12-06).
     */
    private void skipInterimResponses() throws IOException {
        while (headEnd >= 0 && status >= 100 && status < 200 && status != 101) {
            int rest = headLength - headEnd;
            System.arraycopy(head, headEnd, head, 0, rest);
            headLength = rest;
            headEnd = endOfHead(head, 0, headLength);
            if (headEnd >= 0) {
                parseHead();
            }
        }
    }

    // What follows the final head: no body after 204 and 304 (RFC 9112, 6.3), else as its headers frame it.
    private void startBody() throws IOException {
        if (status == 204 || status == 304) {
            bodyLeft = 0;
            complete();
            return;
        }
        if (bodyLeft == CHUNKED_BODY) {
            chunk = SIZE;
            chunked(ByteBuffer.wrap(head, headEnd, headLength - headEnd));
            return;
        }
        body(headLength - headEnd);
    }

    /** Reads a chunked body's framing and data from {@code src}, up to its end (the bytes after it are dropped). */
    private void chunked(ByteBuffer src) throws IOException {
        while (src.hasRemaining() && !done) {
            if (chunk == DATA) {
                int n = (int) Math.min(chunkLeft, src.remaining());
                src.position(src.position() + n);
                chunkLeft -= n;
                body(n);
                if (chunkLeft == 0) {
                    chunk = DATA_CR;
                }
                continue;
            }
            byte c = src.get();
            switch (chunk) {
                case SIZE -> {
                    int d = Character.digit(c, 16);
                    if (d >= 0 && sizeDigits < MAX_SIZE_DIGITS) {
                        chunkLeft = chunkLeft * 16 + d;
                        sizeDigits++;
                    } else if (sizeDigits > 0 && (c == ';' || c == ' ' || c == '\t')) {
                        chunk = SIZE_EXTENSION;
                    } else if (sizeDigits > 0 && c == '\r') {
                        chunk = SIZE_LF;
                    } else {
                        throw new HttpResponseException("bad chunk size in the HTTP body after " + bodyRead + " body bytes");
                    }
                }
                case SIZE_EXTENSION -> chunk = c == '\r' ? SIZE_LF : SIZE_EXTENSION;
                case SIZE_LF -> {
                    expect(c, '\n');
                    chunk = chunkLeft == 0 ? TRAILER_START : DATA;
                }
                case DATA_CR -> {
                    expect(c, '\r');
                    chunk = DATA_LF;
                }
                case DATA_LF -> {
                    expect(c, '\n');
                    chunk = SIZE;
                    chunkLeft = 0;
                    sizeDigits = 0;
                }
                case TRAILER_START -> chunk = c == '\r' ? END_LF : TRAILER;
                case TRAILER -> chunk = c == '\r' ? TRAILER_LF : TRAILER;
                case TRAILER_LF -> {
                    expect(c, '\n');
                    chunk = TRAILER_START;
                }
                case END_LF -> {
                    expect(c, '\n');
                    complete();
                }
                default -> throw new IllegalStateException("chunk state " + chunk);
            }
        }
    }

    private void expect(byte c, char wanted) throws IOException {
        if (c != wanted) {
            throw new HttpResponseException("bad chunk framing in the HTTP body after " + bodyRead + " body bytes");
        }
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

    /** The Content-Length, {@link #CHUNKED_BODY} for a chunked body, or -1 when there is neither (read to the end). */
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
                    return CHUNKED_BODY;
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

    /**
     * Refuses a head whose first bytes cannot begin "HTTP/1.": a server that answered 5 bytes of something else and
     * kept the connection open was counted as a timeout, with the response "not ended", instead of as no HTTP
     * response (QA, 2026-12-07).
     */
    private void checkBeginning() throws IOException {
        int known = Math.min(headLength, HTTP_1.length);
        for (int i = 0; i < known; i++) {
            if (head[i] != HTTP_1[i]) {
                throw new HttpResponseException("not an HTTP/1.x response: it begins '"
                        + abbreviate(text(head, 0, Math.min(headLength, 40))) + "'");
            }
        }
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
