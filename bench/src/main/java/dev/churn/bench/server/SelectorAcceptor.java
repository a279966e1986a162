package dev.churn.bench.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * One Selector loop per listener serving every connection non-blocking: read the request, write
 * the response, then close, keep (NEVER) or wait for the client's FIN (CLIENT, HALF, ABORT).
 * Connections never wait for each other.
 */
final class SelectorAcceptor extends Acceptor {

    /** Accepts per readiness event: drains the queue in bursts without starving open connections. */
    private static final int ACCEPT_BURST = 64;
    /** Longest select, so shutdown is seen even if a wakeup were lost. */
    private static final long SELECT_MILLIS = 100;

    private enum Step { REQUEST, RESPONSE, DRAIN }

    private static final class Conn {
        final SocketChannel ch;
        SelectionKey key;
        Step step = Step.REQUEST;
        int requestLeft;
        ByteBuffer out;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }
    }

    private final Selector selector;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);

    SelectorAcceptor(SinkConfig config, ServerSocketChannel listener, SinkStats stats) throws IOException {
        super(config, listener, stats);
        this.selector = Selector.open();
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                selector.select(this::ready, SELECT_MILLIS);
            }
        } catch (IOException e) {
            if (!closed) {
                throw new IllegalStateException("sink selector failed: " + e.getMessage(), e);
            }
        } finally {
            closeAll();
        }
    }

    private void ready(SelectionKey k) {
        if (!k.isValid()) {
            return;
        }
        if (k.channel() == listener) {
            acceptBurst();
            return;
        }
        Conn c = (Conn) k.attachment();
        try {
            advance(c);
        } catch (IOException e) {
            stats.resets.increment();
            close(c);
        }
    }

    private void acceptBurst() {
        for (int i = 0; i < ACCEPT_BURST; i++) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    stats.acceptFailed(e);
                    LockSupport.parkNanos(ACCEPT_BACKOFF_NANOS);
                }
                return;
            }
            if (ch == null) {
                return;
            }
            Conn c = new Conn(ch);
            try {
                ch.configureBlocking(false);
                accepted(ch);
                c.requestLeft = config.requestBytes();
                advance(c);
            } catch (IOException e) {
                stats.resets.increment();
                close(c);
            }
        }
    }

    /** Moves the connection on as far as it can go without blocking. */
    private void advance(Conn c) throws IOException {
        if (c.step == Step.REQUEST) {
            while (c.requestLeft > 0) {
                int n = c.ch.read(scratch.clear().limit(Math.min(scratch.capacity(), c.requestLeft)));
                if (n < 0) {
                    close(c);
                    return;
                }
                if (n == 0) {
                    interest(c, SelectionKey.OP_READ);
                    return;
                }
                c.requestLeft -= n;
            }
            c.step = Step.RESPONSE;
            c.out = response.duplicate();
        }
        if (c.step == Step.RESPONSE) {
            c.ch.write(c.out);
            if (c.out.hasRemaining()) {
                interest(c, SelectionKey.OP_WRITE);
                return;
            }
            switch (config.closer()) {
                case SERVER -> {
                    close(c);
                    return;
                }
                case NEVER -> {
                    // Keep the socket and stop listening to it: its EOF would otherwise wake us forever.
                    if (c.key != null) {
                        c.key.cancel();
                    }
                    stats.held.add(c.ch);
                    return;
                }
                default -> c.step = Step.DRAIN;
            }
        }
        int n;
        while ((n = c.ch.read(scratch.clear())) > 0) {
            // discard what the client sends before its FIN
        }
        if (n < 0) {
            close(c);
        } else {
            interest(c, SelectionKey.OP_READ);
        }
    }

    private void interest(Conn c, int ops) throws IOException {
        if (c.key == null) {
            c.key = c.ch.register(selector, ops, c);
        } else if (c.key.interestOps() != ops) {
            c.key.interestOps(ops);
        }
    }

    private void close(Conn c) {
        try {
            c.ch.close();
        } catch (IOException ignored) {
            // closed either way
        }
    }

    private void closeAll() {
        for (SelectionKey k : selector.keys()) {
            try {
                k.channel().close();
            } catch (IOException ignored) {
                // closing everything at shutdown
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    @Override
    void shutdown() {
        closed = true;
        selector.wakeup();
    }
}
