package dev.churn.bench.transport;

import dev.churn.bench.engine.SelfConnectException;
import dev.churn.bench.config.Closer;
import dev.churn.bench.http.HttpResponseParser;
import dev.churn.bench.posix.Epoll;
import dev.churn.bench.posix.Errno;
import dev.churn.bench.posix.ErrnoException;
import dev.churn.bench.posix.SocketCalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Non-blocking raw descriptors on {@code loops} epoll(7) loops through FFM, each on a platform
 * thread with its share of {@link Cycles#concurrency()}: the {@code selector} transport's shape
 * without the JDK's NIO layer, and what neper's {@code tcp_crr} does in C. Against {@code selector}
 * it shows what java.nio costs a churning client, as {@code raw} does against {@code blocking}.
 *
 * <p>A cycle is socket(SOCK_NONBLOCK), its options, connect(2), the request, the response and the
 * close choreography; each step that cannot go on registers the descriptor for the readiness that
 * unblocks it, and each phase is timed at the event that ends it.
 *
 * <p>The connect ends at the write that follows it when the write succeeds at once. On loopback the
 * whole handshake runs inside connect(2) (the SYN, SYN-ACK and ACK are processed in the caller's
 * softirq before it returns), so the request goes out with no readiness wait, and neper's epoll
 * round trip per connect is saved. A write to a socket still in SYN_SENT fails with EAGAIN, holding
 * the socket's lock, so a successful write proves the handshake was done before it: connect ends
 * when connect(2) returned, at most the length of one clock read before the true moment. When the
 * write says EAGAIN, the loop waits for EPOLLOUT and the connect ends there, as in {@code selector}.
 */
final class EpollTransport implements Transport {

    /** Ready descriptors taken per epoll_wait. */
    private static final int EVENTS = 256;
    /** Bytes of an HTTP response taken per read(2). */
    private static final int HTTP_READ = 16 * 1024;

    private final ClientPlan plan;
    private final int loops;

    EpollTransport(ClientPlan plan, int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException("an epoll transport needs at least one loop, got " + loops);
        }
        this.plan = plan;
        this.loops = loops;
    }

    @Override
    public void run(Cycles cycles) throws InterruptedException {
        EventLoopThreads.run(cycles, loops, "churn-epoll-", "epoll", (i, share, failure) -> new Loop(cycles, share, failure));
    }

    private enum State { CONNECTING, WRITING, READING, DRAINING }

    /** One connection cycle in flight. */
    private static final class Conn {
        final Ticket ticket;
        int fd = -1;
        State state;
        /** The epoll events it is registered for; 0 while not registered. */
        int watching;
        long connectStart;
        long connectNanos;
        long requestDone;
        long sentAt;
        long firstByte = -1;
        long responseLeft;
        long closeStart;
        long drained;
        long deadline;
        /** With --http: the response so far (taken from the loop's spares, given back at the end). */
        HttpResponseParser http;
        /** Its place in the loop's live list, -1 once it ended. */
        int index;

        Conn(Ticket ticket) {
            this.ticket = ticket;
        }
    }

    /** One epoll loop; owns every connection it starts and fails what is left at the end. */
    private final class Loop extends EventLoopThreads.Loop {
        private final SocketCalls sys = new SocketCalls();
        private final Epoll epoll;
        private final int family = SocketCalls.family(plan.target().getAddress());
        private final MemorySegment target;
        private final int targetLength;
        private final MemorySegment request;
        /** The request's bytes: --request of them, or the HTTP request. */
        private final long requestSize;
        private final MemorySegment buffer;
        /** With --http: where a read is copied for the parser, and the parsers not in use. */
        private final byte[] heap;
        private final ArrayDeque<HttpResponseParser> spareParsers = new ArrayDeque<>();
        private final long timeoutNanos = plan.connectTimeout().toNanos();
        /** Connections in flight, in no order (swap-remove), for the timeout scan. */
        private Conn[] live = new Conn[16];
        private int liveCount;
        /** Registered connections by descriptor: epoll hands back the descriptor. */
        private Conn[] byFd = new Conn[1024];

        Loop(Cycles cycles, int max, EventLoopThreads.Failure failure) throws ErrnoException {
            super(cycles, max, failure);
            Arena arena = Arena.ofAuto();
            this.target = arena.allocate(32, 8);
            this.targetLength = SocketCalls.encode(plan.target(), target);
            if (plan.http() != null) {
                byte[] get = plan.http().bytes();
                this.request = arena.allocate(get.length);
                MemorySegment.copy(get, 0, request, ValueLayout.JAVA_BYTE, 0, get.length);
                this.requestSize = get.length;
                this.buffer = arena.allocate(HTTP_READ);
                this.heap = new byte[HTTP_READ];
            } else {
                this.request = arena.allocate(Math.max(1, plan.requestBytes())).fill((byte) 'q');
                this.requestSize = plan.requestBytes();
                this.buffer = arena.allocate(Payloads.readBufferSize(plan.responseBytes()));
                this.heap = null;
            }
            this.epoll = new Epoll(EVENTS);
        }

        @Override
        int inFlight() {
            return liveCount;
        }

        @Override
        void start(Ticket t) {
            Conn c = new Conn(t);
            add(c);
            try {
                c.fd = sys.socket(family, true);
                plan.configureUntimed(sys, c.fd);
                c.state = State.CONNECTING;
                c.connectStart = System.nanoTime();
                int r = sys.connectOrErrno(c.fd, target, targetLength);
                long now = System.nanoTime();
                c.deadline = now + timeoutNanos;
                if (r == 0) {
                    // Done at once (TCP Fast Open could; loopback says EINPROGRESS): on to the request, as below.
                    connected(c, now);
                    sending(c);
                } else if (r != -Errno.EINPROGRESS) {
                    throw new ErrnoException("connect", -r);
                } else if (requestSize > 0) {
                    // The handshake is most likely done (see the class comment): try the request.
                    c.sentAt = now;
                    long n = sys.writeOrErrno(c.fd, request, requestSize);
                    if (n == -Errno.EAGAIN) {
                        watch(c, Epoll.EPOLLOUT);
                    } else if (n < 0) {
                        // The error of a handshake that failed (ECONNREFUSED...), or of the write itself on a connection
                        // the handshake made and the peer then reset: say which call failed.
                        throw new ErrnoException(n == -Errno.ECONNRESET || n == -Errno.EPIPE ? "write" : "connect", (int) -n);
                    } else {
                        connected(c, now);
                        c.requestDone = n;
                        sending(c);
                    }
                } else {
                    // No request to prove the handshake: ask connect(2) again, which says 0 once it
                    // is done (and the error if it failed), EALREADY while it is under way.
                    int again = sys.connectOrErrno(c.fd, target, targetLength);
                    if (again == 0) {
                        connected(c, System.nanoTime());
                        sending(c);
                    } else if (again == -Errno.EALREADY) {
                        watch(c, Epoll.EPOLLOUT);
                    } else {
                        throw new ErrnoException("connect", -again);
                    }
                }
            } catch (IOException e) {
                fail(c, e);
            }
        }

        @Override
        void poll(long waitNanos) throws ErrnoException {
            int n = epoll.awaitNanos(waitNanos);
            for (int i = 0; i < n; i++) {
                int fd = epoll.fd(i);
                Conn c = fd < byFd.length ? byFd[fd] : null;
                if (c != null) {
                    ready(c, epoll.events(i));
                }
            }
        }

        private void ready(Conn c, int events) {
            try {
                switch (c.state) {
                    case CONNECTING -> {
                        long now = System.nanoTime();
                        if ((events & (Epoll.EPOLLERR | Epoll.EPOLLHUP)) != 0) {
                            int e = sys.getInt(c.fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_ERROR);
                            throw new ErrnoException("connect", e != 0 ? e : Errno.ECONNRESET);
                        }
                        connected(c, now);
                        c.sentAt = now;
                        sending(c);
                    }
                    case WRITING -> sending(c);
                    case READING -> reading(c);
                    case DRAINING -> draining(c);
                }
            } catch (IOException e) {
                fail(c, e);
            }
        }

        /** The handshake is done: time it and hand the port to the accept pairing. */
        private void connected(Conn c, long now) throws ErrnoException, SelfConnectException {
            c.connectNanos = now - c.connectStart;
            // first_byte runs from here when there is no request to send: a connect that completed at once left it at
            // 0, and every first_byte read as the machine's uptime, clamped to an hour (QA, 2026-12-06).
            c.sentAt = now;
            if (cycles.wantsConnected()) {
                cycles.connected(c.ticket, sys.localPort(c.fd), c.connectStart, now);
            }
            c.deadline = now + timeoutNanos;
            c.state = State.WRITING;
        }

        /** Writes what is left of the request, then waits for the response or closes. */
        private void sending(Conn c) throws IOException {
            long size = requestSize;
            while (c.requestDone < size) {
                long n = sys.writeOrErrno(c.fd, request.asSlice(c.requestDone), size - c.requestDone);
                if (n == -Errno.EAGAIN) {
                    watch(c, Epoll.EPOLLOUT);
                    return;
                }
                if (n < 0) {
                    throw new ErrnoException("write", (int) -n);
                }
                c.requestDone += n;
            }
            if (plan.http() != null) {
                c.http = spareParsers.isEmpty() ? new HttpResponseParser() : spareParsers.pop();
                c.http.begin();
                c.state = State.READING;
                watch(c, Epoll.EPOLLIN);
            } else if (plan.responseBytes() > 0) {
                c.responseLeft = plan.responseBytes();
                c.state = State.READING;
                // The sink has not answered yet (it has just been sent the request): wait, do not try.
                watch(c, Epoll.EPOLLIN);
            } else {
                beginClose(c);
            }
        }

        private void reading(Conn c) throws IOException {
            if (c.http != null) {
                readingHttp(c);
                return;
            }
            long before = c.responseLeft;
            while (c.responseLeft > 0) {
                long n = sys.readOrErrno(c.fd, buffer, Math.min(buffer.byteSize(), c.responseLeft));
                if (n == -Errno.EAGAIN) {
                    if (c.responseLeft < before) {
                        readMore(c);
                    }
                    return; // still watched for EPOLLIN
                }
                if (n < 0) {
                    throw new ErrnoException("read", (int) -n);
                }
                if (n == 0) {
                    throw new IOException("connection closed after " + (plan.responseBytes() - c.responseLeft) + " of "
                            + plan.responseBytes() + " response bytes");
                }
                if (c.firstByte < 0) {
                    c.firstByte = System.nanoTime() - c.sentAt;
                }
                c.responseLeft -= n;
            }
            beginClose(c);
        }

        /**
         * Reads the HTTP response as far as it has come, never past its end (the parser says how
         * much it still wants), and feeds it to the parser; a whole one goes on to the close.
         */
        private void readingHttp(Conn c) throws IOException {
            HttpResponseParser p = c.http;
            boolean got = false;
            while (!p.done()) {
                long n = sys.readOrErrno(c.fd, buffer, Math.min(buffer.byteSize(), p.wants()));
                if (n == -Errno.EAGAIN) {
                    if (got) {
                        readMore(c);
                    }
                    return; // still watched for EPOLLIN
                }
                if (n < 0) {
                    throw new ErrnoException("read", (int) -n);
                }
                if (n == 0) {
                    p.end(); // completes a body without Content-Length, or says what was cut short
                    break;
                }
                if (c.firstByte < 0) {
                    c.firstByte = System.nanoTime() - c.sentAt;
                }
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, heap, 0, (int) n);
                p.feed(heap, 0, (int) n);
                got = true;
            }
            spareParsers.push(p);
            c.http = null;
            beginClose(c);
        }

        /**
         * Bytes came and more are due: the timeout bounds each read, as SO_TIMEOUT does on blocking and nio, not the
         * whole response (review, 2026-12-07: 10 bytes sent one each 300 ms timed out at 2 s here, not on blocking).
         * Only where a read found nothing more: a response read whole costs no clock reading.
         */
        private void readMore(Conn c) {
            c.deadline = System.nanoTime() + timeoutNanos;
        }

        private void beginClose(Conn c) throws IOException {
            c.closeStart = System.nanoTime();
            c.deadline = c.closeStart + timeoutNanos;
            if (plan.closer() == Closer.HALF) {
                sys.shutdownOutput(c.fd);
            }
            if (plan.readsEofBeforeClose()) {
                c.state = State.DRAINING;
                draining(c);
            } else {
                finish(c);
            }
        }

        /** Reads and discards until the peer's FIN, then closes. */
        private void draining(Conn c) throws IOException {
            while (true) {
                long n = sys.readOrErrno(c.fd, buffer, buffer.byteSize());
                if (n == 0) {
                    finish(c);
                    return;
                }
                if (n == -Errno.EAGAIN) {
                    watch(c, Epoll.EPOLLIN);
                    return;
                }
                if (n < 0) {
                    throw new ErrnoException("read", (int) -n);
                }
                c.drained += n;
                if (c.drained > ClientPlan.MAX_DRAIN_BYTES) {
                    throw new IOException("peer sent more than " + ClientPlan.MAX_DRAIN_BYTES + " bytes instead of closing");
                }
            }
        }

        private void finish(Conn c) throws ErrnoException {
            remove(c);
            int fd = c.fd;
            c.fd = -1; // close(2) releases it even when it fails: never close it twice
            // close(2) also takes it out of the epoll set (no other copy of the descriptor exists)
            sys.close(fd);
            long end = System.nanoTime();
            cycles.completed(c.ticket, c.connectNanos, c.firstByte, end - c.closeStart, end);
            slotFreed();
        }

        private void fail(Conn c, IOException e) {
            if (c.http != null) {
                spareParsers.push(c.http);
                c.http = null;
            }
            if (c.index >= 0) {
                remove(c);
            }
            if (c.fd >= 0) {
                sys.closeQuietly(c.fd);
                c.fd = -1;
            }
            cycles.failed(c.ticket, e);
            slotFreed();
        }

        @Override
        void expire(long now) {
            for (int i = liveCount - 1; i >= 0; i--) {
                Conn c = live[i];
                if (now - c.deadline > 0) {
                    fail(c, timedOut(c));
                }
            }
        }

        /**
         * Names the step that waited too long, as the blocking transports do, and how far the response had come: a
         * run against a server answering fewer bytes than --response (a 'churn serve' without the same --response)
         * then says so, where "read timed out" alone would not.
         */
        private SocketTimeoutException timedOut(Conn c) {
            String head = switch (c.state) {
                case CONNECTING -> "Connect";
                case WRITING -> "Write";
                case READING, DRAINING -> "Read";
            } + " timed out after " + plan.timeoutMillis() + " ms";
            return new SocketTimeoutException(switch (c.state) {
                case READING -> head + ": " + (c.http != null ? "the HTTP response had not ended"
                        : Payloads.cameOf(plan.responseBytes() - c.responseLeft, plan.responseBytes()));
                case DRAINING -> head + ": waiting for the server's FIN";
                default -> head;
            });
        }

        private void watch(Conn c, int events) throws ErrnoException {
            if (c.watching == 0) {
                epoll.add(c.fd, events);
                if (c.fd >= byFd.length) {
                    byFd = Arrays.copyOf(byFd, Math.max(byFd.length * 2, c.fd + 1));
                }
                byFd[c.fd] = c;
            } else if (c.watching != events) {
                epoll.modify(c.fd, events);
            }
            c.watching = events;
        }

        private void add(Conn c) {
            if (liveCount == live.length) {
                live = Arrays.copyOf(live, live.length * 2);
            }
            c.index = liveCount;
            live[liveCount++] = c;
            slotTaken();
        }

        /** Swap-remove, and out of the descriptor table before the descriptor can be reused. */
        private void remove(Conn c) {
            int i = c.index;
            Conn last = live[--liveCount];
            live[liveCount] = null;
            if (last != c) {
                live[i] = last;
                last.index = i;
            }
            c.index = -1;
            if (c.watching != 0) {
                byFd[c.fd] = null;
                c.watching = 0;
            }
        }

        @Override
        public void close() {
            while (liveCount > 0) {
                fail(live[liveCount - 1], new IOException("run ended with the cycle in flight"));
            }
            epoll.close();
        }
    }
}
