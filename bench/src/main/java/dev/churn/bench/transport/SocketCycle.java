package dev.churn.bench.transport;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.http.HttpResponseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * One connection cycle on a blocking {@link Socket}: connect, optional TLS handshake, optional
 * request and response (bytes, or HTTP), the close choreography. Not thread-safe (it owns a read buffer): one per thread or per cycle.
 */
final class SocketCycle {

    private final ClientPlan plan;
    /** Times connect, the handshake and reads when not null; else the JDK does (SO_TIMEOUT, a timed connect). */
    private final SocketWatchdog.Slot watchdog;
    /**
     * Times the request's write when not null: the JDK has no write timeout, and a server that stops
     * reading would hold the cycle (and the run, past its --duration) for good.
     */
    private final SocketWatchdog.Slot writeWatch;
    private final WatchedInput watchedInput;
    private final byte[] request;
    private final HttpResponseReader http;
    private final byte[] buffer;

    /** A cycle whose connect and reads are timed by the JDK and whose writes are untimed (the JMH suite's runner). */
    SocketCycle(ClientPlan plan) {
        this(plan, null, null);
    }

    /** A cycle whose connect, reads and writes are untimed and watched by a {@link SocketWatchdog} slot. */
    SocketCycle(ClientPlan plan, SocketWatchdog.Slot watchdog) {
        this(plan, watchdog, watchdog);
    }

    /**
     * A cycle whose connect and reads are timed by the JDK (virtual threads: it costs nothing extra
     * there) and whose writes are watched by a {@link SocketWatchdog} slot, when not null.
     */
    static SocketCycle jdkTimed(ClientPlan plan, SocketWatchdog.Slot writeWatch) {
        return new SocketCycle(plan, null, writeWatch);
    }

    private SocketCycle(ClientPlan plan, SocketWatchdog.Slot watchdog, SocketWatchdog.Slot writeWatch) {
        this.plan = plan;
        this.watchdog = watchdog;
        this.writeWatch = writeWatch;
        this.watchedInput = watchdog == null ? null : new WatchedInput(watchdog, TimeUnit.MILLISECONDS.toNanos(plan.timeoutMillis()));
        this.request = plan.http() != null ? plan.http().bytes() : Payloads.request(plan.requestBytes());
        this.http = plan.http() == null ? null : new HttpResponseReader();
        this.buffer = new byte[Payloads.readBufferSize(plan)];
    }

    /** Runs the ticket's cycle and reports it to {@code cycles} as completed or failed. */
    void run(Cycles cycles, Ticket t) {
        Socket s;
        try {
            s = plan.newSocket(watchdog == null);
        } catch (IOException e) {
            cycles.failed(t, e);
            return;
        }
        try {
            long c0 = System.nanoTime();
            connect(s, c0);
            long c1 = System.nanoTime();
            // With TLS, the cycle talks through the SSLSocket laid over s; s stays what the watchdog
            // closes and what an abortive close resets.
            Socket io = s;
            long tlsNanos = -1;
            boolean resumed = false;
            if (plan.tls() != null) {
                SSLSocket ssl = plan.tls().layer(s, plan.target());
                io = ssl;
                try {
                    tlsNanos = handshake(s, ssl);
                } finally {
                    // Taken whether or not the handshake completed: the socket of a handshake that
                    // failed after the certificate check (rejected, timed out) would stay noted for good.
                    resumed = !plan.tls().fullHandshake(ssl);
                }
            }
            long w0 = System.nanoTime();
            try {
                if (request.length > 0) {
                    w0 = System.nanoTime();
                    write(s, io, w0);
                }
            } finally {
                // After the request, not before: the sink, woken by the handshake, finds it waiting
                // instead of blocking for it (a wake-up per cycle that a C client does not cause).
                if (cycles.wantsConnected()) {
                    cycles.connected(t, s.getLocalPort(), c0, c1);
                }
            }
            long firstByte = -1;
            if (http != null) {
                firstByte = http.read(input(s, io), buffer, w0);
            } else if (plan.responseBytes() > 0) {
                firstByte = Payloads.readResponse(input(s, io), buffer, plan.responseBytes(), w0);
            }
            long k0 = System.nanoTime();
            closeChoreography(s, io);
            long k1 = System.nanoTime();
            if (tlsNanos >= 0) {
                cycles.completedTls(t, c1 - c0, tlsNanos, resumed, firstByte, k1 - k0, k1);
            } else {
                cycles.completed(t, c1 - c0, firstByte, k1 - k0, k1);
            }
        } catch (IOException e) {
            Payloads.closeQuietly(s);
            cycles.failed(t, e);
        }
    }

    /** Writes the request to {@code io}, watched when there is a slot for writes (the watchdog closes {@code plain}). */
    private void write(Socket plain, Socket io, long startNanos) throws IOException {
        if (writeWatch == null) {
            io.getOutputStream().write(request);
            return;
        }
        writeWatch.begin(plain, startNanos + TimeUnit.MILLISECONDS.toNanos(plan.timeoutMillis()));
        try {
            io.getOutputStream().write(request);
        } catch (IOException e) {
            if (!writeWatch.end()) {
                throw timedOut("Write", e);
            }
            throw e;
        }
        if (!writeWatch.end()) {
            throw timedOut("Write", null);
        }
    }

    /** The TLS handshake on {@code ssl}, watched like a read when there is a watchdog; returns its nanoseconds. */
    private long handshake(Socket plain, SSLSocket ssl) throws IOException {
        long h0 = System.nanoTime();
        if (watchdog == null) {
            ssl.startHandshake();
            return System.nanoTime() - h0;
        }
        watchdog.begin(plain, h0 + TimeUnit.MILLISECONDS.toNanos(plan.timeoutMillis()));
        try {
            ssl.startHandshake();
        } catch (IOException e) {
            if (!watchdog.end()) {
                throw timedOut("TLS handshake", e);
            }
            throw e;
        }
        long h1 = System.nanoTime();
        if (!watchdog.end()) {
            throw timedOut("TLS handshake", null);
        }
        return h1 - h0;
    }

    /**
     * What the cycle reads from: {@code io}'s own stream (SO_TIMEOUT), or it with each read watched
     * (the watchdog closes {@code plain}, under TLS too).
     */
    private InputStream input(Socket plain, Socket io) throws IOException {
        return watchedInput == null ? io.getInputStream() : watchedInput.of(plain, io);
    }

    private void connect(Socket s, long startNanos) throws IOException {
        if (watchdog == null) {
            s.connect(plan.target(), plan.timeoutMillis());
            return;
        }
        watchdog.begin(s, startNanos + plan.connectTimeout().toNanos());
        try {
            s.connect(plan.target());
        } catch (IOException e) {
            if (!watchdog.end()) {
                throw timedOut("Connect", e);
            }
            throw e;
        }
        if (!watchdog.end()) {
            throw timedOut("Connect", null);
        }
    }

    private SocketTimeoutException timedOut(String what, IOException cause) {
        SocketTimeoutException t = new SocketTimeoutException(what + " timed out after " + plan.timeoutMillis() + " ms");
        t.initCause(cause);
        return t;
    }

    /**
     * The close choreography; under TLS, close_notify is sent when the client closes first (client,
     * half, never) and skipped when it resets (abort: SO_LINGER 0) or when the server closed first
     * (server): a close_notify written after the server's close would reach a socket the server has
     * already closed, which answers data with RST and so loses the server's TIME_WAIT. Under TLS the
     * TCP socket is closed directly: SSLSocket.close() sends user_canceled before close_notify under
     * TLS 1.3 (its "duplex close"), and a JDK peer answers that pair with a close_notify of its own,
     * which reaches the closed client and is reset (no TIME_WAIT on either side);
     * SSLSocket.shutdownOutput() sends close_notify alone, then our FIN.
     */
    private static final String TLS_1_2 = "TLSv1.2";

    private void closeChoreography(Socket plain, Socket io) throws IOException {
        Closer c = plan.closer();
        boolean tls = io != plain;
        if (tls) {
            plan.tls().forget(((SSLSocket) io).getSession());
        }
        if (c == Closer.HALF) {
            io.shutdownOutput();
        }
        if (plan.readsEofBeforeClose() && tls && c == Closer.SERVER
                && TLS_1_2.equals(((SSLSocket) io).getSession().getProtocol())) {
            // Under TLS 1.2 the JDK's client answers the server's close_notify with its own, and closes, as it reads it
            // (SSLSocketImpl's duplex close): that answer reached a server that had closed, and was reset. nginx reset
            // every connection so, and its TIME_WAIT was gone (200 of 200, QA 2026-12-06); against the built-in sink it
            // raced the sink's FIN (22-86 of 1,000 TIME_WAIT on the client). So the rest of the stream, the server's
            // close_notify record and its FIN, is read beneath TLS, where nothing answers it. The response is whole
            // here, and TLS 1.2 has no record after the handshake but the alert.
            Payloads.drainToEof(input(plain, plain), buffer);
        } else if (plan.readsEofBeforeClose()) {
            Payloads.drainToEof(input(plain, io), buffer);
            if (tls && c == Closer.SERVER && plan.tls().ownSink()) {
                // The TLS stream ends at the built-in sink's close_notify; its FIN follows a system call later.
                // Closing on the close_notify let this client's FIN leave first, and the TIME_WAIT land here instead of
                // on the server: 1.6-1.9% of TLS 1.3 connections, 15-18% with resumption (2026-12-05). So on to the
                // FIN. Only against the sink: a server of its own may wait for our close_notify (ChannelCycle).
                // TLS 1.2's JDK client closes the socket itself on the close_notify: nothing is left to read there.
                try {
                    Payloads.drainToEof(input(plain, plain), buffer);
                } catch (SocketException e) {
                    // closed already (TLS 1.2): the JDK did it as it read the close_notify
                }
            }
        }
        if (tls) {
            // SO_LINGER 0 (--linger 0, and every warm-up) resets with no close_notify: its FIN would
            // let the server's FIN in before close(2), and that FIN puts the socket in TIME_WAIT
            // whatever SO_LINGER says (warm-ups left a TIME_WAIT each this way).
            if ((c == Closer.CLIENT || c == Closer.NEVER) && !plan.linger().equals(Linger.ABORT)) {
                io.shutdownOutput();
            }
            plain.close();
            return;
        }
        // CLIENT, NEVER: a plain close sends our FIN; ABORT: SO_LINGER 0 was set, so close sends RST.
        io.close();
    }

    /**
     * A socket's input whose every read the watchdog times, as SO_TIMEOUT would: a read still
     * blocked at its deadline has its socket closed under it and fails as a timeout. One per
     * cycle object, pointed at each cycle's socket in turn.
     */
    private final class WatchedInput extends InputStream {
        private final SocketWatchdog.Slot slot;
        private final long timeoutNanos;
        private final byte[] one = new byte[1];
        private Socket socket;
        private Socket source;
        private InputStream in;

        WatchedInput(SocketWatchdog.Slot slot, long timeoutNanos) {
            this.slot = slot;
            this.timeoutNanos = timeoutNanos;
        }

        /** This stream, now reading from {@code io} and closing {@code plain} at a read's deadline. */
        InputStream of(Socket plain, Socket io) throws IOException {
            if (source != io) {
                in = io.getInputStream();
                source = io;
                socket = plain;
            }
            return this;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            slot.begin(socket, System.nanoTime() + timeoutNanos);
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                if (!slot.end()) {
                    throw timedOut("Read", e);
                }
                throw e;
            }
            if (!slot.end()) {
                throw timedOut("Read", null);
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }
}
