package dev.churn.bench.transport;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.http.HttpResponseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLHandshakeException;

/**
 * One connection cycle on a {@link SocketChannel} in blocking mode. Connect and reads go through the
 * channel's socket adaptor, the only way a blocking channel honours a timeout; writes go to the
 * channel. With TLS, a {@link TlsLink} (an SSLEngine) sits between: its reads come through the
 * same timed adaptor, so every wait of the handshake is bounded as a read is. Not thread-safe: one
 * per thread.
 */
final class ChannelCycle {

    private final ClientPlan plan;
    /**
     * Times writes when not null (closing the channel's socket ends a blocked write): nothing in
     * the JDK does, and a server that stops reading would hold the cycle, and the run, for good.
     */
    private final SocketWatchdog.Slot writeWatch;
    private final ByteBuffer request;
    private final byte[] buffer;
    private final StandardProtocolFamily family;
    private final HttpResponseReader http;
    private final TlsLink tls;
    private final TlsInput tlsInput;

    /** A cycle whose writes are untimed (the JMH suite's runner). */
    ChannelCycle(ClientPlan plan) {
        this(plan, null);
    }

    /** A cycle whose writes are watched by a {@link SocketWatchdog} slot, when not null. */
    ChannelCycle(ClientPlan plan, SocketWatchdog.Slot writeWatch) {
        this.plan = plan;
        this.writeWatch = writeWatch;
        this.request = Payloads.direct(plan.http() != null ? plan.http().bytes() : Payloads.request(plan.requestBytes()));
        this.buffer = new byte[Payloads.readBufferSize(plan)];
        this.family = plan.family();
        this.http = plan.http() == null ? null : new HttpResponseReader();
        this.tls = plan.tls() == null ? null : new TlsLink();
        this.tlsInput = plan.tls() == null ? null : new TlsInput();
    }

    /** Runs the ticket's cycle and reports it to {@code cycles} as completed or failed. */
    void run(Cycles cycles, Ticket t) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(family);
            plan.configure(ch);
            if (plan.needsReads()) {
                ch.socket().setSoTimeout(plan.timeoutMillis());
            }
            long c0 = System.nanoTime();
            ch.socket().connect(plan.target(), plan.timeoutMillis());
            long c1 = System.nanoTime();
            if (cycles.wantsConnected()) {
                cycles.connected(t, ch.socket().getLocalPort(), c0, c1);
            }
            long tlsNanos = -1;
            boolean resumed = false;
            InputStream tlsIn = null;
            // first_byte without a request runs from the connection's readiness: the TCP handshake's end, or under TLS
            // its handshake's. Taken before it, the nio transport's first_byte held the whole handshake (review,
            // 2026-12-07: p50 4,674 µs beside blocking's 323 µs), as blocking, virtual and selector never did.
            long w0 = c1;
            if (tls != null) {
                InputStream raw = ch.socket().getInputStream();
                tlsNanos = handshake(ch, raw);
                resumed = !plan.tls().fullHandshake(tls.engine());
                tlsIn = tlsInput.over(raw);
                w0 = System.nanoTime();
            }
            long firstByte = -1;
            if (request.capacity() > 0) {
                w0 = System.nanoTime();
                request.clear();
                watchWrite(ch, w0);
                try {
                    if (tls != null) {
                        while (!tls.wrap(request)) {
                            flush(ch);
                        }
                        flush(ch);
                    } else {
                        while (request.hasRemaining()) {
                            ch.write(request);
                        }
                    }
                } catch (IOException e) {
                    throw writeEnded(ch, e);
                }
                IOException late = writeEnded(ch, null);
                if (late != null) {
                    throw late;
                }
            }
            if (http != null) {
                firstByte = http.read(input(ch, tlsIn), buffer, w0);
            } else if (plan.responseBytes() > 0) {
                firstByte = Payloads.readResponse(input(ch, tlsIn), buffer, plan.responseBytes(), w0);
            }
            long k0 = System.nanoTime();
            closeChoreography(ch, tlsIn);
            long k1 = System.nanoTime();
            if (tls != null) {
                cycles.completedTls(t, c1 - c0, tlsNanos, resumed, firstByte, k1 - k0, k1);
            } else {
                cycles.completed(t, c1 - c0, firstByte, k1 - k0, k1);
            }
        } catch (IOException e) {
            Payloads.closeQuietly(ch);
            if (tls != null && tls.engine() != null) {
                plan.tls().fullHandshake(tls.engine()); // forget it: the handshake may have checked a certificate
            }
            cycles.failed(t, e);
        } finally {
            if (tls != null) {
                tls.end();
            }
        }
    }

    /** The plaintext: the TLS stream, or the channel's timed socket adaptor (made only when read, as before TLS). */
    private static InputStream input(SocketChannel ch, InputStream tlsIn) throws IOException {
        return tlsIn != null ? tlsIn : ch.socket().getInputStream();
    }

    /** The TLS handshake, from the ClientHello to our last handshake bytes written; returns its nanoseconds. */
    private long handshake(SocketChannel ch, InputStream raw) throws IOException {
        javax.net.ssl.SSLEngine engine = plan.tls().engine(plan.target());
        // Before begin(): the engine's beginHandshake() builds the ClientHello and makes its key shares (339 µs of a
        // TLS 1.3 handshake, the first wrap 3 µs), which SSLSocket.startHandshake() times on blocking and virtual too
        // (review, 2026-12-07).
        long h0 = System.nanoTime();
        tls.begin(engine);
        TlsLink.Step step;
        while ((step = tls.handshake()) != TlsLink.Step.DONE) {
            if (step == TlsLink.Step.WRITE) {
                flush(ch);
            } else if (tls.fill(raw) < 0) {
                // SSLSocket says the same ("Remote host terminated the handshake"): a peer that is
                // not a TLS server, or one that refused us without an alert.
                throw new SSLHandshakeException("the server closed the connection during the TLS handshake");
            }
        }
        return System.nanoTime() - h0;
    }

    private void watchWrite(SocketChannel ch, long startNanos) {
        if (writeWatch != null) {
            writeWatch.begin(ch.socket(), startNanos + plan.connectTimeout().toNanos());
        }
    }

    /**
     * Ends the watch of a write that ended with {@code e} (null: it completed): a timeout when the
     * watchdog closed the channel first, else {@code e}.
     */
    private IOException writeEnded(SocketChannel ch, IOException e) {
        if (writeWatch == null || writeWatch.end()) {
            return e;
        }
        SocketTimeoutException t = new SocketTimeoutException("Write timed out after " + plan.timeoutMillis() + " ms");
        t.initCause(e);
        return t;
    }

    private void flush(SocketChannel ch) throws IOException {
        while (!tls.flush(ch)) {
            // a blocking channel writes all or fails; the loop only guards a short write
        }
    }

    /**
     * The close choreography, as {@link SocketCycle} plays it: under TLS, close_notify is sent when
     * the client closes first (client, half, never) and skipped when it resets (abort) or when the
     * server closed first (server).
     */
    private void closeChoreography(SocketChannel ch, InputStream tlsIn) throws IOException {
        Closer c = plan.closer();
        if (tls != null) {
            plan.tls().forget(tls.engine().getSession());
        }
        if (c == Closer.HALF) {
            if (tls != null) {
                sendCloseNotify(ch);
            }
            ch.shutdownOutput();
        }
        if (plan.readsEofBeforeClose()) {
            // Under TLS, to the server's close_notify (or its FIN): then the TCP socket closes
            // unanswered, as SocketCycle does. Waiting on for the FIN would cost a timeout per cycle
            // against a server that, like openssl s_server, keeps TCP open for our close_notify: only
            // the built-in sink's is awaited.
            Payloads.drainToEof(input(ch, tlsIn), buffer);
            if (tls != null && c == Closer.SERVER && plan.tls().ownSink()) {
                // The built-in sink does close TCP right after its close_notify: on to its FIN, so that this client's
                // FIN never leaves first (TIME_WAIT on the client in 17% of TLS 1.3 connections with resumption,
                // 2026-12-05; SocketCycle says more).
                Payloads.drainToEof(ch.socket().getInputStream(), buffer);
            }
        }
        // SO_LINGER 0 (--linger 0, every warm-up) resets with no close_notify, as SocketCycle does.
        if (tls != null && (c == Closer.CLIENT || c == Closer.NEVER) && !plan.linger().equals(Linger.ABORT)) {
            sendCloseNotify(ch);
        }
        ch.close();
    }

    private void sendCloseNotify(SocketChannel ch) throws IOException {
        while (!tls.closeOutbound()) {
            flush(ch);
        }
        flush(ch);
    }

    /**
     * The plaintext of the TLS link as a stream: ends (-1) at the server's close_notify, or at the
     * TCP end of stream if the server sent none. Reads go through the timed socket adaptor.
     */
    private final class TlsInput extends InputStream {
        private InputStream raw;
        private boolean tcpEnded;

        InputStream over(InputStream rawIn) {
            this.raw = rawIn;
            this.tcpEnded = false;
            return this;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                int u = tls.unwrap();
                if (u > 0) {
                    ByteBuffer p = tls.plaintext().flip();
                    int n = Math.min(len, p.remaining());
                    p.get(b, off, n);
                    p.compact();
                    return n;
                }
                if (u < 0 || tcpEnded) {
                    return -1;
                }
                if (tls.fill(raw) < 0) {
                    tcpEnded = true;
                }
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }
}
