package dev.churn.bench.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * A client SSLEngine and its three buffers, what the channel transports (nio, selector) lay over a
 * SocketChannel; one per connection in flight, reused by the next one ({@link #begin}), so the
 * buffers are allocated once. It never waits: it says what it needs ({@link Step}) and the caller
 * reads or writes the channel, blocking (nio) or when the selector says so (selector). Delegated
 * tasks run inline, on the caller's thread. Every buffer stays in fill mode between calls: netIn
 * holds bytes read but not yet unwrapped, netOut bytes wrapped but not yet written, appIn plaintext
 * not yet taken. Not thread-safe.
 */
final class TlsLink {

    /** What the handshake needs next. */
    enum Step {
        /** Bytes from the server: {@link #fill} the link, then call {@link #handshake} again. */
        READ,
        /** Our bytes written first: {@link #flush} the link, then call {@link #handshake} again. */
        WRITE,
        /** The handshake is over and everything it wrapped is written. */
        DONE
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private SSLEngine engine;
    private ByteBuffer netIn = ByteBuffer.allocate(0);
    private ByteBuffer netOut = ByteBuffer.allocate(0);
    private ByteBuffer appIn = ByteBuffer.allocate(0);
    private boolean inboundClosed;

    /** Starts this connection's handshake on {@code e}; the buffers are cleared and sized from its session. */
    void begin(SSLEngine e) throws SSLException {
        engine = e;
        inboundClosed = false;
        SSLSession s = e.getSession();
        netIn = atLeast(netIn, s.getPacketBufferSize());
        netOut = atLeast(netOut, s.getPacketBufferSize());
        appIn = atLeast(appIn, s.getApplicationBufferSize());
        e.beginHandshake();
    }

    SSLEngine engine() {
        return engine;
    }

    /** Drops the engine (the connection ended); the buffers stay for the next one. */
    void end() {
        engine = null;
    }

    /** True when wrapped bytes wait to be written. */
    boolean pendingOutput() {
        return netOut.position() > 0;
    }

    /** True once the server's close_notify was read. */
    boolean inboundClosed() {
        return inboundClosed;
    }

    /**
     * Moves the handshake on as far as it goes without I/O; says what it needs. A flight is written
     * whole before the server's answer is awaited, and the handshake is DONE only once its last
     * bytes are written, as SSLSocket.startHandshake returns.
     */
    Step handshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    SSLEngineResult r = engine.wrap(EMPTY, netOut);
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        if (pendingOutput()) {
                            return Step.WRITE;
                        }
                        netOut = grown(netOut, engine.getSession().getPacketBufferSize());
                    } else if (r.getStatus() == SSLEngineResult.Status.CLOSED && r.bytesProduced() == 0) {
                        throw new SSLHandshakeException("the TLS engine closed during the handshake");
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (pendingOutput()) {
                        return Step.WRITE;
                    }
                    SSLEngineResult r = unwrapOnce();
                    switch (r.getStatus()) {
                        case BUFFER_UNDERFLOW -> {
                            return Step.READ;
                        }
                        case BUFFER_OVERFLOW -> appIn = grown(appIn, engine.getSession().getApplicationBufferSize());
                        case CLOSED -> throw new SSLHandshakeException("the server closed TLS during the handshake");
                        case OK -> { }
                    }
                }
                case NOT_HANDSHAKING, FINISHED -> {
                    if (engine.isOutboundDone() || engine.isInboundDone()) {
                        throw new SSLHandshakeException("TLS closed during the handshake");
                    }
                    return pendingOutput() ? Step.WRITE : Step.DONE;
                }
            }
        }
    }

    /**
     * Wraps as much of {@code src} as netOut takes; true when all of it is wrapped, false when netOut
     * must be flushed first.
     */
    boolean wrap(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            SSLEngineResult r = engine.wrap(src, netOut);
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> {
                    if (pendingOutput()) {
                        return false;
                    }
                    netOut = grown(netOut, engine.getSession().getPacketBufferSize());
                }
                case CLOSED -> throw new SSLException("TLS already closed: cannot send the request");
                default -> { }
            }
        }
        return true;
    }

    /**
     * Unwraps what netIn holds; returns the plaintext bytes now in {@link #plaintext} (more than 0),
     * 0 when more bytes must be read first, or -1 once the server's close_notify was read and no
     * plaintext is left. Post-handshake messages (TLS 1.3 session tickets) are consumed here.
     */
    int unwrap() throws IOException {
        while (true) {
            if (inboundClosed) {
                return appIn.position() > 0 ? appIn.position() : -1;
            }
            SSLEngineResult r = unwrapOnce();
            switch (r.getStatus()) {
                case OK -> {
                    if (appIn.position() > 0) {
                        return appIn.position();
                    }
                    if (r.bytesConsumed() == 0) {
                        return 0;
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    return appIn.position();
                }
                case BUFFER_OVERFLOW -> {
                    if (appIn.position() > 0) {
                        return appIn.position();
                    }
                    appIn = grown(appIn, engine.getSession().getApplicationBufferSize());
                }
                case CLOSED -> inboundClosed = true;
            }
        }
    }

    /** The plaintext unwrapped so far, in fill mode: the caller flips, takes and clears it. */
    ByteBuffer plaintext() {
        return appIn;
    }

    /**
     * Wraps our close_notify; true when it is wrapped whole (then {@link #flush} sends it), false
     * when netOut must be flushed first.
     */
    boolean closeOutbound() throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            SSLEngineResult r = engine.wrap(EMPTY, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (pendingOutput()) {
                    return false;
                }
                netOut = grown(netOut, engine.getSession().getPacketBufferSize());
            } else if (r.bytesProduced() == 0 && r.getStatus() == SSLEngineResult.Status.CLOSED) {
                return true;
            }
        }
        return true;
    }

    /** Reads what the channel has into netIn (non-blocking or blocking); the count, or -1 at its end. */
    int fill(SocketChannel ch) throws IOException {
        return ch.read(netIn);
    }

    /** Reads into netIn through a stream (a blocking channel's timed socket adaptor); the count, or -1 at its end. */
    int fill(InputStream in) throws IOException {
        int n = in.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
        if (n > 0) {
            netIn.position(netIn.position() + n);
        }
        return n;
    }

    /** Writes what netOut holds, as far as the channel takes it; true when all is written. */
    boolean flush(SocketChannel ch) throws IOException {
        netOut.flip();
        try {
            ch.write(netOut);
        } finally {
            netOut.compact();
        }
        return netOut.position() == 0;
    }

    private SSLEngineResult unwrapOnce() throws IOException {
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && !netIn.hasRemaining()) {
            // A record bigger than netIn: room for it before the next read.
            netIn = grown(netIn, engine.getSession().getPacketBufferSize());
        }
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runTasks();
        }
        return r;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** {@code b} cleared if it holds {@code size}, else a new buffer of that size. */
    private static ByteBuffer atLeast(ByteBuffer b, int size) {
        return b.capacity() >= size ? b.clear() : ByteBuffer.allocate(size);
    }

    /** A bigger copy of a fill-mode buffer: at least {@code size}, and at least twice the old. */
    private static ByteBuffer grown(ByteBuffer b, int size) {
        ByteBuffer g = ByteBuffer.allocate(Math.max(size, b.capacity() * 2));
        b.flip();
        g.put(b);
        return g;
    }
}
