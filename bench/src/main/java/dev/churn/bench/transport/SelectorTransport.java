package dev.churn.bench.transport;

import dev.churn.bench.config.Closer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Non-blocking SocketChannels on {@code loops} Selector loops, each on a platform thread of its own
 * (one loop runs on the caller's thread) with its share of {@link Cycles#concurrency()}: what neper
 * does with {@code -T} epoll threads, so a run with many connections in flight uses every core.
 * The loops share nothing but the {@link Cycles} they claim tickets from and report to. Each
 * connection is a small state machine (connect, write the request, read the response, close
 * choreography) and its phases are timed at the events that end them.
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
        this.request = ByteBuffer.wrap(Payloads.request(plan.requestBytes())).asReadOnlyBuffer();
        this.family = plan.socket().ipv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    @Override
    public void run(Cycles cycles) throws InterruptedException {
        EventLoopThreads.run(cycles, loops, "churn-selector-", "selector", (i, share, failure) -> new Loop(cycles, share, failure));
    }

    private enum State { CONNECTING, WRITING, READING, DRAINING }

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
        long deadline;
        int index;

        Conn(Ticket ticket) {
            this.ticket = ticket;
        }
    }

    /** One selector loop; owns every connection it starts and closes what is left at the end. */
    private final class Loop extends EventLoopThreads.Loop {
        private final Selector selector;
        private final List<Conn> live = new ArrayList<>();
        private final ByteBuffer scratch = ByteBuffer.allocateDirect(Payloads.readBufferSize(plan.responseBytes()));
        private final long timeoutNanos = plan.connectTimeout().toNanos();

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
        void poll(long waitMillis) throws IOException {
            selector.select(this::ready, waitMillis);
        }

        private void start(Conn c) {
            add(c);
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
                    case WRITING -> write(c);
                    case READING -> read(c);
                    case DRAINING -> drain(c);
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
            if (plan.responseBytes() > 0) {
                c.responseLeft = plan.responseBytes();
                c.state = State.READING;
                interest(c, SelectionKey.OP_READ);
            } else {
                beginClose(c);
            }
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
            }
        }

        private void beginClose(Conn c) throws IOException {
            c.closeStart = System.nanoTime();
            c.deadline = c.closeStart + timeoutNanos;
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
            cycles.completed(c.ticket, c.connectNanos, c.firstByte, end - c.closeStart, end);
        }

        private void fail(Conn c, IOException e) {
            remove(c);
            Payloads.closeQuietly(c.ch);
            cycles.failed(c.ticket, e);
        }

        @Override
        void expire(long now) {
            for (int i = live.size() - 1; i >= 0; i--) {
                Conn c = live.get(i);
                if (now - c.deadline > 0) {
                    String what = c.state == State.CONNECTING ? "connect timed out" : "read timed out";
                    fail(c, new SocketTimeoutException(what + " (" + c.state.name().toLowerCase(java.util.Locale.ROOT) + ")"));
                }
            }
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
        }

        /** Swap-remove: order does not matter and removal must be O(1) at high concurrency. */
        private void remove(Conn c) {
            int i = c.index;
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
