package dev.churn.bench.transport;

import dev.churn.bench.config.Closer;
import dev.churn.bench.posix.ErrnoException;
import dev.churn.bench.posix.SocketCalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketTimeoutException;

/**
 * One connection cycle on a raw descriptor: socket(2), connect(2), the close choreography and
 * close(2) through FFM, with none of the JDK's socket layer (no dual-stack socket, no getsockname
 * after connect, no getsockopt and shutdown inside close). What is left is the kernel's cost, the
 * same calls a C client makes. Its timeouts are a {@link SocketWatchdog}'s when it has a slot (the
 * {@code raw} transport), else SO_SNDTIMEO and SO_RCVTIMEO, a setsockopt each per socket (the JMH
 * suite's runner). Not thread-safe: one per thread.
 */
final class RawCycle {

    private final ClientPlan plan;
    /** Times connect, writes and reads when not null; else the socket's own timeouts do. */
    private final SocketWatchdog.DescriptorSlot watchdog;
    private final long timeoutNanos;
    private final SocketCalls sys = new SocketCalls();
    private final int family;
    private final MemorySegment target;
    private final int targetLength;
    private final MemorySegment request;
    private final MemorySegment buffer;

    /** A cycle timed by SO_SNDTIMEO and SO_RCVTIMEO on each socket. */
    RawCycle(ClientPlan plan) {
        this(plan, null);
    }

    /** A cycle whose connect, writes and reads are untimed and watched by a watchdog slot, when not null. */
    RawCycle(ClientPlan plan, SocketWatchdog.DescriptorSlot watchdog) {
        this.plan = plan;
        this.watchdog = watchdog;
        this.timeoutNanos = plan.connectTimeout().toNanos();
        Arena arena = Arena.ofAuto();
        this.family = SocketCalls.family(plan.target().getAddress());
        this.target = arena.allocate(32, 8);
        this.targetLength = SocketCalls.encode(plan.target(), target);
        this.request = arena.allocate(Math.max(1, plan.requestBytes())).fill((byte) 'q');
        this.buffer = arena.allocate(Payloads.readBufferSize(plan));
    }

    /** Runs the ticket's cycle and reports it to {@code cycles} as completed or failed. */
    void run(Cycles cycles, Ticket t) {
        int fd;
        try {
            fd = open();
        } catch (IOException e) {
            cycles.failed(t, e);
            return;
        }
        try {
            long c0 = System.nanoTime();
            connect(fd, c0);
            long c1 = System.nanoTime();
            long firstByte = -1;
            long w0 = c1;
            try {
                if (plan.requestBytes() > 0) {
                    w0 = System.nanoTime();
                    write(fd);
                }
            } finally {
                // After the request, not before: the sink, woken by the handshake, finds it waiting
                // instead of blocking for it (a wake-up per cycle that a C client does not cause).
                if (cycles.wantsConnected()) {
                    cycles.connected(t, sys.localPort(fd), c0, c1);
                }
            }
            if (plan.responseBytes() > 0) {
                firstByte = readResponse(fd, w0);
            }
            long k0 = System.nanoTime();
            if (plan.closer() == Closer.HALF) {
                sys.shutdownOutput(fd);
            }
            if (plan.readsEofBeforeClose()) {
                drainToEof(fd);
            }
            // CLIENT, NEVER: close sends our FIN; ABORT: SO_LINGER 0 is set, so close sends RST.
            int closing = fd;
            fd = -1; // close(2) releases it even when it fails: never close it twice
            sys.close(closing);
            long k1 = System.nanoTime();
            cycles.completed(t, c1 - c0, firstByte, k1 - k0, k1);
        } catch (IOException e) {
            if (fd >= 0) {
                sys.closeQuietly(fd);
            }
            cycles.failed(t, e);
        }
    }

    private int open() throws IOException {
        int fd = sys.socket(family);
        try {
            if (watchdog == null) {
                plan.configure(sys, fd);
            } else {
                plan.configureUntimed(sys, fd);
            }
            return fd;
        } catch (IOException | RuntimeException e) {
            sys.closeQuietly(fd);
            throw e;
        }
    }

    /** Reads the whole response; returns nanoseconds from {@code sentNanos} to its first byte. */
    private long readResponse(int fd, long sentNanos) throws IOException {
        int n = plan.responseBytes();
        long left = n;
        long firstByte = -1;
        while (left > 0) {
            long r;
            try {
                r = read(fd, Math.min(left, buffer.byteSize()));
            } catch (SocketTimeoutException e) {
                throw Payloads.cameShort(e, n - left, n);
            }
            if (r == 0) {
                throw new IOException("connection closed after " + (n - left) + " of " + n + " response bytes");
            }
            if (firstByte < 0) {
                firstByte = System.nanoTime() - sentNanos;
            }
            left -= r;
        }
        return firstByte;
    }

    /** Reads and discards until the peer's FIN, at most {@link ClientPlan#MAX_DRAIN_BYTES}. */
    private void drainToEof(int fd) throws IOException {
        long total = 0;
        try {
            for (long r = read(fd, buffer.byteSize()); r > 0; r = read(fd, buffer.byteSize())) {
                total += r;
                if (total > ClientPlan.MAX_DRAIN_BYTES) {
                    throw new IOException("peer sent more than " + ClientPlan.MAX_DRAIN_BYTES + " bytes instead of closing");
                }
            }
        } catch (SocketTimeoutException e) {
            throw Payloads.awaitingFin(e);
        }
    }

    /** The blocking calls a cycle makes on its descriptor, each watched when there is a watchdog. */
    private enum Call {
        CONNECT("Connect"), WRITE("Write"), READ("Read");

        final String what;

        Call(String what) {
            this.what = what;
        }
    }

    private void connect(int fd, long startNanos) throws IOException {
        watched(Call.CONNECT, fd, 0, startNanos);
    }

    private void write(int fd) throws IOException {
        watched(Call.WRITE, fd, 0, System.nanoTime());
    }

    /** One read into the buffer: bytes, or 0 at the peer's FIN; a read the watchdog shut down is a timeout. */
    private long read(int fd, long max) throws IOException {
        return watched(Call.READ, fd, max, System.nanoTime());
    }

    /**
     * Makes the call, watched from {@code startNanos} for the timeout when there is a watchdog: a
     * call it shut down fails as a timeout, whatever the call itself returned or threw.
     */
    private long watched(Call call, int fd, long max, long startNanos) throws IOException {
        if (watchdog == null) {
            return make(call, fd, max);
        }
        watchdog.begin(fd, startNanos + timeoutNanos);
        long r;
        try {
            r = make(call, fd, max);
        } catch (ErrnoException e) {
            throw watchdog.end() ? e : timedOut(call.what, e);
        } catch (RuntimeException e) {
            watchdog.end(); // never leave the slot on a descriptor number the next socket may reuse
            throw e;
        }
        if (!watchdog.end()) {
            throw timedOut(call.what, null);
        }
        return r;
    }

    private long make(Call call, int fd, long max) throws ErrnoException {
        return switch (call) {
            case CONNECT -> {
                sys.connect(fd, target, targetLength);
                yield 0;
            }
            case WRITE -> {
                sys.writeFully(fd, request, plan.requestBytes());
                yield plan.requestBytes();
            }
            case READ -> sys.read(fd, buffer, max);
        };
    }

    private SocketTimeoutException timedOut(String what, IOException cause) {
        SocketTimeoutException t = new SocketTimeoutException(what + " timed out after " + plan.timeoutMillis() + " ms");
        t.initCause(cause);
        return t;
    }
}
