package dev.churn.bench.engine;

import dev.churn.bench.engine.RunResult.EndReason;
import dev.churn.monitor.CompilerCpu;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * The engine's reporting thread body: tells the listener the run started, ticks (ending the warm-up
 * on time), and after the last cycle a final partial tick, the result, and {@code finished}. It
 * keeps the per-phase totals of the measured part and its intervals' rates.
 *
 * <p>Ticks come every {@value #FINE_TICK_MILLIS} ms during the first {@value #FINE_SPAN_SECONDS} s
 * of the warm-up and of the measured part, then every second: a run shorter than a second still
 * gets a rate-over-time line in latency.hlog, and a long one a line per second. Not finer: a tick
 * flips, adds and compresses every phase's 33,792-slot histogram (about 1 ms of CPU warm, several
 * cold, and the JIT's compilations of all of it), which is CPU taken from the measurement on a
 * small machine. 50 ms ticks cost a cold 20,000-connection run 3.7% of its rate against 200 ms
 * ones (docs/performance.md). The rate trend ({@link RateTrend}) needs no histogram: the completed
 * count is read every {@value #RATE_SAMPLE_MILLIS} ms in that first second, so a sub-second run
 * still says whether its rate was climbing.
 */
final class Reporter implements Runnable {

    static final int FINE_TICK_MILLIS = 200;
    static final int RATE_SAMPLE_MILLIS = 50;
    static final int FINE_SPAN_SECONDS = 1;
    static final int REHEARSAL_TICKS = 60;
    private static final long FINE_TICK_NANOS = FINE_TICK_MILLIS * 1_000_000L;
    private static final long RATE_SAMPLE_NANOS = RATE_SAMPLE_MILLIS * 1_000_000L;
    private static final long FINE_SPAN_NANOS = FINE_SPAN_SECONDS * 1_000_000_000L;
    private static final long TICK_NANOS = 1_000_000_000L;

    private final RunInfo info;
    private final RunControl control;
    private final RunListener listener;
    private final long warmupNanos;
    private final Map<Phase, Histogram> totals = new EnumMap<>(Phase.class);
    // The warm-up's intervals (or, with no warm-up, rehearse()'s) are added up here and dropped: the
    // same add() as the measured part's totals, compiled before the measured part begins.
    private final Map<Phase, Histogram> rehearsal = new EnumMap<>(Phase.class);
    private final List<RateTrend.Interval> intervals = new ArrayList<>();
    private long lastCompleted;
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
            rehearsal.put(p, new Histogram(PhaseRecorder.HIGHEST_NANOS, 3));
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

    /**
     * The CPU time of this JVM's JIT compiler threads, for an automatic warm-up. They are looked for
     * again at most once a second (a listing of every thread: a run may have thousands), as the JVM
     * may start more of them under load (UseDynamicNumberOfCompilerThreads).
     */
    private static LongSupplier compilerNanos() {
        CompilerCpu c = CompilerCpu.of(Path.of("/proc"));
        long[] scanned = {System.nanoTime()};
        return () -> {
            long now = System.nanoTime();
            if (now - scanned[0] >= TICK_NANOS) {
                c.rescan();
                scanned[0] = now;
            }
            return c.cpuNanos();
        };
    }

    /** Set when the warm-up ended before its time because nothing in it completed. */
    private volatile RunResult.WarmupCut warmupCut;

    /** The first exception a listener call threw, or null. */
    RuntimeException listenerError() {
        return listenerError;
    }

    /** What ended this thread early (an OutOfMemoryError in a small heap), or null. */
    Throwable died() {
        return died;
    }

    private volatile Throwable died;

    @Override
    public void run() {
        // Whatever ends this thread early stops the run and opens the engine's wait for its start: an OutOfMemoryError in
        // rehearse() killed it before the latch, and the engine waited for good, deaf to Ctrl-C (QA, 2026-12-06, -Xmx24m).
        try {
            report();
        } catch (Throwable t) {
            died = t;
            control.end(EndReason.STOPPED);
        } finally {
            started.countDown();
        }
    }

    private void report() {
        call(() -> listener.started(info));
        if (warmupNanos == 0) {
            rehearse();
        }
        started.countDown();
        Uninterruptibly.await(begun);
        Generation g = control.generation();
        long intervalStart = g.startNanos; // the current tick's
        long sampleStart = intervalStart; // the current rate sample's
        long warmupEnd = intervalStart + warmupNanos;
        boolean warmupEnded = g.measured;
        AutoWarmup.Watch quiet = warmupEnded || info.spec().autoWarmup() == null ? null
                : info.spec().autoWarmup().watch(intervalStart, compilerNanos());
        while (true) {
            long age = intervalStart - g.startNanos;
            // Fine early in each part, and while the warm-up's last cycles end: the measured part
            // begins in that wait, and a short run must not fall whole into one long tick.
            boolean fine = age < FINE_SPAN_NANOS || (warmupEnded && !g.measured);
            long tickDue = intervalStart + (fine ? FINE_TICK_NANOS : TICK_NANOS);
            long next = fine ? Math.min(tickDue, sampleStart + RATE_SAMPLE_NANOS) : tickDue;
            if (!warmupEnded) {
                next = Math.min(next, warmupEnd);
            }
            long asleep = System.nanoTime();
            long wake = Math.max(asleep, next);
            boolean done = awaitDone(wake - asleep);
            long now = System.nanoTime();
            if (!done) {
                // Late against the schedule, not against the moment it went to sleep: a SIGSTOP that came while this
                // thread was awake (a tick's work) or before its first wait left it asleep past nothing, and the 2.5 s
                // stop of ProcessStallTest went unsaid in 3 of 6 runs (2026-12-07). The schedule is always after the
                // last wake (sampleStart + a rate sample, a tick after the last, the warm-up's end), so a tick's own
                // milliseconds count and nothing earlier does.
                noteStall(now - next, now);
            }
            Generation current = control.generation();
            boolean switched = current != g;
            if (switched) {
                // The measured part began during the wait: the warm-up's interval ends where it began.
                long begun = Math.max(intervalStart, current.startNanos);
                tick(g, intervalStart, begun);
                g = current;
                intervalStart = begun;
                sampleStart = begun;
                // The workers end the warm-up on its time whether or not this thread has (RunControl.claim): a wake
                // late past the warm-up's end (a loaded CI machine) finds the measured part begun, and the warm-up is
                // over here too. Ending it below would tick the measured part at once: a first interval of 1 ms
                // (CI, 2026-12-07, a 47 ms run logged as two lines).
                if (!warmupEnded) {
                    control.endWarmup();
                    warmupEnded = true;
                }
            }
            if (done) {
                // The last interval ends with the last cycle, not with the wait for the sink's accepts
                // and the threads' ends that followed it (the measured window ends there too).
                now = g.measured ? control.windowEnd(g, endNanos) : endNanos;
                sample(g, sampleStart, Math.max(now, sampleStart));
                tick(g, intervalStart, Math.max(now, intervalStart));
                break;
            }
            sample(g, sampleStart, Math.max(now, sampleStart));
            sampleStart = Math.max(now, sampleStart);
            boolean futile = !warmupEnded && control.warmupFutile(g);
            boolean warmupOver = !warmupEnded && (now - warmupEnd >= 0 || futile || quiet != null && quiet.quiet(now)
                    || control.warmupEndAsked());
            if (futile && now - warmupEnd < 0) {
                // One reading: its count is the kinds' sum, as failures were still being counted (review, 2026-12-06).
                Map<FailureKind, Failures.Stat> kinds = g.failures.snapshot();
                warmupCut = new RunResult.WarmupCut(now - g.startNanos,
                        kinds.values().stream().mapToLong(Failures.Stat::count).sum(), kinds);
            }
            // Not at the warm-up's tick just after the measured part began: its first interval is a whole fine tick, as
            // every run's is. An open loop whose warm-up's last cycles took 153 ms to end logged a first one of 47 ms
            // (QA, 2026-12-06); the next pass sets the new part's first tick.
            if (!switched && now - tickDue >= 0 || warmupOver) {
                tick(g, intervalStart, Math.max(now, intervalStart));
                intervalStart = Math.max(now, intervalStart);
            }
            if (warmupOver) {
                // The engine starts the measured part once the warm-up's cycles have ended.
                control.endWarmup();
                warmupEnded = true;
            }
        }
        RunResult r = build(g);
        result = r;
        call(() -> listener.finished(r));
    }

    /**
     * Before a run with no warm-up: {@value #REHEARSAL_TICKS} made-up warm-up ticks through the
     * totals' add() and {@link RunListener#rehearse}, so that the reporting code is compiled before
     * the measured part instead of in its first second (5 ticks there; 2026-12-03, a cold run of
     * 20,000 connections: 4% of its rate, docs/performance.md). The histograms are of the measured
     * ones' class, from a PhaseRecorder of their own, filled with recordValueWithCount, not the
     * recordValue the cycles use: what is compiled here is the reporting, not the measured path.
     */
    private void rehearse() {
        PhaseRecorder made = new PhaseRecorder();
        long at = info.startNanos();
        for (int i = 0; i < REHEARSAL_TICKS; i++) {
            Map<Phase, Histogram> intervals = new EnumMap<>(Phase.class);
            for (Phase p : Phase.values()) {
                // A spread of latencies from 1 µs to 5 ms, as a tick of a loopback run holds.
                for (long v = 1_000; v < 5_000_000; v += 7_919) {
                    made.recordCount(p, v, 1 + (v & 7));
                }
                Histogram h = made.interval(p);
                intervals.put(p, h);
                rehearsal.get(p).add(h);
            }
            Tick t = new Tick(true, at, at, Collections.unmodifiableMap(intervals), 0, 0, 0, 0);
            call(() -> listener.rehearse(t));
        }
    }

    private void tick(Generation g, long from, long to) {
        Map<Phase, Histogram> intervals = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            Histogram h = g.recorder.interval(p);
            intervals.put(p, h);
            if (h.getTotalCount() > 0) {
                // add() walks the whole counts array (33k slots up to an hour in ns), even of an empty
                // interval: phases a shape never records, 5 ticks a second in the first second.
                (g.measured ? totals : rehearsal).get(p).add(h);
            }
        }
        Tick t = new Tick(!g.measured, from, to, Collections.unmodifiableMap(intervals),
                g.attempted.get(), g.completed.sum(), g.failed.get(), g.inFlight());
        call(() -> listener.tick(t));
    }

    /** One interval of the measured part's rate for {@link RateTrend}: what completed between the two times. */
    private void sample(Generation g, long from, long to) {
        if (!g.measured || to == from) {
            return;
        }
        long completed = g.completed.sum();
        intervals.add(new RateTrend.Interval(to - from, completed - lastCompleted));
        lastCompleted = completed;
    }

    private RunResult build(Generation g) {
        EndReason reason = control.endReason() == null ? EndReason.STOPPED : control.endReason();
        if (!g.measured) {
            // The run ended during warm-up: nothing was measured, but what the warm-up met (the
            // failures that ended it, say) must not vanish from the report. Its span, and its failures' first
            // occurrences, count from the warm-up's start, after the listeners' (a cold first state sample: 50-90 ms):
            // given as the run's start, measuredFrom + firstAtMs came before the first connection (review, 2026-12-07).
            return new RunResult(info, g.attempted.get(), g.completed.sum(), g.failed.get(),
                    info.startEpochMillis() + (g.startNanos - info.startNanos()) / 1_000_000,
                    Math.max(0, endNanos - g.startNanos), Collections.unmodifiableMap(totals), g.failures.snapshot(),
                    reason, true, null, null, null, g.tlsResumed.sum()).withShortagePauses(pauses(g)).withStall(stall(g));
        }
        // A closed loop's window starts at its first cycle, after the measured part's threads started (2-5 ms of the
        // default run's 0.18 s, 14-18 ms of a cold run of 1,000 connections' 0.1 s: 2026-12-05); an open loop's at its
        // schedule's start, whose first starts may be late, and that lateness is the client's to show.
        long from = control.openLoop() ? g.startNanos : g.windowStart();
        long measuredStartEpoch = info.startEpochMillis() + (from - info.startNanos()) / 1_000_000;
        long windowEnd = control.windowEnd(g, endNanos);
        RateTrend trend = control.openLoop() ? null : RateTrend.of(intervals, from - g.startNanos);
        return new RunResult(info, g.attempted.get(), g.completed.sum(), g.failed.get(), measuredStartEpoch,
                Math.max(0, windowEnd - from), Collections.unmodifiableMap(totals), g.failures.snapshotFrom(from), reason,
                false, control.schedule(g, windowEnd), trend, control.acceptPairing(), g.tlsResumed.sum())
                .withWarmupCut(warmupCut).withShortagePauses(pauses(g)).withStall(stall(g))
                .withFirstCycleAfter(control.openLoop() || !g.anyStarted() ? -1 : from - g.startNanos)
                .withOverCeiling(g.recorder.overCeiling());
    }

    // The longest oversleep, and when it ended (System.nanoTime): a process stopped or starved stands still whole.
    private long longestStallNanos;
    private long stallEndNanos;

    private void noteStall(long late, long now) {
        if (late > longestStallNanos) {
            longestStallNanos = late;
            stallEndNanos = now;
        }
    }

    private RunResult.Stall stall(Generation g) {
        if (longestStallNanos < RunResult.STALL_WORTH_SAYING_NANOS) {
            return null;
        }
        long begun = stallEndNanos - longestStallNanos;
        return new RunResult.Stall(longestStallNanos, stallEndNanos - info.startNanos(), !g.measured || begun - g.startNanos < 0);
    }

    private static RunResult.ShortagePauses pauses(Generation g) {
        long n = g.backoff.pauses();
        return n == 0 ? RunResult.ShortagePauses.NONE : new RunResult.ShortagePauses(n, g.backoff.pausedNanos());
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
