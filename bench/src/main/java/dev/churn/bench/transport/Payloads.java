package dev.churn.bench.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Request bytes, read buffer sizes and quiet closing, shared by the transports. */
final class Payloads {

    private Payloads() {}

    /** A request of n bytes ('q' each: the content does not matter, only its size). */
    static byte[] request(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'q');
        return b;
    }

    /**
     * These bytes in a read-only direct buffer, for a channel to write. A channel writes a heap
     * buffer through a temporary direct copy every time (a per-thread cache, a put and a copy per
     * write); the java.nio floor (bench/floor/NioCrr.java) writes from a direct one.
     */
    static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }

    /**
     * The read buffer for an HTTP response, whose size is not known in advance: a head and a small
     * body in one read. With 512 bytes, nginx's 845-byte answer to churn's GET took two reads, one
     * system call more per connection than a plain java.net.Socket client (strace, 2026-12-03).
     */
    static final int HTTP_READ = 8 * 1024;

    /** A read buffer big enough for small responses in one read, capped at 64 KiB. */
    static int readBufferSize(int responseBytes) {
        return Math.clamp(responseBytes, 512, 64 * 1024);
    }

    /** The read buffer for the plan's responses: {@link #HTTP_READ} at least with HTTP. */
    static int readBufferSize(ClientPlan plan) {
        int bytes = readBufferSize(plan.responseBytes());
        return plan.http() != null ? Math.max(HTTP_READ, bytes) : bytes;
    }

    /** Closes, ignoring errors: used on paths that already report a failure. */
    static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // the cycle already failed; a second error on close adds nothing
        }
    }

    /** Reads a whole response of n bytes; returns nanoseconds from {@code sentNanos} to its first byte. */
    static long readResponse(InputStream in, byte[] buffer, int n, long sentNanos) throws IOException {
        int left = n;
        long firstByte = -1;
        while (left > 0) {
            int r;
            try {
                r = in.read(buffer, 0, Math.min(left, buffer.length));
            } catch (SocketTimeoutException e) {
                throw cameShort(e, n - left, n);
            }
            if (r < 0) {
                throw new IOException("connection closed after " + (n - left) + " of " + n + " response bytes");
            }
            if (firstByte < 0) {
                firstByte = System.nanoTime() - sentNanos;
            }
            left -= r;
        }
        return firstByte;
    }

    /**
     * A read of the response that timed out, saying how many of its bytes came: a server answering fewer than
     * --response (a 'churn serve' without the same --response) is then told from one that answers nothing.
     */
    static SocketTimeoutException cameShort(SocketTimeoutException e, long got, long n) {
        SocketTimeoutException t = new SocketTimeoutException(e.getMessage() + ": " + cameOf(got, n));
        t.initCause(e);
        return t;
    }

    /** How much of a response had come when its read timed out, in the words every transport uses. */
    static String cameOf(long got, long n) {
        return got + " of " + n + " response bytes came";
    }

    /** Reads and discards until the peer's FIN, at most {@link ClientPlan#MAX_DRAIN_BYTES}. */
    static void drainToEof(InputStream in, byte[] buffer) throws IOException {
        long total = 0;
        int r;
        try {
            while ((r = in.read(buffer)) >= 0) {
                total += r;
                if (total > ClientPlan.MAX_DRAIN_BYTES) {
                    throw new IOException("peer sent more than " + ClientPlan.MAX_DRAIN_BYTES + " bytes instead of closing");
                }
            }
        } catch (SocketTimeoutException e) {
            throw awaitingFin(e);
        }
    }

    /**
     * A wait for the server's FIN that timed out, saying so as the selector and epoll transports do: a
     * --closer server run against a server that waits for the client to close first ends every cycle here.
     */
    static SocketTimeoutException awaitingFin(SocketTimeoutException e) {
        SocketTimeoutException t = new SocketTimeoutException(e.getMessage() + ": waiting for the server's FIN");
        t.initCause(e);
        return t;
    }
}
