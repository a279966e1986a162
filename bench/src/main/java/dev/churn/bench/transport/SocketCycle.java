package dev.churn.bench.transport;

import dev.churn.bench.config.Closer;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One connection cycle on a blocking {@link Socket}: connect, optional request and response, the
 * close choreography. Not thread-safe (it owns a read buffer): one per thread or per cycle.
 */
final class SocketCycle {

    private final ClientPlan plan;
    private final ConnectWatchdog.Slot watchdog;
    private final byte[] request;
    private final byte[] buffer;

    /** A cycle whose connect is timed by the JDK (virtual threads: it costs nothing extra there). */
    SocketCycle(ClientPlan plan) {
        this(plan, null);
    }

    /** A cycle whose connect is untimed and watched by a {@link ConnectWatchdog} slot, when not null. */
    SocketCycle(ClientPlan plan, ConnectWatchdog.Slot watchdog) {
        this.plan = plan;
        this.watchdog = watchdog;
        this.request = Payloads.request(plan.requestBytes());
        this.buffer = new byte[Payloads.readBufferSize(plan.responseBytes())];
    }

    /** Runs the ticket's cycle and reports it to {@code cycles} as completed or failed. */
    void run(Cycles cycles, Ticket t) {
        Socket s;
        try {
            s = plan.newSocket();
        } catch (IOException e) {
            cycles.failed(t, e);
            return;
        }
        try {
            long c0 = System.nanoTime();
            connect(s, c0);
            long c1 = System.nanoTime();
            if (cycles.wantsConnected()) {
                cycles.connected(t, s.getLocalPort(), c0, c1);
            }
            long firstByte = -1;
            if (request.length > 0 || plan.responseBytes() > 0) {
                long w0 = c1;
                if (request.length > 0) {
                    w0 = System.nanoTime();
                    s.getOutputStream().write(request);
                }
                if (plan.responseBytes() > 0) {
                    firstByte = Payloads.readResponse(s.getInputStream(), buffer, plan.responseBytes(), w0);
                }
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
                throw timedOut(e);
            }
            throw e;
        }
        if (!watchdog.end(s)) {
            throw timedOut(null);
        }
    }

    private SocketTimeoutException timedOut(IOException cause) {
        SocketTimeoutException t = new SocketTimeoutException("Connect timed out after " + plan.timeoutMillis() + " ms");
        t.initCause(cause);
        return t;
    }

    private void closeChoreography(Socket s) throws IOException {
        Closer c = plan.closer();
        if (c == Closer.HALF) {
            s.shutdownOutput();
        }
        if (plan.readsEofBeforeClose()) {
            Payloads.drainToEof(s.getInputStream(), buffer);
        }
        // CLIENT, NEVER: a plain close sends our FIN; ABORT: SO_LINGER 0 was set, so close sends RST.
        s.close();
    }
}
