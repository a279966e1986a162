package dev.churn.bench.server;

import dev.churn.bench.config.Closer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * Accepts and serves each connection on the listener's own thread, blocking, before the next
 * accept: what a C accept loop does, and the fastest way for one client at a time.
 */
final class InlineAcceptor extends Acceptor {

    private final ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);
    private volatile SocketChannel current;

    InlineAcceptor(SinkConfig config, ServerSocketChannel listener, SinkStats stats) {
        super(config, listener, stats);
    }

    @Override
    public void run() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                stats.acceptFailed(e);
                LockSupport.parkNanos(ACCEPT_BACKOFF_NANOS);
                continue;
            }
            current = ch;
            try {
                accepted(ch);
                if (closed) {
                    ch.close();
                    return;
                }
                serve(ch);
            } catch (IOException e) {
                // A client's RST (abortive close) or a shutdown mid-read: not a failure of the sink.
                stats.resets.increment();
                closeQuietly(ch);
            } finally {
                current = null;
            }
        }
    }

    private void serve(SocketChannel ch) throws IOException {
        for (int left = config.requestBytes(); left > 0; ) {
            int n = ch.read(scratch.clear().limit(Math.min(scratch.capacity(), left)));
            if (n < 0) {
                ch.close();
                return;
            }
            left -= n;
        }
        if (response.capacity() > 0) {
            ByteBuffer out = response.duplicate();
            while (out.hasRemaining()) {
                ch.write(out);
            }
        }
        Closer closer = config.closer();
        if (closer == Closer.NEVER) {
            stats.held.add(ch);
            return;
        }
        if (closer != Closer.SERVER) {
            // CLIENT, HALF, ABORT: wait for the client's FIN (or RST), then close: our FIN comes second.
            while (ch.read(scratch.clear()) >= 0) {
                // discard
            }
        }
        ch.close();
    }

    @Override
    void shutdown() {
        closed = true;
        closeQuietly(listener);
        closeQuietly(current);
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing to unblock or after a reset: nothing more to do
            }
        }
    }
}
