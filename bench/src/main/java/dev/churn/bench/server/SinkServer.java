package dev.churn.bench.server;

import dev.churn.bench.config.EventLoops;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.posix.Errno;
import dev.churn.bench.posix.ErrnoException;
import dev.churn.bench.posix.SocketCalls;
import dev.churn.monitor.CleanPort;
import dev.churn.monitor.StateSources;
import dev.churn.monitor.Sysctls;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The loopback sink the churn engine connects to, and what {@code churn serve} runs: one or more
 * listeners on one port ({@link SocketConfig#listeners()}, one per processor by default; several are
 * bound with SO_REUSEPORT and the kernel spreads connections among them by their 4-tuple's hash),
 * each with its own serving thread playing the server's part of the close choreography. It serves on raw
 * descriptors (FFM system calls, see {@link Acceptor}): a client's RST costs it an errno, not an
 * exception, so it is not the bottleneck of a linger 0 run. With {@link SinkConfig#tls()} it
 * serves the JDK's TLS instead, a virtual thread per connection (see {@link TlsAcceptor}); with
 * {@link SinkConfig#http()} it answers each request head with a minimal HTTP/1.1 200. Start with
 * {@link #start}, read {@link #port()}, and {@link #close()} it: that releases every socket (the
 * ones NEVER kept included) and joins its threads.
 */
public final class SinkServer implements AutoCloseable {

    /**
     * How long a connection may make no progress (send nothing, or take nothing of a response)
     * before the sink resets it: a client whose host went away, or that closed without a FIN or
     * an RST, would otherwise hold a descriptor of a long-running {@code churn serve} for good.
     */
    public static final int IDLE_SECONDS = 30;
    static final int IDLE_MILLIS = IDLE_SECONDS * 1000;

    /** How long close() waits for a serving thread before interrupting it. */
    private static final long JOIN_MILLIS = 5_000;

    private final SinkConfig config;
    /** The epoll sink's listening descriptors; empty with TLS, whose serving loops own their listeners. */
    private final List<Integer> listeners;
    private final List<ServingLoop> acceptors;
    private final List<Thread> threads = new ArrayList<>();
    private final SinkStats stats;
    private final int port;
    private boolean closed;
    private volatile boolean countQueue;
    private volatile long unaccepted;

    private SinkServer(SinkConfig config, List<Integer> listeners, List<ServingLoop> acceptors, SinkStats stats, int port) {
        this.config = config;
        this.listeners = listeners;
        this.acceptors = acceptors;
        this.stats = stats;
        this.port = port;
    }

    /** Binds the listeners and starts serving; the caller closes the server. */
    public static SinkServer start(SinkConfig config) throws IOException {
        return start(config, IDLE_MILLIS);
    }

    /** As {@link #start(SinkConfig)}, with connections reset after {@code idleMillis} without progress. */
    static SinkServer start(SinkConfig config, int idleMillis) throws IOException {
        try {
            if (config.port() != 0) {
                return bindAndStart(config, idleMillis);
            }
            // A port the kernel picks may still be some old connection's local port (see CleanPort):
            // the monitor would count its TIME_WAIT as ours.
            return CleanPort.bind(() -> bindAndStart(config, idleMillis), SinkServer::port, listenerCount(config.socket()),
                    CleanPort.GiveUp.KEEP_LAST);
        } catch (ErrnoException e) {
            throw explained(e, config);
        }
    }

    /**
     * A bind the host's setup refuses, said with what to look at: "bind: errno 99" alone does not tell
     * a user that IPv6 is off on loopback, or that every port the kernel may pick is reserved.
     */
    static IOException explained(ErrnoException e, SinkConfig config) {
        if (!e.call().equals("bind")) {
            return e;
        }
        InetAddress a = config.bindAddress();
        // ::1 as users write it, not Java's 0:0:0:0:0:0:0:1
        String host = a.getHostAddress().replaceFirst("(^|:)(0+(:|$)){2,8}", "::");
        String where = (a instanceof Inet6Address ? "[" + host + "]" : host) + ":" + config.port();
        if (e.errno() == Errno.EADDRNOTAVAIL) {
            return new IOException("the built-in sink cannot listen on " + where + ": " + e.getMessage()
                    + (a instanceof Inet6Address && a.isLoopbackAddress()
                    ? " (is IPv6 off on loopback? net.ipv6.conf.lo.disable_ipv6 and net.ipv6.conf.all.disable_ipv6 must be 0)"
                    : " (the address is not on this host)"), e);
        }
        if (e.errno() == Errno.EADDRINUSE && config.port() == 0) {
            return new IOException("the built-in sink found no free port to listen on: " + e.getMessage()
                    + " (the kernel picks from net.ipv4.ip_local_port_range, " + sysctl("net.ipv4.ip_local_port_range")
                    + ", less net.ipv4.ip_local_reserved_ports, " + sysctl("net.ipv4.ip_local_reserved_ports")
                    + ", and every one is taken or reserved)", e);
        }
        return e;
    }

    private static String sysctl(String name) {
        String v = Sysctls.readOne(StateSources.DEFAULT_PROC_ROOT, name);
        return v == null || v.isBlank() ? "none" : v.strip().replaceAll("\\s+", " ");
    }

    /** The listeners asked for, or one per processor (0). */
    static int listenerCount(SocketConfig sc) {
        return sc.listeners() > 0 ? sc.listeners() : EventLoops.perProcessor(SocketConfig.MAX_LISTENERS);
    }

    private static SinkServer bindAndStart(SinkConfig config, int idleMillis) throws IOException {
        SocketConfig sc = config.socket();
        int n = listenerCount(sc);
        SocketCalls sys = new SocketCalls();
        int port = config.port();
        if (port != 0 && n > 1 && !sc.reusePort()) {
            refuseTakenPort(sys, config);
        }
        List<Integer> listeners = new ArrayList<>();
        List<ServingLoop> acceptors = new ArrayList<>();
        SinkStats stats = new SinkStats();
        try {
            for (int i = 0; i < n; i++) {
                if (config.tls() != null) {
                    TlsAcceptor a = TlsAcceptor.open(config, port, n > 1 || sc.reusePort(), stats, idleMillis);
                    acceptors.add(a);
                    port = a.port();
                    continue;
                }
                boolean blocking = config.blocking();
                int l = open(sys, config, port, n > 1 || sc.reusePort(), !blocking);
                listeners.add(l);
                port = sys.localPort(l);
                if (blocking) {
                    // Accepted sockets inherit both (see BlockingAcceptor for the write's).
                    sys.setTimeout(l, SocketCalls.SO_RCVTIMEO, idleMillis);
                    sys.setTimeout(l, SocketCalls.SO_SNDTIMEO, BlockingAcceptor.writeSliceMillis(idleMillis));
                    acceptors.add(new BlockingAcceptor(config, l, stats, idleMillis));
                } else {
                    acceptors.add(new SelectorAcceptor(config, l, stats, idleMillis));
                }
            }
        } catch (IOException | RuntimeException e) {
            acceptors.forEach(ServingLoop::abandon);
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

    /**
     * The user did not ask for SO_REUSEPORT, only for several listeners: a port some other socket
     * listens on must still be refused (EADDRINUSE), not silently shared with it. A plain bind
     * fails there; done and undone before the listeners bind, so a stranger could only slip in
     * between if it set SO_REUSEPORT itself.
     */
    private static void refuseTakenPort(SocketCalls sys, SinkConfig config) throws IOException {
        int probe = sys.socket(SocketCalls.family(config.bindAddress()), false);
        try {
            sys.setInt(probe, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEADDR, 1);
            sys.bind(probe, new InetSocketAddress(config.bindAddress(), config.port()));
        } finally {
            sys.closeQuietly(probe);
        }
    }

    private static int open(SocketCalls sys, SinkConfig config, int port, boolean reusePort, boolean nonBlocking) throws IOException {
        SocketConfig sc = config.socket();
        // Non-blocking for the epoll loop, which accepts until EAGAIN.
        int l = sys.socket(SocketCalls.family(config.bindAddress()), nonBlocking);
        try {
            // Always, as the JDK does for every server socket: a restarted sink can take its port
            // back while the last run's TIME_WAIT (closer server) still holds it.
            sys.setInt(l, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEADDR, 1);
            if (reusePort) {
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

    /** How many listeners (each with its serving thread) share the port. */
    public int listeners() {
        return acceptors.size();
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

    /** The first failed accept's error, or null when none failed. */
    public String firstAcceptFailure() {
        return stats.firstAcceptFailure;
    }

    /** Connections that ended in an error on the server side (a client's RST): not failures of the sink. */
    public long resets() {
        return stats.resets.sum();
    }

    /** Sockets kept open by the NEVER choreography right now. */
    public int held() {
        return stats.heldCount();
    }

    /**
     * Whether {@code --closer never} keeps the connections from now on (it does unless told): a run
     * turns it off for its warm-up, whose connections are not the run's, and back on before measuring.
     */
    public void holdNever(boolean hold) {
        stats.holdNever = hold;
    }

    /**
     * Bounds the sockets {@code --closer never} keeps at once (a positive count; {@code Long.MAX_VALUE}, the
     * default: none): past it a connection is served and closed as {@code --closer client} serves it, and
     * counted in {@link #notHeld()}. {@code churn serve} sets it from its descriptor limit.
     */
    public void holdAtMost(long sockets) {
        if (sockets < 0) {
            throw new IllegalArgumentException("a bound of " + sockets + " sockets");
        }
        stats.holdCap = sockets;
    }

    /** The bound {@link #holdAtMost} set, or {@code Long.MAX_VALUE}. */
    public long holdCap() {
        return stats.holdCap;
    }

    /** Connections {@code --closer never} served and closed because the bound was reached. */
    public long notHeld() {
        return stats.notHeld.sum();
    }

    /** TLS handshakes that failed: clients speaking plain TCP, or offering what the server refuses. */
    public long tlsFailures() {
        return stats.tlsFailures.sum();
    }

    /** Connections reset because they made no progress for {@value #IDLE_SECONDS} s. */
    public long idleCloses() {
        return stats.idleCloses.sum();
    }

    /**
     * Makes {@link #close()} count the connections left in the listeners' accept queues, set up by the kernel (their
     * clients' connects returned) and never accepted, which the close resets ({@link #unaccepted()}). It then waits up
     * to 100 ms more for the serving threads, which see the stop in their own wait instead of having their listeners
     * shut. Not counted for a blocking sink, whose accept only a shutdown of its listener wakes. What {@code churn serve}
     * asks for: a serve stopped behind a full queue said "accepted 109 connections" of 200 its clients had connected,
     * and nothing of the 91 others, each reset at the stop (2026-12-07).
     */
    public void countQueueAtClose() {
        countQueue = true;
    }

    /** The connections {@link #close()} found in the accept queues when asked to ({@link #countQueueAtClose}), else 0. */
    public long unaccepted() {
        return unaccepted;
    }

    /** Stops accepting, joins the serving threads and closes every socket it holds. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = false;
        if (countQueue) {
            for (ServingLoop a : acceptors) {
                a.stopAccepting();
            }
            interrupted = joinThreads();
            // No accept is in flight any more: what the queues hold now was never accepted.
            unaccepted = AcceptQueues.queued(port);
        }
        for (ServingLoop a : acceptors) {
            a.shutdown();
        }
        interrupted |= joinThreads();
        SocketCalls sys = new SocketCalls();
        for (int l : listeners) {
            sys.closeQuietly(l);
        }
        stats.releaseHeld();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Joins the serving threads, each bounded (interrupted after a while); true when this thread was interrupted. */
    private boolean joinThreads() {
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
        return interrupted;
    }
}
