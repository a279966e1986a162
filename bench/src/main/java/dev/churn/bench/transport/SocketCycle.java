package dev.churn.bench.transport;

import dev.churn.bench.config.Closer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * One connection cycle on a blocking {@link Socket}: connect, optional request and response, the
 * close choreography. Not thread-safe (it owns a read buffer): one per thread or per cycle.
 */
final class SocketCycle {

    private final ClientPlan plan;
    private final SocketWatchdog.Slot watchdog;
    private final WatchedInput watchedInput;
    private final byte[] request;
    private final byte[] buffer;

    /** A cycle whose connect and reads are timed by the JDK (virtual threads: it costs nothing extra there). */
    SocketCycle(ClientPlan plan) {
        this(plan, null);
    }

    /** A cycle whose connect and reads are untimed and watched by a {@link SocketWatchdog} slot, when not null. */
    SocketCycle(ClientPlan plan, SocketWatchdog.Slot watchdog) {
        this.plan = plan;
        this.watchdog = watchdog;
        this.watchedInput = watchdog == null ? null : new WatchedInput(watchdog, TimeUnit.MILLISECONDS.toNanos(plan.timeoutMillis()));
        this.request = Payloads.request(plan.requestBytes());
        this.buffer = new byte[Payloads.readBufferSize(plan.responseBytes())];
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
            long w0 = c1;
            try {
                if (request.length > 0) {
                    w0 = System.nanoTime();
                    s.getOutputStream().write(request);
                }
            } finally {
                // After the request, not before: the sink, woken by the handshake, finds it waiting
                // instead of blocking for it (a wake-up per cycle that a C client does not cause).
                if (cycles.wantsConnected()) {
                    cycles.connected(t, s.getLocalPort(), c0, c1);
                }
            }
            long firstByte = -1;
            if (plan.responseBytes() > 0) {
                firstByte = Payloads.readResponse(input(s), buffer, plan.responseBytes(), w0);
            }
            long k0 = System.nanoTime();
            closeChoreography(s);
            long k1 = System.nanoTime();
            cycles.completed(t, c1 - c0, firstByte, k1 - k0, k1);
        } catch (IOException e) {
            Payloads.closeQuietly(s);
            cycles.failed(t, e);
        }
    }

    /** What the cycle reads from: the socket's own stream (SO_TIMEOUT), or it with each read watched. */
    private InputStream input(Socket s) throws IOException {
        return watchedInput == null ? s.getInputStream() : watchedInput.of(s);
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
            if (!watchdog.end(s)) {
                throw timedOut("Connect", e);
            }
            throw e;
        }
        if (!watchdog.end(s)) {
            throw timedOut("Connect", null);
        }
    }

    private SocketTimeoutException timedOut(String what, IOException cause) {
        SocketTimeoutException t = new SocketTimeoutException(what + " timed out after " + plan.timeoutMillis() + " ms");
        t.initCause(cause);
        return t;
    }

    private void closeChoreography(Socket s) throws IOException {
        Closer c = plan.closer();
        if (c == Closer.HALF) {
            s.shutdownOutput();
        }
        if (plan.readsEofBeforeClose()) {
            Payloads.drainToEof(input(s), buffer);
        }
        // CLIENT, NEVER: a plain close sends our FIN; ABORT: SO_LINGER 0 was set, so close sends RST.
        s.close();
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
        private InputStream in;

        WatchedInput(SocketWatchdog.Slot slot, long timeoutNanos) {
            this.slot = slot;
            this.timeoutNanos = timeoutNanos;
        }

        /** This stream, now reading from {@code s}. */
        InputStream of(Socket s) throws IOException {
            if (socket != s) {
                in = s.getInputStream();
                socket = s;
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
                if (!slot.end(socket)) {
                    throw timedOut("Read", e);
                }
                throw e;
            }
            if (!slot.end(socket)) {
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
