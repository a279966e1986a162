package dev.churn.bench.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** One listener's serving thread body; {@link #shutdown} makes {@link #run} return promptly. */
abstract class Acceptor implements Runnable {

    /** After a failed accept (EMFILE), how long to wait before trying again instead of spinning. */
    static final long ACCEPT_BACKOFF_NANOS = 1_000_000;

    final SinkConfig config;
    final ServerSocketChannel listener;
    final SinkStats stats;
    final ByteBuffer response;
    volatile boolean closed;

    Acceptor(SinkConfig config, ServerSocketChannel listener, SinkStats stats) {
        this.config = config;
        this.listener = listener;
        this.stats = stats;
        ByteBuffer r = ByteBuffer.allocateDirect(config.responseBytes());
        while (r.hasRemaining()) {
            r.put((byte) 'r');
        }
        this.response = r.flip().asReadOnlyBuffer();
    }

    /** Counts the accept, tells the observer, and applies per-socket options. */
    void accepted(SocketChannel ch) throws IOException {
        long now = System.nanoTime();
        AcceptObserver o = config.acceptObserver();
        if (o != null) {
            o.accepted(((InetSocketAddress) ch.getRemoteAddress()).getPort(), now);
        }
        // Counted after the observer heard it: whoever sees the count knows the observer is done.
        stats.accepted.increment();
        if (config.socket().noDelay()) {
            ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        }
        if (config.socket().sndBuf() > 0) {
            ch.setOption(java.net.StandardSocketOptions.SO_SNDBUF, config.socket().sndBuf());
        }
    }

    /** Makes run() return: called once by {@link SinkServer#close()} from another thread. */
    abstract void shutdown();
}
