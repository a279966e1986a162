package dev.churn.bench.transport;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces the connect and read timeouts of blocking sockets on platform threads without the JDK's
 * timed operations. A timed connect costs five extra system calls (non-blocking switch there and
 * back, poll, two getsockopt); SO_TIMEOUT makes every socket non-blocking (two fcntl) and every read
 * that finds nothing yet a failed read, a poll and a second read: four more per request/response
 * cycle. Workers call untimed and register the socket in their {@link Slot} for the call; one thread
 * closes any socket whose call outlives its deadline, which ends the blocked call. Socket and
 * watchdog settle each call with one compare-and-set: exactly one of them wins.
 */
final class SocketWatchdog implements AutoCloseable {

    private static final long SCAN_NANOS = 10_000_000;

    /** One worker's blocking call in progress, if any. */
    static final class Slot {
        private final AtomicReference<Socket> watched = new AtomicReference<>();
        private volatile long deadlineNanos;

        /** Marks a blocking call on {@code s} as started; it times out at {@code deadlineNanos}. */
        void begin(Socket s, long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
            watched.set(s);
        }

        /** Ends the call on {@code s}: false when the watchdog already timed it out (and closed the socket). */
        boolean end(Socket s) {
            return watched.compareAndSet(s, null);
        }
    }

    private final List<Slot> slots = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    SocketWatchdog() {
        thread = Thread.ofPlatform().name("churn-socket-watchdog").daemon().start(this::watch);
    }

    /** A new slot for one worker thread. */
    Slot slot() {
        Slot s = new Slot();
        slots.add(s);
        return s;
    }

    private void watch() {
        while (!closed) {
            LockSupport.parkNanos(SCAN_NANOS);
            long now = System.nanoTime();
            for (Slot slot : slots) {
                Socket s = slot.watched.get();
                if (s != null && now - slot.deadlineNanos > 0 && slot.watched.compareAndSet(s, null)) {
                    try {
                        s.close(); // makes the blocked call throw; the worker reports a timeout
                    } catch (IOException ignored) {
                        // closed either way
                    }
                }
            }
        }
    }

    /** Stops and joins the watchdog thread. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        LockSupport.unpark(thread);
        thread.join();
    }
}
