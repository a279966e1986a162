package dev.churn.bench.transport;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.http.HttpResponseParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLHandshakeException;

/**
 * Non-blocking SocketChannels on {@code loops} Selector loops, each on a platform thread of its own
 * (one loop runs on the caller's thread) with its share of {@link Cycles#concurrency()}: what neper
 * does with {@code -T} epoll threads, so a run with many connections in flight uses every core.
 * The loops share nothing but the {@link Cycles} they claim tickets from and report to. Each
 * connection is a small state machine (connect, write the request, read the response, close
 * choreography) and its phases are timed at the events that end them.
 * With TLS or HTTP a connection also holds a {@link Layer} (an SSLEngine and its buffers, an HTTP
 * parser), taken from the loop's spares and given back at its end, so they are made once per
 * connection in flight, not per cycle; the handshake moves on readiness, its delegated tasks run on
 * the loop's thread. A plain connection holds none and takes exactly the steps it took before.
 * The JDK closes a registered channel's descriptor when the selector next deregisters it, so CLOSE
 * here ends at close() and the descriptor goes a few microseconds later, at the next select.
 */
final class SelectorTransport implements Transport {

    private final ClientPlan plan;
    private final int loops;
    private final ByteBuffer request;
    private final StandardProtocolFamily family;

    SelectorTransport(ClientPlan plan, int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException("a selector transport needs at least one loop, got " + loops);
        }
        this.plan = plan;
        this.loops = loops;
        this.request = Payloads.direct(plan.http() != null ? plan.http().bytes() : Payloads.request(plan.requestBytes()));
        this.family = plan.family();
    }

    @Override
    public void run(Cycles cycles) throws InterruptedException {
        EventLoopThreads.run(cycles, loops, "churn-selector-", "selector", (i, share, failure) -> new Loop(cycles, share, failure));
    }

    private enum State { CONNECTING, HANDSHAKING, WRITING, READING, SENDING_CLOSE_NOTIFY, DRAINING }

    /** What a connection speaks over TCP beyond bytes: TLS (null: none) and HTTP (null: none). */
    private static final class Layer {
        final TlsLink tls;
        final HttpResponseParser http;
        long tlsStart;
        long tlsNanos;
        boolean resumed;

        Layer(TlsLink tls, HttpResponseParser http) {
            this.tls = tls;
            this.http = http;
        }
    }

    /** One connection cycle in flight. */
    private final class Conn {
        final Ticket ticket;
        SocketChannel ch;
        SelectionKey key;
        State state;
        ByteBuffer out;
        long connectStart;
        long connectNanos;
        long sentAt;
        long firstByte = -1;
        long responseLeft;
        long closeStart;
        long drained;
        /** TLS, --closer server, the built-in sink: its close_notify was read, and its FIN is awaited (drainTls). */
        boolean awaitingFin;
        long deadline;
        int index;
        /** TLS and HTTP state; null for plain TCP. */
        Layer layer;

        Conn(Ticket ticket) {
            this.ticket = ticket;
        }
    }

    /** One selector loop; owns every connection it starts and closes what is left at the end. */
    private final class Loop extends EventLoopThreads.Loop {
        private final Selector selector;
        private final List<Conn> live = new ArrayList<>();
        private final ByteBuffer scratch = ByteBuffer.allocateDirect(Payloads.readBufferSize(plan));
        private final long timeoutNanos = plan.connectTimeout().toNanos();
        private final boolean layered = plan.tls() != null || plan.http() != null;
        private final ArrayDeque<Layer> spareLayers = new ArrayDeque<>();

        Loop(Cycles cycles, int max, EventLoopThreads.Failure failure) throws IOException {
            super(cycles, max, failure);
            this.selector = Selector.open();
        }

        @Override
        int inFlight() {
            return live.size();
        }

        @Override
        void start(Ticket t) {
            start(new Conn(t));
        }

        @Override
        void poll(long waitNanos) throws IOException {
            if (waitNanos <= 0) {
                selector.selectNow(this::ready); // select(action, 0) would wait for ever
            } else if (live.isEmpty()) {
                // Nothing in flight, so nothing can become ready: an open loop waiting for its next
                // start sleeps until it is due, to the microsecond. select() waits in whole
                // milliseconds, and a start due in 0.1 ms began up to 1 ms late (cycle p50 630 µs
                // where connect took 30, at --rate 2000, 2026-12-05).
                LockSupport.parkNanos(waitNanos);
            } else {
                // In flight: their readiness must wake the loop, in the JDK's whole milliseconds (a
                // start due sooner may wait up to 1 ms; Schedule reports by how much).
                selector.select(this::ready, Math.max(1, waitNanos / 1_000_000));
            }
        }

        private void start(Conn c) {
            add(c);
            if (layered) {
                c.layer = takeLayer();
            }
            try {
                c.ch = SocketChannel.open(family);
                c.ch.configureBlocking(false);
                plan.configure(c.ch);
                c.state = State.CONNECTING;
                c.connectStart = System.nanoTime();
                c.deadline = c.connectStart + timeoutNanos;
                // On loopback the handshake is over by the time connect() returns (the SYN, SYN-ACK
                // and ACK run in this thread's softirq), so finishConnect() at once succeeds and saves
                // an OP_CONNECT registration and a select round per connection; it ends CONNECT no
                // earlier than the handshake did. Elsewhere it says false and the key waits.
                if (c.ch.connect(plan.target()) || c.ch.finishConnect()) {
                    connected(c);
                } else {
                    interest(c, SelectionKey.OP_CONNECT);
                }
            } catch (IOException e) {
                fail(c, e);
            }
        }

        private void ready(SelectionKey k) {
            Conn c = (Conn) k.attachment();
            if (!k.isValid() || c.index < 0) {
                return;
            }
            try {
                switch (c.state) {
                    case CONNECTING -> {
                        if (c.ch.finishConnect()) {
                            connected(c);
                        }
                    }
                    case HANDSHAKING -> handshake(c);
                    case WRITING -> {
                        if (c.layer == null || c.layer.tls == null) {
                            write(c);
                        } else {
                            writeTls(c);
                        }
                    }
                    case READING -> {
                        if (c.layer == null) {
                            read(c);
                        } else {
                            readLayered(c);
                        }
                    }
                    case SENDING_CLOSE_NOTIFY -> sendCloseNotify(c);
                    case DRAINING -> {
                        if (c.layer == null || c.layer.tls == null || c.awaitingFin) {
                            drain(c);
                        } else {
                            drainTls(c);
                        }
                    }
                }
            } catch (IOException e) {
                fail(c, e);
            }
        }

        private void connected(Conn c) throws IOException {
            long now = System.nanoTime();
            c.connectNanos = now - c.connectStart;
            if (cycles.wantsConnected()) {
                cycles.connected(c.ticket, ((InetSocketAddress) c.ch.getLocalAddress()).getPort(), c.connectStart, now);
            }
            c.deadline = now + timeoutNanos;
            if (c.layer != null && c.layer.tls != null) {
                startTls(c);
                return;
            }
            c.sentAt = now;
            if (request.capacity() > 0) {
                c.out = request.duplicate();
                c.state = State.WRITING;
                c.sentAt = System.nanoTime();
                write(c);
            } else {
                afterRequest(c);
            }
        }

        private void write(Conn c) throws IOException {
            c.ch.write(c.out);
            if (c.out.hasRemaining()) {
                interest(c, SelectionKey.OP_WRITE);
            } else {
                afterRequest(c);
            }
        }

        private void afterRequest(Conn c) throws IOException {
            if (plan.readsResponse()) {
                c.responseLeft = plan.responseBytes();
                c.state = State.READING;
                interest(c, SelectionKey.OP_READ);
                if (c.layer != null && c.layer.tls != null && c.layer.tls.unwrap() != 0) {
                    readLayered(c); // the response, or part of it, came in with the handshake's last read
                }
            } else {
                beginClose(c);
            }
        }

        /**
         * TLS starts: the engine's beginHandshake() (in begin) builds the ClientHello and makes its key shares, timed as
         * SSLSocket.startHandshake() is on blocking; taken after it, the phase left out 339 µs of a TLS 1.3 handshake
         * (review, 2026-12-07).
         */
        private void startTls(Conn c) throws IOException {
            Layer l = c.layer;
            javax.net.ssl.SSLEngine engine = plan.tls().engine(plan.target());
            l.tlsStart = System.nanoTime();
            l.tls.begin(engine);
            c.state = State.HANDSHAKING;
            handshake(c);
        }

        /** Moves the handshake on as far as the socket lets it; ends TLS with our last handshake bytes written. */
        private void handshake(Conn c) throws IOException {
            Layer l = c.layer;
            while (true) {
                switch (l.tls.handshake()) {
                    case DONE -> {
                        long now = System.nanoTime();
                        l.tlsNanos = now - l.tlsStart;
                        l.resumed = !plan.tls().fullHandshake(l.tls.engine());
                        c.deadline = now + timeoutNanos;
                        c.sentAt = now;
                        if (request.capacity() > 0) {
                            c.out = request.duplicate();
                            c.state = State.WRITING;
                            c.sentAt = System.nanoTime();
                            writeTls(c);
                        } else {
                            afterRequest(c);
                        }
                        return;
                    }
                    case WRITE -> {
                        if (!l.tls.flush(c.ch)) {
                            interest(c, SelectionKey.OP_WRITE);
                            return;
                        }
                    }
                    case READ -> {
                        int n = l.tls.fill(c.ch);
                        if (n < 0) {
                            throw new SSLHandshakeException("the server closed the connection during the TLS handshake");
                        }
                        if (n == 0) {
                            interest(c, SelectionKey.OP_READ);
                            return;
                        }
                    }
                }
            }
        }

        private void writeTls(Conn c) throws IOException {
            TlsLink tls = c.layer.tls;
            while (true) {
                if (tls.pendingOutput() && !tls.flush(c.ch)) {
                    interest(c, SelectionKey.OP_WRITE);
                    return;
                }
                if (!c.out.hasRemaining()) {
                    afterRequest(c);
                    return;
                }
                tls.wrap(c.out);
            }
        }

        /** The response over TLS, or an HTTP response over TCP: what the plain {@link #read} does not know. */
        private void readLayered(Conn c) throws IOException {
            Layer l = c.layer;
            if (l.tls == null) {
                scratch.clear().limit((int) Math.min(scratch.capacity(), l.http.wants()));
                int n = c.ch.read(scratch);
                if (n < 0) {
                    endOfResponse(c);
                } else if (n > 0) {
                    if (c.firstByte < 0) {
                        c.firstByte = System.nanoTime() - c.sentAt;
                    }
                    if (l.http.feed(scratch.flip())) {
                        beginClose(c);
                    } else {
                        readMore(c);
                    }
                }
                return;
            }
            while (true) {
                int u = l.tls.unwrap();
                if (u > 0) {
                    if (c.firstByte < 0) {
                        c.firstByte = System.nanoTime() - c.sentAt;
                    }
                    ByteBuffer p = l.tls.plaintext().flip();
                    boolean done;
                    if (l.http != null) {
                        done = l.http.feed(p);
                    } else {
                        c.responseLeft -= Math.min(p.remaining(), c.responseLeft);
                        done = c.responseLeft <= 0;
                    }
                    p.clear();
                    if (done) {
                        beginClose(c);
                        return;
                    }
                } else if (u < 0) {
                    endOfResponse(c);
                    return;
                } else {
                    int n = l.tls.fill(c.ch);
                    if (n < 0) {
                        endOfResponse(c);
                        return;
                    }
                    if (n == 0) {
                        return; // nothing more yet: OP_READ is set
                    }
                    readMore(c);
                }
            }
        }

        /** The server ended the stream (close_notify, or its FIN) while the response was read. */
        private void endOfResponse(Conn c) throws IOException {
            if (c.layer.http == null) {
                throw new IOException("connection closed after " + (plan.responseBytes() - c.responseLeft) + " of "
                        + plan.responseBytes() + " response bytes");
            }
            c.layer.http.end(); // a body without Content-Length ends here; anything else throws
            beginClose(c);
        }

        /**
         * The close choreography under TLS, as {@link SocketCycle} plays it: close_notify is sent when
         * the client closes first (client, half, never) and skipped when it resets (abort) or when the
         * server closed first (server).
         */
        private void beginCloseTls(Conn c) throws IOException {
            plan.tls().forget(c.layer.tls.engine().getSession());
            Closer closer = plan.closer();
            // SO_LINGER 0 (--linger 0, every warm-up) resets with no close_notify, as SocketCycle does.
            boolean abortive = plan.linger().equals(Linger.ABORT);
            if (!abortive && (closer == Closer.CLIENT || closer == Closer.HALF || closer == Closer.NEVER)) {
                c.state = State.SENDING_CLOSE_NOTIFY;
                sendCloseNotify(c);
            } else {
                afterCloseNotify(c);
            }
        }

        private void sendCloseNotify(Conn c) throws IOException {
            TlsLink tls = c.layer.tls;
            boolean wrapped = false;
            while (true) {
                if (tls.pendingOutput() && !tls.flush(c.ch)) {
                    interest(c, SelectionKey.OP_WRITE);
                    return;
                }
                if (wrapped) {
                    break;
                }
                wrapped = tls.closeOutbound();
            }
            afterCloseNotify(c);
        }

        private void afterCloseNotify(Conn c) throws IOException {
            if (plan.closer() == Closer.HALF) {
                c.ch.shutdownOutput();
            }
            if (plan.readsEofBeforeClose()) {
                c.state = State.DRAINING;
                interest(c, SelectionKey.OP_READ);
                drainTls(c);
            } else {
                finish(c);
            }
        }

        /**
         * Reads to the server's close_notify (session tickets still count) or its FIN, then closes
         * unanswered, as SocketCycle does. Waiting on for the FIN would cost a timeout per cycle
         * against a server that, like openssl s_server, keeps TCP open for our close_notify.
         */
        private void drainTls(Conn c) throws IOException {
            TlsLink tls = c.layer.tls;
            while (!tls.inboundClosed()) {
                int u = tls.unwrap();
                if (u > 0) {
                    c.drained += u;
                    tls.plaintext().clear();
                    if (c.drained > ClientPlan.MAX_DRAIN_BYTES) {
                        throw new IOException("peer sent more than " + ClientPlan.MAX_DRAIN_BYTES + " bytes instead of closing");
                    }
                } else if (u == 0) {
                    int n = tls.fill(c.ch);
                    if (n < 0) {
                        finish(c);
                        return;
                    }
                    if (n == 0) {
                        return;
                    }
                }
            }
            if (plan.closer() == Closer.SERVER && plan.tls().ownSink()) {
                // The built-in sink's FIN follows its close_notify: closing before it let our FIN leave first and the
                // TIME_WAIT land here (14 of 1,000 under TLS 1.3, 2026-12-05), as SocketCycle says.
                c.awaitingFin = true;
                drain(c);
                return;
            }
            finish(c);
        }

        private Layer takeLayer() {
            Layer l = spareLayers.poll();
            if (l == null) {
                l = new Layer(plan.tls() != null ? new TlsLink() : null, plan.http() != null ? new HttpResponseParser() : null);
            }
            l.tlsNanos = -1;
            l.resumed = false;
            if (l.http != null) {
                l.http.begin();
            }
            return l;
        }

        /** Gives the connection's layer back to the spares; its engine is dropped (and forgotten by the trust check). */
        private void releaseLayer(Conn c) {
            Layer l = c.layer;
            c.layer = null;
            if (l.tls != null && l.tls.engine() != null) {
                plan.tls().fullHandshake(l.tls.engine());
                l.tls.end();
            }
            spareLayers.push(l);
        }

        private void read(Conn c) throws IOException {
            scratch.clear().limit((int) Math.min(scratch.capacity(), c.responseLeft));
            int n = c.ch.read(scratch);
            if (n < 0) {
                throw new IOException("connection closed after " + (plan.responseBytes() - c.responseLeft) + " of "
                        + plan.responseBytes() + " response bytes");
            }
            if (n > 0 && c.firstByte < 0) {
                c.firstByte = System.nanoTime() - c.sentAt;
            }
            c.responseLeft -= n;
            if (c.responseLeft <= 0) {
                beginClose(c);
            } else if (n > 0) {
                readMore(c);
            }
        }

        /**
         * Bytes came and more are due: the timeout bounds each read, as SO_TIMEOUT does on blocking and nio, not the
         * whole response. Set once at the request, a body of 10 bytes sent one each 300 ms timed out here at 2 s where
         * blocking and nio completed (review, 2026-12-07).
         */
        private void readMore(Conn c) {
            c.deadline = System.nanoTime() + timeoutNanos;
        }

        private void beginClose(Conn c) throws IOException {
            c.closeStart = System.nanoTime();
            c.deadline = c.closeStart + timeoutNanos;
            if (c.layer != null && c.layer.tls != null) {
                beginCloseTls(c);
                return;
            }
            Closer closer = plan.closer();
            if (closer == Closer.HALF) {
                c.ch.shutdownOutput();
            }
            if (plan.readsEofBeforeClose()) {
                c.state = State.DRAINING;
                interest(c, SelectionKey.OP_READ);
                drain(c);
            } else {
                finish(c);
            }
        }

        private void drain(Conn c) throws IOException {
            int n;
            while ((n = c.ch.read(scratch.clear())) > 0) {
                c.drained += n;
                if (c.drained > ClientPlan.MAX_DRAIN_BYTES) {
                    throw new IOException("peer sent more than " + ClientPlan.MAX_DRAIN_BYTES + " bytes instead of closing");
                }
            }
            if (n < 0) {
                finish(c);
            }
        }

        private void finish(Conn c) throws IOException {
            remove(c);
            c.ch.close();
            long end = System.nanoTime();
            Layer l = c.layer;
            if (l == null) {
                cycles.completed(c.ticket, c.connectNanos, c.firstByte, end - c.closeStart, end);
                slotFreed();
                return;
            }
            long tlsNanos = l.tlsNanos;
            boolean resumed = l.resumed;
            releaseLayer(c);
            if (tlsNanos >= 0) {
                cycles.completedTls(c.ticket, c.connectNanos, tlsNanos, resumed, c.firstByte, end - c.closeStart, end);
            } else {
                cycles.completed(c.ticket, c.connectNanos, c.firstByte, end - c.closeStart, end);
            }
            slotFreed();
        }

        private void fail(Conn c, IOException e) {
            remove(c);
            Payloads.closeQuietly(c.ch);
            if (c.layer != null) {
                releaseLayer(c);
            }
            cycles.failed(c.ticket, e);
            slotFreed();
        }

        @Override
        void expire(long now) {
            for (int i = live.size() - 1; i >= 0; i--) {
                Conn c = live.get(i);
                if (now - c.deadline > 0) {
                    fail(c, timedOut(c));
                }
            }
        }

        /** Names the step that waited too long and how far the response had come, as the epoll transport does. */
        private SocketTimeoutException timedOut(Conn c) {
            String head = switch (c.state) {
                case CONNECTING -> "Connect";
                case HANDSHAKING -> "TLS handshake";
                case WRITING -> "Write";
                case SENDING_CLOSE_NOTIFY -> "close_notify write";
                case READING, DRAINING -> "Read";
            } + " timed out after " + plan.timeoutMillis() + " ms";
            return new SocketTimeoutException(switch (c.state) {
                case READING -> head + ": " + (c.layer != null && c.layer.http != null ? "the HTTP response had not ended"
                        : Payloads.cameOf(plan.responseBytes() - c.responseLeft, plan.responseBytes()));
                case DRAINING -> head + ": waiting for the server's FIN";
                default -> head;
            });
        }

        private void interest(Conn c, int ops) throws IOException {
            if (c.key == null) {
                c.key = c.ch.register(selector, ops, c);
            } else if (c.key.interestOps() != ops) {
                c.key.interestOps(ops);
            }
        }

        private void add(Conn c) {
            c.index = live.size();
            live.add(c);
            slotTaken();
        }

        /**
         * Swap-remove: order does not matter and removal must be O(1) at high concurrency. Once only: a close that
         * throws in {@link #finish}, after its removal, fails the cycle, whose {@link #fail} removes it again, and a
         * second swap took another live connection out and threw IndexOutOfBounds (review, 2026-12-07).
         */
        private void remove(Conn c) {
            int i = c.index;
            if (i < 0) {
                return;
            }
            Conn last = live.removeLast();
            if (last != c) {
                live.set(i, last);
                last.index = i;
            }
            c.index = -1;
        }

        @Override
        public void close() {
            for (Conn c : List.copyOf(live)) {
                fail(c, new IOException("run ended with the cycle in flight"));
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // its keys' channels are closed already; nothing else depends on it
            }
        }
    }
}
