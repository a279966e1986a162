package dev.churn.bench.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * Reads one HTTP/1.1 response from a stream that carries only it, through an
 * {@link HttpResponseParser}; when its first byte arrives is the FIRST_BYTE phase. Not
 * thread-safe: one per cycle object.
 */
public final class HttpResponseReader {

    private final HttpResponseParser parser = new HttpResponseParser();

    /**
     * Reads the response; returns nanoseconds from {@code sentNanos} to its first byte. Throws
     * HttpStatusException for a status outside 200-299 (after reading the response whole), and
     * IOException for what is not an HTTP/1.x response.
     */
    public long read(InputStream in, byte[] buffer, long sentNanos) throws IOException {
        parser.begin();
        long firstByte = -1;
        while (true) {
            // Never more than the response still holds: a server that keeps the connection open
            // after a Content-Length body must not leave the read waiting.
            int r;
            try {
                r = in.read(buffer, 0, (int) Math.min(buffer.length, parser.wants()));
            } catch (SocketTimeoutException e) {
                // "no byte came" is a server that does not speak HTTP (a 'churn serve' without --http waits for
                // the client's close); "had not ended" one that stopped part way.
                SocketTimeoutException t = new SocketTimeoutException(e.getMessage() + ": "
                        + (firstByte < 0 ? "no byte of the HTTP response came" : "the HTTP response had not ended"));
                t.initCause(e);
                throw t;
            }
            if (r < 0) {
                parser.end();
                return firstByte;
            }
            if (firstByte < 0) {
                firstByte = System.nanoTime() - sentNanos;
            }
            if (parser.feed(buffer, 0, r)) {
                return firstByte;
            }
        }
    }
}
