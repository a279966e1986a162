package dev.churn.bench.transport;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces the connect timeout of blocking sockets on platform threads without the JDK's timed
 * connect, which costs five extra system calls per connect (non-blocking switch there and back,
 * poll, two getsockopt). Workers connect untimed and register the socket in their {@link Slot};
 * one thread closes any socket whose connect outlives its deadline, which ends the blocked connect.
 * Socket and watchdog settle each connect with one compare-and-set: exactly one of them wins.
 */
final class ConnectWatchdog implements AutoCloseable {

    private static final long SCAN_NANOS = 10_000_000;

    /** One worker's connect in progress, if any. */
    static final class Slot {
        private final AtomicReference<Socket> connecting = new AtomicReference<>();
        private volatile long deadlineNanos;

        /** Marks the connect of {@code s} as started; it times out at {@code deadlineNanos}. */
        void begin(Socket s, long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
            connecting.set(s);
        }

        /** Ends the connect of {@code s}: false when the watchdog already timed it out (and closed it). */
        boolean end(Socket s) {
            return connecting.compareAndSet(s, null);
        }
    }

    private final List<Slot> slots = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    ConnectWatchdog() {
        thread = Thread.ofPlatform().name("churn-connect-watchdog").daemon().start(this::watch);
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
                Socket s = slot.connecting.get();
                if (s != null && now - slot.deadlineNanos > 0 && slot.connecting.compareAndSet(s, null)) {
                    try {
                        s.close(); // makes the blocked connect throw; the worker reports a timeout
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
