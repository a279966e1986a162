package dev.churn.bench.server;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The sink's HTTP/1.1: finds the end of a request head (its blank line, {@code \r\n\r\n}) across
 * reads of any size, and builds the minimal valid answer. One per connection; not thread-safe.
 * The sink neither parses nor checks the request: it measures connection setup, not HTTP.
 */
public final class HttpHead {

    /** A longer head is refused (the connection is reset and counted): a client cannot make the sink read forever. */
    public static final int MAX_BYTES = 16 * 1024;

    /** Where the scan stands after the bytes fed so far. */
    enum Progress { MORE, COMPLETE, TOO_LONG }

    private static final byte[] END = {'\r', '\n', '\r', '\n'};

    private int matched;
    private int seen;

    /** Scans {@code n} bytes read into {@code buf}; bytes after the head's end are ignored. */
    Progress scan(MemorySegment buf, long n) {
        for (long i = 0; i < n; i++) {
            Progress p = next(buf.get(ValueLayout.JAVA_BYTE, i));
            if (p != Progress.MORE) {
                return p;
            }
        }
        return Progress.MORE;
    }

    /** Scans {@code n} bytes of {@code buf} from {@code off}. */
    Progress scan(byte[] buf, int off, int n) {
        for (int i = off; i < off + n; i++) {
            Progress p = next(buf[i]);
            if (p != Progress.MORE) {
                return p;
            }
        }
        return Progress.MORE;
    }

    private Progress next(byte b) {
        if (++seen > MAX_BYTES) {
            return Progress.TOO_LONG;
        }
        if (b == END[matched]) {
            matched++;
        } else {
            // The only proper prefix of CRLFCRLF that is also a suffix of a mismatch is a lone CR.
            matched = b == '\r' ? 1 : 0;
        }
        return matched == END.length ? Progress.COMPLETE : Progress.MORE;
    }

    /**
     * {@code HTTP/1.1 200 OK} with {@code Content-Length} and {@code Connection: close}, then
     * {@code bodyBytes} bytes of body: what the sink answers every request head with.
     */
    static byte[] response(int bodyBytes) {
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + bodyBytes + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + bodyBytes);
        Arrays.fill(all, head.length, all.length, (byte) 'r');
        return all;
    }
}
