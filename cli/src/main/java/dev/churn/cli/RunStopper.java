package dev.churn.cli;

import dev.churn.bench.engine.ChurnEngine;
import dev.churn.bench.engine.RunListener;
import dev.churn.bench.engine.Tick;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a run is stopped from outside (Ctrl-C): {@link #stopAndAwait} stops the engine and waits,
 * bounded, until the command has written its results. The shutdown hook of {@code churn run} calls
 * it, and so do tests, on the same path. It listens to the run to know when cycles are flowing.
 */
final class RunStopper implements RunListener {

    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch written = new CountDownLatch(1);
    private ChurnEngine engine;
    private boolean stopRequested;
    private Runnable onStop = () -> {};

    /** The engine to stop; stops it at once when a stop was asked for before it existed. */
    synchronized void attach(ChurnEngine e) {
        engine = e;
        if (stopRequested) {
            e.stop();
        }
    }

    @Override
    public void tick(Tick tick) {
        // A measured tick with a cycle done: a stop after it has something to keep. The first measured tick can come
        // as the measured part begins, before any of its cycles ended (a stop there, in a crowded build: "no
        // connection completed").
        if (!tick.warmup() && tick.completed() > 0) {
            running.countDown();
        }
    }

    /** Also runs this on a stop (at once if one was asked for already): what else must end, such as a wait to start. */
    void onStop(Runnable r) {
        boolean now;
        synchronized (this) {
            onStop = r;
            now = stopRequested;
        }
        if (now) {
            r.run();
        }
    }

    synchronized boolean stopRequested() {
        return stopRequested;
    }

    /** Waits until the run has reported a measured tick with a completed cycle; false when the wait ran out. */
    boolean awaitRunning(Duration max) throws InterruptedException {
        return running.await(max.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Says the results are written (or will never be): whoever waits in {@link #stopAndAwait} goes on. */
    void done() {
        running.countDown();
        written.countDown();
    }

    /** Stops the run and waits up to {@code max} for its results; false when the wait ran out. */
    boolean stopAndAwait(Duration max) {
        Runnable also;
        synchronized (this) {
            stopRequested = true;
            if (engine != null) {
                engine.stop();
            }
            also = onStop;
        }
        also.run();
        try {
            return written.await(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
