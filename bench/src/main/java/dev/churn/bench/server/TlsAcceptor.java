package dev.churn.bench.server;

import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.posix.VirtualThreadPoller;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

/**
 * One listener of a TLS sink: a java.net server socket accepting on the serving thread, and a
 * virtual thread per connection that lays the JDK's TLS over it ({@code ServerTls.layer}), shakes
 * hands, reads the request (its bytes, or with HTTP its head), answers, and plays the server's part
 * of the close. The JDK's TLS needs a java.net socket, so this path does not use the raw
 * descriptors of {@link Acceptor}; its cost is the handshake's, not the socket's.
 *
 * <p>close_notify follows the TCP close: whoever sends the first FIN sends a close_notify just
 * before it, and the side that closes second never writes after the other's FIN when the other has
 * closed its socket (a write there draws an RST that erases the first closer's TIME_WAIT). So:
 * SERVER sends close_notify and FIN, then waits for the client's FIN (its close_notify reply is
 * read, not answered); CLIENT and ABORT read to the client's FIN or RST, then close with a FIN alone;
 * HALF answers the client's close_notify with its own before the FIN, as the client still reads;
 * NEVER sends nothing. Every read is bounded by the idle time: a silent client cannot pin a thread
 * (it is reset, and counted). So is every write, which has no SO_TIMEOUT: a sweep resets a connection
 * whose write has waited past the bound, a client that takes nothing of the response.
 */
final class TlsAcceptor implements ServingLoop {

    /** How long the serving thread waits for its connections' threads once everything is closed. */
    private static final long JOIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Longest time between two looks for stalled writes, as the epoll sink looks for idle connections. */
    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A response is written in pieces of this size (a TLS record's most), each one watched: progress is a piece taken. */
    private static final int WRITE_PIECE = 16 * 1024;
    /** Longest accept, so that a stop is seen without closing the listener (see {@link #stopAccepting}), as the epoll loop waits. */
    private static final int ACCEPT_WAIT_MILLIS = 100;

    private final SinkConfig config;
    private final ServerSocket listener;
    private final SinkStats stats;
    private final int idleMillis;
    private final byte[] answer;
    /** Connections being served, so that shutdown can close them (their threads wake from any read). */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> serving = ConcurrentHashMap.newKeySet();
    /**
     * Connections in a write, with System.nanoTime() at its start: a java.net write has no timeout, so a client that
     * takes nothing of the response held its thread and descriptor for as long as it stayed (the sweep below).
     */
    private final Map<Socket, Long> writing = new ConcurrentHashMap<>();
    /** Connections the sweep reset: their failed write is an idle close, not the client's reset. */
    private final Set<Socket> stalled = ConcurrentHashMap.newKeySet();
    private volatile Thread sweeper;
    private volatile boolean closed;

    private TlsAcceptor(SinkConfig config, ServerSocket listener, SinkStats stats, int idleMillis) {
        this.config = config;
        this.listener = listener;
        this.stats = stats;
        this.idleMillis = idleMillis;
        this.answer = Acceptor.answer(config);
    }

    /**
     * Binds a listener with the sink's options (SO_REUSEADDR always, SO_REUSEPORT when asked,
     * SO_RCVBUF before listen so accepted sockets inherit it, the backlog).
     */
    static TlsAcceptor open(SinkConfig config, int port, boolean reusePort, SinkStats stats, int idleMillis)
            throws IOException {
        SocketConfig sc = config.socket();
        VirtualThreadPoller.start(); // each connection is served on a virtual thread: before a burst can starve it
        ServerSocket ss = new ServerSocket();
        try {
            ss.setReuseAddress(true);
            if (reusePort) {
                ss.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            if (sc.rcvBuf() > 0) {
                ss.setReceiveBufferSize(sc.rcvBuf());
            }
            ss.bind(new InetSocketAddress(config.bindAddress(), port), sc.backlog());
            ss.setSoTimeout(ACCEPT_WAIT_MILLIS);
            return new TlsAcceptor(config, ss, stats, idleMillis);
        } catch (IOException | RuntimeException e) {
            ss.close();
            throw e;
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    @Override
    public void run() {
        sweeper = Thread.ofVirtual().name("churn-sink-tls-sweep-" + listener.getLocalPort()).start(this::sweep);
        try {
            while (!closed) {
                Socket s;
                try {
                    s = listener.accept();
                } catch (SocketTimeoutException e) {
                    continue; // nothing queued: look at `closed` again
                } catch (IOException e) {
                    if (closed) {
                        break;
                    }
                    // EMFILE and the like: counted, and tried again a little later instead of spinning
                    stats.acceptFailed(e);
                    LockSupport.parkNanos(Acceptor.ACCEPT_BACKOFF_NANOS);
                    continue;
                }
                accepted(s);
            }
        } finally {
            closeAll();
            LockSupport.unpark(sweeper);
            joinServing();
        }
    }

    /** Resets, about once a second, each connection whose write has waited past the idle bound. */
    private void sweep() {
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        long every = Math.min(SWEEP_NANOS, Math.max(1_000_000L, idleNanos / 4));
        while (!closed) {
            LockSupport.parkNanos(every);
            long now = System.nanoTime();
            for (Map.Entry<Socket, Long> e : writing.entrySet()) {
                Socket s = e.getKey();
                // remove(key, value): a write that ended, or a later one, is not taken for this one
                if (!closed && now - e.getValue() > idleNanos && writing.remove(s, e.getValue())) {
                    stalled.add(s);
                    stats.idleCloses.increment();
                    resetOnClose(s);
                    drop(s); // the blocked write throws; its thread sees `stalled`
                }
            }
        }
    }

    /** Writes all of {@code b} in watched pieces (see {@link #sweep}). */
    private void write(Socket raw, OutputStream out, byte[] b) throws IOException {
        for (int off = 0; off < b.length; off += WRITE_PIECE) {
            writing.put(raw, System.nanoTime());
            out.write(b, off, Math.min(WRITE_PIECE, b.length - off));
        }
        out.flush();
        writing.remove(raw);
    }

    /** The TLS shutdownOutput (close_notify, then FIN), watched as a write is. */
    private void shutdownOutput(Socket raw, SSLSocket tls) throws IOException {
        writing.put(raw, System.nanoTime());
        tls.shutdownOutput();
        writing.remove(raw);
    }

    private void accepted(Socket s) {
        // Right at the TCP accept, before the handshake: the engine pairs it with the connect by port.
        long now = System.nanoTime();
        AcceptObserver o = config.acceptObserver();
        if (o != null) {
            o.accepted(s.getPort(), now);
        }
        stats.accepted.increment();
        open.add(s);
        if (closed) {
            // shutdown swept `open` before this socket was in it
            drop(s);
            return;
        }
        Thread t = Thread.ofVirtual().name("churn-sink-tls-" + listener.getLocalPort()).unstarted(() -> serve(s));
        serving.add(t);
        t.start();
    }

    private void serve(Socket raw) {
        try {
            if (serveOne(raw)) {
                // NEVER: handed to the held sockets, closed by SinkServer.close()
                open.remove(raw);
            } else {
                drop(raw);
            }
        } catch (RuntimeException | Error e) {
            // Whatever the JDK threw serving it (out of descriptors in its own machinery): counted, and the connection
            // closed, not left open by a dead thread with a stack trace on the terminal.
            stats.acceptFailed(new IOException("could not serve an accepted connection: " + e, e));
            drop(raw);
        } finally {
            writing.remove(raw);
            stalled.remove(raw);
            serving.remove(Thread.currentThread());
        }
    }

    /** Serves one connection; true when the socket is held open (NEVER), false when it is to be closed. */
    private boolean serveOne(Socket raw) {
        try {
            SocketConfig sc = config.socket();
            raw.setSoTimeout(idleMillis);
            // Always under TLS (see ClientPlan.noDelay): the JDK writes the server's flight in several
            // segments, and Nagle against the client's delayed ACK would hold each handshake ~40 ms.
            raw.setTcpNoDelay(true);
            if (sc.sndBuf() > 0) {
                raw.setSendBufferSize(sc.sndBuf());
            }
            SSLSocket tls = config.tls().layer(raw);
            try {
                tls.startHandshake();
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (SSLException e) {
                // plain TCP, an unknown version or group, a client that hung up mid-handshake. One the server refused
                // (SSLHandshakeException: it sent its alert) is counted even when a stop came meanwhile: the client had
                // its alert, and a stop just after it left the failure out of serve's last line (a full build, 2026-12-06).
                if (!closed || e instanceof SSLHandshakeException) {
                    stats.tlsFailures.increment();
                }
                return false;
            }
            if (!readRequest(tls.getInputStream())) {
                return false;
            }
            if (answer.length > 0) {
                write(raw, tls.getOutputStream(), answer);
            }
            switch (config.closer()) {
                case SERVER -> {
                    shutdownOutput(raw, tls); // close_notify, then FIN
                    drainToFin(raw);
                }
                case HALF -> {
                    drainToFin(raw);
                    shutdownOutput(raw, tls);
                }
                case NEVER -> {
                    if (!stats.mayKeep()) {
                        drainToFin(raw); // a warm-up's, or past the bound: served as CLIENT serves it
                        return false;
                    }
                    stats.keep(raw);
                    return true;
                }
                default -> drainToFin(raw);
            }
        } catch (SocketTimeoutException e) {
            if (!closed) {
                stats.idleCloses.increment();
                resetOnClose(raw);
            }
        } catch (IOException e) {
            // the client's RST (ECONNRESET, EPIPE): counted as the epoll sink counts it; or our own close, or the sweep's
            if (!closed && !stalled.contains(raw)) {
                stats.resets.increment();
            }
        }
        return false;
    }

    /**
     * Reads the request: {@code requestBytes}, or with HTTP up to the head's blank line. False when
     * the client closed first (its FIN: closed as the epoll sink does) or sent an over-long head (a reset).
     */
    private boolean readRequest(InputStream in) throws IOException {
        return config.http() ? readHead(in) : readBytes(in, config.requestBytes());
    }

    private boolean readHead(InputStream in) throws IOException {
        HttpHead head = new HttpHead();
        byte[] buf = new byte[4096];
        while (true) {
            int n = in.read(buf);
            if (n < 0) {
                return false;
            }
            switch (head.scan(buf, 0, n)) {
                case COMPLETE -> {
                    return true;
                }
                case TOO_LONG -> {
                    stats.resets.increment();
                    return false;
                }
                case MORE -> {
                    // the blank line is still to come
                }
            }
        }
    }

    private static boolean readBytes(InputStream in, long size) throws IOException {
        byte[] buf = new byte[(int) Math.min(Acceptor.SCRATCH_BYTES, Math.max(1, size))];
        for (long left = size; left > 0; ) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                return false;
            }
            left -= n;
        }
        return true;
    }

    /**
     * Reads past TLS, on the TCP socket, until the client's FIN: what comes (its close_notify, or
     * anything after the request) is discarded undecrypted. Read through the SSLSocket, a TLS 1.2
     * close_notify would make the JDK answer with its own at once, into a socket the client has
     * already closed.
     */
    private static void drainToFin(Socket raw) throws IOException {
        InputStream in = raw.getInputStream();
        byte[] buf = new byte[512];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    /**
     * SO_LINGER 0, so the close that follows sends an RST: a peer silent for the idle bound is
     * likely gone, and a FIN to it would sit in FIN_WAIT1, retransmitted, for minutes.
     */
    private static void resetOnClose(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already reset by the peer: the close frees it either way
        }
    }

    private void drop(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // reset by the peer meanwhile: closed either way
        }
    }

    private void closeAll() {
        for (Socket s : open) {
            drop(s);
        }
    }

    /** Waits, bounded, for the connections' threads: their sockets are closed, so each returns at once. */
    private void joinServing() {
        long end = System.nanoTime() + JOIN_NANOS;
        for (Thread t : serving) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void shutdown() {
        closed = true;
        abandon();
        closeAll();
    }

    @Override
    public void stopAccepting() {
        closed = true; // seen within an accept's wait; the listener, and what its queue holds, stay until shutdown
    }

    @Override
    public void abandon() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
