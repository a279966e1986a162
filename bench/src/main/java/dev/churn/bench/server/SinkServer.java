package dev.churn.bench.server;

import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.posix.SocketCalls;
import dev.churn.monitor.CleanPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The loopback sink the churn engine connects to, and what {@code churn serve} runs: one or more
 * listeners on one port (several need SO_REUSEPORT; the kernel spreads connections), each with its
 * own serving thread playing the server's part of the close choreography. It serves on raw
 * descriptors (FFM system calls, see {@link Acceptor}): a client's RST costs it an errno, not an
 * exception, so it is not the bottleneck of a linger 0 run. Start with
 * {@link #start}, read {@link #port()}, and {@link #close()} it: that releases every socket (the
 * ones NEVER kept included) and joins its threads.
 */
public final class SinkServer implements AutoCloseable {

    /** How long close() waits for a serving thread before interrupting it. */
    private static final long JOIN_MILLIS = 5_000;

    private final SinkConfig config;
    private final List<Integer> listeners;
    private final List<Acceptor> acceptors;
    private final List<Thread> threads = new ArrayList<>();
    private final SinkStats stats;
    private final int port;
    private boolean closed;

    private SinkServer(SinkConfig config, List<Integer> listeners, List<Acceptor> acceptors, SinkStats stats, int port) {
        this.config = config;
        this.listeners = listeners;
        this.acceptors = acceptors;
        this.stats = stats;
        this.port = port;
    }

    /** Binds the listeners and starts serving; the caller closes the server. */
    public static SinkServer start(SinkConfig config) throws IOException {
        if (config.port() != 0) {
            return bindAndStart(config);
        }
        // A port the kernel picks may still be some old connection's local port (see CleanPort):
        // the monitor would count its TIME_WAIT as ours.
        return CleanPort.bind(() -> bindAndStart(config), SinkServer::port, config.socket().listeners());
    }

    private static SinkServer bindAndStart(SinkConfig config) throws IOException {
        SocketConfig sc = config.socket();
        List<Integer> listeners = new ArrayList<>();
        List<Acceptor> acceptors = new ArrayList<>();
        SinkStats stats = new SinkStats();
        SocketCalls sys = new SocketCalls();
        int port = config.port();
        try {
            for (int i = 0; i < sc.listeners(); i++) {
                int l = open(sys, config, port);
                listeners.add(l);
                port = sys.localPort(l);
                acceptors.add(switch (config.serving()) {
                    case INLINE -> new InlineAcceptor(config, l, stats);
                    case SELECTOR -> new SelectorAcceptor(config, l, stats);
                });
            }
        } catch (IOException | RuntimeException e) {
            acceptors.forEach(Acceptor::abandon);
            for (int l : listeners) {
                sys.closeQuietly(l);
            }
            throw e;
        }
        SinkServer s = new SinkServer(config, listeners, acceptors, stats, port);
        for (int i = 0; i < acceptors.size(); i++) {
            s.threads.add(Thread.ofPlatform().name("churn-sink-" + port + "-" + i).daemon().start(acceptors.get(i)));
        }
        return s;
    }

    private static int open(SocketCalls sys, SinkConfig config, int port) throws IOException {
        SocketConfig sc = config.socket();
        // Non-blocking for the epoll loop, which accepts until EAGAIN.
        int l = sys.socket(SocketCalls.family(config.bindAddress()), config.serving() == SinkConfig.Serving.SELECTOR);
        try {
            // Always, as the JDK does for every server socket: a restarted sink can take its port
            // back while the last run's TIME_WAIT (closer server) still holds it.
            sys.setInt(l, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEADDR, 1);
            if (sc.reusePort()) {
                sys.setInt(l, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEPORT, 1);
            }
            if (sc.rcvBuf() > 0) {
                // Set on the listener so accepted sockets inherit it before the handshake sizes the window.
                sys.setInt(l, SocketCalls.SOL_SOCKET, SocketCalls.SO_RCVBUF, sc.rcvBuf());
            }
            sys.bind(l, new InetSocketAddress(config.bindAddress(), port));
            sys.listen(l, sc.backlog());
            return l;
        } catch (IOException | RuntimeException e) {
            sys.closeQuietly(l);
            throw e;
        }
    }

    /** The port every listener shares. */
    public int port() {
        return port;
    }

    /** The sink's ports, for monitor filters: one, whatever the number of listeners. */
    public int[] ports() {
        return new int[] {port};
    }

    /** Where clients connect. */
    public InetSocketAddress address() {
        return new InetSocketAddress(config.bindAddress(), port);
    }

    /** The configuration it runs with. */
    public SinkConfig config() {
        return config;
    }

    /** Connections accepted so far. */
    public long accepted() {
        return stats.accepted.sum();
    }

    /** Accepts that failed (EMFILE: out of descriptors); the sink keeps going after each. */
    public long acceptFailures() {
        return stats.acceptFailures.sum();
    }

    /** Connections that ended in an error on the server side (a client's RST): not failures of the sink. */
    public long resets() {
        return stats.resets.sum();
    }

    /** Sockets kept open by the NEVER choreography right now. */
    public int held() {
        return stats.held.size();
    }

    /** Stops accepting, joins the serving threads and closes every socket it holds. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Acceptor a : acceptors) {
            a.shutdown();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            try {
                t.join(JOIN_MILLIS);
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(JOIN_MILLIS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        SocketCalls sys = new SocketCalls();
        for (int l : listeners) {
            sys.closeQuietly(l);
        }
        stats.releaseHeld();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
