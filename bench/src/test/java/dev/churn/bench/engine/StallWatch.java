package dev.churn.bench.engine;

import java.util.concurrent.locks.LockSupport;

/**
 * A thread beside a run that parks 1 ms at a time and keeps its latest wake-up: how long this JVM could not run a
 * thread that asked to (CPU taken by other processes, a cold JVM's compiler threads, a GC pause). A test that asserts
 * a schedule was kept tells a machine that held the run up from a generator that fell behind by it.
 */
final class StallWatch implements AutoCloseable {

    private static final long TICK_NANOS = 1_000_000;

    private final Thread thread;
    private volatile boolean stop;
    private volatile long worstNanos;

    private StallWatch() {
        thread = Thread.ofPlatform().daemon().name("stall-watch").start(this::watch);
    }

    static StallWatch start() {
        return new StallWatch();
    }

    private void watch() {
        while (!stop) {
            long due = System.nanoTime() + TICK_NANOS;
            for (long wait = TICK_NANOS; wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            long late = System.nanoTime() - due;
            if (late > worstNanos) {
                worstNanos = late;
            }
        }
    }

    /** The latest wake-up so far: how much later than asked, in nanoseconds. */
    long worstNanos() {
        return worstNanos;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
    }
}
