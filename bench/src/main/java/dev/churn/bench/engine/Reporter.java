package dev.churn.bench.engine;

import dev.churn.bench.engine.RunResult.EndReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The engine's reporting thread body: tells the listener the run started, ticks about once a second
 * (ending the warm-up on time), and after the last cycle a final partial tick, the result, and
 * {@code finished}. It keeps the per-phase totals of the measured part.
 */
final class Reporter implements Runnable {

    private static final long TICK_NANOS = 1_000_000_000L;

    private final RunInfo info;
    private final RunControl control;
    private final RunListener listener;
    private final long warmupNanos;
    private final Map<Phase, Histogram> totals = new EnumMap<>(Phase.class);
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch begun = new CountDownLatch(1);
    final CountDownLatch done = new CountDownLatch(1);
    private volatile long endNanos;
    private volatile RunResult result;
    private volatile RuntimeException listenerError;

    Reporter(RunInfo info, RunControl control, RunListener listener) {
        this.info = info;
        this.control = control;
        this.listener = listener;
        this.warmupNanos = info.spec().warmup().toNanos();
        for (Phase p : Phase.values()) {
            Histogram h = new Histogram(PhaseRecorder.HIGHEST_NANOS, 3);
            h.setTag(p.label());
            totals.put(p, h);
        }
    }

    /** Called by the engine once every cycle has ended, with the time the last one did. */
    void workersDone(long nanos) {
        endNanos = nanos;
        done.countDown();
    }

    RunResult result() {
        return result;
    }

    /** The first exception a listener call threw, or null. */
    RuntimeException listenerError() {
        return listenerError;
    }

    @Override
    public void run() {
        call(() -> listener.started(info));
        started.countDown();
        Uninterruptibly.await(begun);
        long intervalStart = control.generation().startNanos;
        long warmupEnd = intervalStart + warmupNanos;
        while (true) {
            Generation g = control.generation();
            long next = intervalStart + TICK_NANOS;
            if (!g.measured) {
                next = Math.min(next, warmupEnd);
            }
            if (awaitDone(next - System.nanoTime())) {
                break;
            }
            long now = System.nanoTime();
            tick(g, intervalStart, now);
            if (!g.measured && now - warmupEnd >= 0) {
                control.beginMeasured(now);
            }
            intervalStart = now;
        }
        Generation g = control.generation();
        tick(g, intervalStart, Math.max(endNanos, intervalStart));
        RunResult r = build(g);
        result = r;
        call(() -> listener.finished(r));
    }

    private void tick(Generation g, long from, long to) {
        Map<Phase, Histogram> intervals = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            Histogram h = g.recorder.interval(p);
            intervals.put(p, h);
            if (g.measured) {
                totals.get(p).add(h);
            }
        }
        Tick t = new Tick(!g.measured, from, to, Collections.unmodifiableMap(intervals),
                g.attempted.get(), g.completed.sum(), g.failed.get(), control.inFlight());
        call(() -> listener.tick(t));
    }

    private RunResult build(Generation g) {
        EndReason reason = control.endReason() == null ? EndReason.STOPPED : control.endReason();
        if (!g.measured) {
            // The run ended during warm-up: nothing was measured, but what the warm-up met (the
            // failures that ended it, say) must not vanish from the report.
            return new RunResult(info, g.attempted.get(), g.completed.sum(), g.failed.get(), info.startEpochMillis(),
                    Math.max(0, endNanos - g.startNanos), Collections.unmodifiableMap(totals), g.failures.snapshot(),
                    reason, true);
        }
        long measuredStartEpoch = info.startEpochMillis() + (g.startNanos - info.startNanos()) / 1_000_000;
        return new RunResult(info, g.attempted.get(), g.completed.sum(), g.failed.get(), measuredStartEpoch,
                Math.max(0, endNanos - g.startNanos), Collections.unmodifiableMap(totals), g.failures.snapshot(), reason,
                false);
    }

    /** Runs a listener call; an exception stops the run and is rethrown by the engine at the end. */
    private void call(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            if (listenerError == null) {
                listenerError = e;
            }
            control.end(EndReason.STOPPED);
        }
    }

    private boolean awaitDone(long nanos) {
        try {
            return done.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // Only the engine stops this thread, through done; an interrupt ends the run early.
            control.end(EndReason.STOPPED);
            Uninterruptibly.await(done);
            return true;
        }
    }
}
