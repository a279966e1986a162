package dev.churn.bench.server;

import dev.churn.bench.posix.ErrnoException;
import dev.churn.bench.posix.SocketCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One listener's serving thread body, on raw descriptors through {@link SocketCalls}: a peer's RST
 * is an errno to count, not a JDK exception to build, and an accept is one accept4(2), so the
 * sink keeps up with clients that abort thousands of connections a second. {@link #shutdown} makes
 * {@link #run} return promptly.
 */
abstract class Acceptor implements ServingLoop {

    /** After a failed accept (EMFILE), how long to wait before trying again instead of spinning. */
    static final long ACCEPT_BACKOFF_NANOS = 1_000_000;
    /** What one read takes at most: requests and anything a client sends before its FIN are discarded. */
    static final int SCRATCH_BYTES = 64 * 1024;

    final SinkConfig config;
    final int listener;
    final SinkStats stats;
    /** The serving thread's own calls (their scratch memory is not shared). */
    final SocketCalls sys = new SocketCalls();
    final MemorySegment scratch;
    /** What every connection is answered: {@code responseBytes} bytes, or with HTTP the 200 head and that body. */
    final MemorySegment response;
    final long responseSize;
    volatile boolean closed;

    Acceptor(SinkConfig config, int listener, SinkStats stats) {
        this.config = config;
        this.listener = listener;
        this.stats = stats;
        Arena arena = Arena.ofAuto();
        this.scratch = arena.allocate(SCRATCH_BYTES);
        byte[] answer = answer(config);
        this.responseSize = answer.length;
        this.response = arena.allocate(Math.max(1, answer.length));
        MemorySegment.copy(MemorySegment.ofArray(answer), 0, response, 0, answer.length);
    }

    /** The bytes a sink answers each request with: {@code responseBytes} of them, or an HTTP 200 with that body. */
    static byte[] answer(SinkConfig config) {
        if (config.http()) {
            return HttpHead.response(config.responseBytes());
        }
        byte[] b = new byte[config.responseBytes()];
        Arrays.fill(b, (byte) 'r');
        return b;
    }

    /** Counts the accept, tells the observer, and applies per-socket options. */
    void accepted(int fd, int remotePort) throws ErrnoException {
        long now = System.nanoTime();
        AcceptObserver o = config.acceptObserver();
        if (o != null) {
            o.accepted(remotePort, now);
        }
        // Counted after the observer heard it: whoever sees the count knows the observer is done.
        stats.accepted.increment();
        if (config.socket().noDelay()) {
            sys.setInt(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_NODELAY, 1);
        }
        if (config.socket().sndBuf() > 0) {
            sys.setInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_SNDBUF, config.socket().sndBuf());
        }
    }

    /** Counts an accept that failed with this errno; the caller backs off. */
    void acceptFailed(int errno) {
        stats.acceptFailed(new ErrnoException("accept", errno));
    }

    @Override
    public void abandon() {}

    @Override
    public void stopAccepting() {
        closed = true; // the epoll loop sees it within its wait
    }

    /** Wakes a thread blocked in accept(2) on the listener: shutdown(2) makes it return EINVAL. */
    void wakeListener() {
        try {
            new SocketCalls().shutdown(listener, SocketCalls.SHUT_RDWR);
        } catch (ErrnoException ignored) {
            // not connected or already shut: the serving thread still sees `closed` within its poll
        }
    }
}
