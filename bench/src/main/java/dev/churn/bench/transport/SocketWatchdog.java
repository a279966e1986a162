package dev.churn.bench.transport;

import dev.churn.bench.posix.ErrnoException;
import dev.churn.bench.posix.SocketCalls;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces the connect and read timeouts of blocking sockets on platform threads without the JDK's
 * timed operations. A timed connect costs five extra system calls (non-blocking switch there and
 * back, poll, two getsockopt); SO_TIMEOUT makes every socket non-blocking (two fcntl) and every read
 * that finds nothing yet a failed read, a poll and a second read: four more per request/response
 * cycle. Workers call untimed and register the socket in their {@link Slot} for the call; one thread
 * closes any socket whose call outlives its deadline, which ends the blocked call. Socket and
 * watchdog settle each call with one compare-and-set: exactly one of them wins.
 *
 * <p>The {@code raw} transport's descriptors are watched the same way through a
 * {@link DescriptorSlot}, instead of SO_SNDTIMEO and SO_RCVTIMEO: two setsockopt(2) a
 * request/response cycle, each about a microsecond on this project's virtual machines, on the
 * critical path of a ping-pong (2026-12-02, CRR with no TIME_WAIT against a C server: 8 of 8
 * alternating pairs faster without them, median pair ratio 1.04).
 *
 * <p>{@link #close} ends every call still watched, and any begun after it, at once: the transport
 * closes the watchdog when its workers ended or were given up on ({@link WorkerThreads}), and a
 * given-up worker's call, no longer watched, stayed blocked for as long as the server kept the
 * connection, its thread and socket with it (GivenUpCycleTest).
 */
final class SocketWatchdog implements AutoCloseable {

    /** A scan every 1/50 of the timeout: a call ends at most 2% late, and waking costs what it must. */
    static final int SCANS_PER_TIMEOUT = 50;
    static final long MIN_SCAN_NANOS = 1_000_000;
    static final long MAX_SCAN_NANOS = 100_000_000;

    /** What the watchdog scans: one worker's blocking call in progress, if any. */
    private interface Watched {
        /** Ends the call if it is past its deadline; {@code sys} is the watchdog thread's own. */
        void expireIfDue(long now, SocketCalls sys);

        /** Ends the call, if any, whatever its deadline (the watchdog closed); {@code sys} is the calling thread's own. */
        void endNow(SocketCalls sys);
    }

    /**
     * One worker's blocking call on a {@link Socket} in progress, if any. Consecutive calls share a socket (a
     * response in several reads, the drain after it), so the socket alone cannot tell them apart: a watchdog that read
     * a call's socket and its deadline, past due, while the worker ended that call and began the next on the same
     * socket, had its compare-and-set succeed and closed the socket under the next call, not overdue (3 of 35,000
     * such pairs in SocketWatchdogTest). Each call carries a generation, as in {@link DescriptorSlot}.
     */
    static final class Slot implements Watched {
        /** The watchdog whose close ends the calls begun after it; null: one that never closes. */
        private final SocketWatchdog owner;
        /** generation << 1 | 1 while a call is watched, generation << 1 when none is. */
        private final AtomicLong call = new AtomicLong();
        /**
         * The call's socket and deadline, published by the volatile write of {@link #call} that follows them: the
         * watchdog reads them after it, and a value of a later call only goes with a compare-and-set that fails.
         */
        private Socket socket;
        private long deadlineNanos;
        /** Written by the worker only: its call's {@link #call} while watched. */
        private long current;

        Slot() {
            this(null);
        }

        Slot(SocketWatchdog owner) {
            this.owner = owner;
        }

        /** Marks a blocking call on {@code s} as started; it times out at {@code deadlineNanos}. */
        void begin(Socket s, long deadlineNanos) {
            this.socket = s;
            this.deadlineNanos = deadlineNanos;
            current = (current | 1) + 2;
            call.set(current);
            if (owner != null && owner.closed) {
                endNow(null); // after close: see SocketWatchdog.close
            }
        }

        /** Ends the call begun last: false when the watchdog already timed it out (and closed its socket). */
        boolean end() {
            return call.compareAndSet(current, current & ~1L);
        }

        @Override
        public void expireIfDue(long now, SocketCalls sys) {
            expire(now, false);
        }

        @Override
        public void endNow(SocketCalls sys) {
            expire(0, true);
        }

        private void expire(long now, boolean anyway) {
            long c = call.get();
            if ((c & 1) == 0) {
                return;
            }
            // Socket and deadline are read after c: c's own or a later call's, and a later call's begin came after
            // c's end, so the compare-and-set below fails for it.
            Socket s = socket;
            if ((anyway || now - deadlineNanos > 0) && call.compareAndSet(c, c & ~1L)) {
                try {
                    s.close(); // makes the blocked call throw; the worker reports a timeout
                } catch (IOException ignored) {
                    // closed either way
                }
            }
        }
    }

    /**
     * One worker's blocking call on a raw descriptor in progress, if any. An overdue call is ended
     * with shutdown(2), not close(2): a descriptor closed under a blocked call stays open until the
     * call returns, and its number is the worker's to close and reuse. shutdown ends a blocked
     * connect (the kernel disconnects a SYN_SENT socket), read (end of file) or write (EPIPE). The
     * worker does not close the descriptor while the watchdog is in shutdown(2) on it, and each call
     * carries a generation beside the descriptor, so a number reused by the worker's next socket is
     * never taken for the last one's.
     */
    static final class DescriptorSlot implements Watched {
        private static final long IDLE = -1;
        private static final long FIRING = -2;
        private static final long FIRED = -3;
        /** The watchdog whose close ends the calls begun after it; null: one that never closes. */
        private final SocketWatchdog owner;
        /** generation << 32 | descriptor while a call is watched, else one of the states above. */
        private final AtomicLong watched = new AtomicLong(IDLE);
        private volatile long deadlineNanos;
        /** Written by the worker only. */
        private long generation;

        DescriptorSlot() {
            this(null);
        }

        DescriptorSlot(SocketWatchdog owner) {
            this.owner = owner;
        }

        /** Marks a blocking call on {@code fd} as started; it times out at {@code deadlineNanos}. */
        void begin(int fd, long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
            generation = (generation + 1) & 0x7fff_ffffL;
            watched.set(generation << 32 | fd);
            if (owner != null && owner.closed) {
                endNow(new SocketCalls()); // after close (see SocketWatchdog.close): rare, so made here
            }
        }

        /**
         * Ends the call: false when the watchdog timed it out, in which case the descriptor has been
         * shut down by the time this returns (and the caller still closes it).
         */
        boolean end() {
            long w = watched.get();
            if (w >= 0 && watched.compareAndSet(w, IDLE)) {
                return true;
            }
            while (watched.get() == FIRING) {
                Thread.onSpinWait(); // a shutdown(2) call: microseconds
            }
            watched.set(IDLE);
            return false;
        }

        @Override
        public void expireIfDue(long now, SocketCalls sys) {
            expire(now, false, sys);
        }

        @Override
        public void endNow(SocketCalls sys) {
            expire(0, true, sys);
        }

        private void expire(long now, boolean anyway, SocketCalls sys) {
            long w = watched.get();
            // The deadline read after w belongs to w's call or a later one; a later one's begin came
            // after w's end, so the compare-and-set below fails for it.
            if (w >= 0 && (anyway || now - deadlineNanos > 0) && watched.compareAndSet(w, FIRING)) {
                try {
                    sys.shutdown((int) w, SocketCalls.SHUT_RDWR);
                } catch (ErrnoException ignored) {
                    // not connected: a connect that failed as it timed out; the worker sees its error
                } finally {
                    watched.set(FIRED);
                }
            }
        }
    }

    private final List<Watched> slots = new CopyOnWriteArrayList<>();
    private final long scanNanos;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * A watchdog for calls that time out after {@code timeout}. It scans every 1/50 of it, between
     * 1 and 100 ms: with the default 5 s, ten wake-ups a second where a fixed 10 ms scan made a
     * hundred, each a context switch on a machine whose two cores the client and its server keep busy
     * (the watchdog thread took 40 ms of CPU in an 11 s blocking run with the 10 ms scan, 2026-12-05).
     */
    SocketWatchdog(Duration timeout) {
        scanNanos = scanNanos(timeout);
        thread = Thread.ofPlatform().name("churn-socket-watchdog").daemon().start(this::watch);
    }

    static long scanNanos(Duration timeout) {
        long t = timeout.toNanos();
        return Math.max(MIN_SCAN_NANOS, Math.min(MAX_SCAN_NANOS, t / SCANS_PER_TIMEOUT));
    }

    /** A new slot for one worker thread's sockets. */
    Slot slot() {
        Slot s = new Slot(this);
        slots.add(s);
        return s;
    }

    /** A new slot for one worker thread's raw descriptors. */
    DescriptorSlot descriptorSlot() {
        DescriptorSlot s = new DescriptorSlot(this);
        slots.add(s);
        return s;
    }

    private void watch() {
        SocketCalls sys = new SocketCalls();
        while (!closed) {
            LockSupport.parkNanos(scanNanos);
            long now = System.nanoTime();
            for (Watched slot : slots) {
                slot.expireIfDue(now, sys);
            }
        }
    }

    /**
     * Stops and joins the watchdog thread, and ends every call still watched, and any a worker begins after: no one
     * would end them any more. The workers have all ended by now, or were given up on and their outcomes are dropped.
     * A slot's begin writes its call before it reads {@link #closed}, and this writes closed before it reads the
     * slots: one of the two sees the other (volatile accesses), and the slot's compare-and-set lets only one end it.
     */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        LockSupport.unpark(thread);
        thread.join();
        SocketCalls sys = new SocketCalls();
        for (Watched slot : slots) {
            slot.endNow(sys);
        }
    }
}
