package dev.churn.monitor;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Samples a {@link StateSource} at a fixed rate on one daemon thread ({@value #THREAD_NAME}) into a
 * {@link StateSeries}. Build one with {@link #builder}, {@link #start()} it, read
 * {@link #series()} live, and {@link #stop()} it (or close it) to take a final sample and get the
 * series. The sampler owns the source while it runs but does not close it: the caller does.
 *
 * <p>Ticks fall at {@code start + k * interval}, so the rate does not drift with the cost of each
 * sample; a tick missed because a sample ran long is skipped, not made up in a burst. A failing
 * sample is recorded in the series ({@link StateSeries#errorCount()}, first message kept) and the
 * thread goes on. Each tick allocates only what the sample itself holds.
 *
 * <p>The interval is a wish: a sample that costs more CPU than the budget allows ({@link
 * Builder#maxDuty}), or takes longer than the interval, puts the next tick off. Each {@link Sample}
 * carries the actual interval, and {@link Builder#onStretch} hears once, the first time, why the
 * interval cannot be kept, so a user is told rather than left to wonder at sparse samples.
 */
public final class StateSampler implements AutoCloseable {

    /** The name of the sampling thread. */
    public static final String THREAD_NAME = "churn-state-sampler";

    /** The share of one CPU sampling may take when nobody says otherwise: 5%. */
    public static final double DEFAULT_MAX_DUTY = 0.05;

    /** The sampling interval when nobody says otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    // How long stop() waits for a sample in progress before giving up on the thread.
    private static final long STOP_WAIT_MILLIS = 5_000;

    /** Reads {@code /proc/net/sockstat} for each sample; {@code SockstatReader::read} fits. */
    @FunctionalInterface
    public interface SockstatProbe {
        /** No sockstat (not Linux, or not wanted): every sample gets {@link Sockstat#UNKNOWN}. */
        SockstatProbe NONE = () -> Sockstat.UNKNOWN;

        /** The TCP line of sockstat now. */
        Sockstat read() throws IOException;
    }

    private final StateSource source;
    private final SocketFilter filter;
    private final long intervalNanos;
    private final double maxDuty;
    private final SockstatProbe sockstat;
    private final Consumer<Sample> listener;
    private final Consumer<Exception> errorListener;
    private final StateSeries series;

    private final Object lifecycle = new Object();
    private volatile boolean running;
    private Thread thread;
    private boolean started;
    private boolean stopped;
    private long startNanos;
    private boolean clockStarted;
    private final boolean origin;
    private final long originNanos;
    private final Consumer<Stretch> stretchListener;
    private boolean stretchTold;
    // elapsedNanos of the previous sample, for each sample's actual interval; -1 before the first
    private long previousElapsed = -1;
    // The sampling thread's CPU over its samples so far; written by that thread alone, -1 where the JVM cannot tell.
    private volatile long spentCpuNanos = THREADS.isCurrentThreadCpuTimeSupported() ? 0 : -1;

    /** Why the interval cannot be kept: the sampling budget ({@link Builder#maxDuty}) or samples slower than it. */
    public enum StretchCause {
        /** A sample costs more CPU than {@code maxDuty} of one CPU allows at this interval. */
        CPU_BUDGET,
        /** A sample takes longer (wall clock) than the interval itself. */
        SLOW_SAMPLE
    }

    /**
     * The first time a tick had to be put off: the interval asked for, the one this tick gets, and
     * what the sample that caused it cost (CPU time for {@link StretchCause#CPU_BUDGET}, wall time
     * for {@link StretchCause#SLOW_SAMPLE}).
     */
    public record Stretch(Duration requested, Duration actual, Duration sampleCost, double maxDuty, StretchCause cause) {

        /** One sentence for a user: what happens and why. */
        public String describe() {
            String cost = readable(sampleCost);
            String every = readable(actual);
            String asked = readable(requested);
            return switch (cause) {
                // What happened, not a forecast: a later sample may cost less (the first ones pay a cold JIT).
                case CPU_BUDGET -> "a sample cost " + cost + " of CPU; to stay within "
                        + Math.round(maxDuty * 100) + "% of one CPU, the sampler put the next one off by "
                        + readable(actual.minus(requested)) + ", past the " + asked
                        + " interval (each sample records its actual interval)";
                // What happened too: one sample slowed by a busy machine read "samples come about every 800 ms"
                // where the median interval was the 100 ms asked (QA, 2026-12-06).
                case SLOW_SAMPLE -> "a sample took " + cost + ", longer than the " + asked
                        + " interval, so the next came " + every + " after this one's tick (each sample records its actual interval)";
            };
        }

        // "0 ms" for a 1 µs interval asked for would read as a bug: sub-millisecond spans keep their unit.
        public static String readable(Duration d) {
            long ns = d.toNanos();
            if (ns >= 10_000_000L) {
                return String.format(java.util.Locale.ROOT, "%.0f ms", ns / 1e6);
            }
            if (ns >= 1_000_000L) {
                return String.format(java.util.Locale.ROOT, "%.1f ms", ns / 1e6);
            }
            if (ns >= 1_000L) {
                return String.format(java.util.Locale.ROOT, "%.0f µs", ns / 1e3);
            }
            return ns + " ns";
        }
    }

    private StateSampler(Builder b) {
        this.source = b.source;
        this.filter = b.filter;
        this.intervalNanos = b.interval.toNanos();
        this.maxDuty = b.maxDuty;
        this.sockstat = b.sockstat;
        this.listener = b.listener;
        this.errorListener = b.errorListener;
        this.stretchListener = b.stretchListener;
        this.series = new StateSeries(source.kind(), b.maxSamples);
        this.origin = b.origin;
        this.originNanos = b.originNanos;
    }

    /** Starts describing a sampler of this source, counting the sockets that pass this filter. */
    public static Builder builder(StateSource source, SocketFilter filter) {
        return new Builder(source, filter);
    }

    /** Starts the sampling thread; the first sample is taken at once. Call at most once. */
    public StateSampler start() {
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException("sampler already started");
            }
            started = true;
            startClock();
            running = true;
            thread = Thread.ofPlatform().daemon().name(THREAD_NAME).unstarted(this::loop);
            thread.start();
        }
        return this;
    }

    /**
     * Stops the thread, takes one final sample on the calling thread, and returns the series.
     * Calling it again returns the same series without sampling.
     */
    public StateSeries stop() {
        return stop(Duration.ZERO);
    }

    /**
     * As {@link #stop()}, but without the final sample when the last one is younger than {@code fresh}:
     * a monitor stopped by --duration just as its last tick came wrote two samples 4 ms apart.
     */
    public StateSeries stop(Duration fresh) {
        synchronized (lifecycle) {
            if (stopped) {
                return series;
            }
            stopped = true;
            if (thread == null) {
                return series;
            }
            running = false;
            LockSupport.unpark(thread);
            if (!joinThread()) {
                // A sample is stuck in the kernel: the source is still in use, so no final sample.
                series.recordError("the sampling thread did not stop within " + STOP_WAIT_MILLIS + " ms");
                return series;
            }
            if (previousElapsed < 0 || System.nanoTime() - startNanos - previousElapsed >= fresh.toNanos()) {
                tick();
            }
            return series;
        }
    }

    private boolean joinThread() {
        try {
            thread.join(STOP_WAIT_MILLIS);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Takes one sample now on the calling thread, appends it and tells the listener; for one-shot
     * use (the sampler must not be running). Unlike the thread, it throws when the count fails.
     */
    public Sample sampleNow() throws IOException {
        return sampleNow(true);
    }

    /**
     * As {@link #sampleNow()}, for the state a teardown left after the load ended: the series' last
     * sample, but no peak ({@link StateSeries#addAfterEnd}).
     */
    public Sample sampleAfterEnd() throws IOException {
        return sampleNow(false);
    }

    private Sample sampleNow(boolean peak) throws IOException {
        synchronized (lifecycle) {
            if (running) {
                throw new IllegalStateException("the sampler is running: read series() instead");
            }
            startClock();
            Sample s = take();
            if (peak) {
                series.add(s);
            } else {
                series.addAfterEnd(s);
            }
            notifyListener(s);
            return s;
        }
    }

    /** The live series: snapshots are safe to read while sampling goes on. */
    public StateSeries series() {
        return series;
    }

    /** Ticks put off to keep sampling within its CPU budget (see {@link Builder#maxDuty}). */
    public long stretchedTicks() {
        return series.putOffByBudget(); // counted once, where summary.json reads it
    }

    /**
     * The CPU time the sampling thread has spent on its samples so far, in nanoseconds (the first
     * sample's included; not the final one {@link #stop} takes on its caller's thread, nor
     * {@link #sampleNow}), or -1 where the JVM cannot read a
     * thread's CPU time. Read at two moments, it says what watching the states cost the process in
     * between: the monitor's share of what a run measures.
     */
    public long spentCpuNanos() {
        return spentCpuNanos;
    }

    /** The sampling interval. */
    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /** The filter every sample counts with. */
    public SocketFilter filter() {
        return filter;
    }

    /** True while the sampling thread is alive (for tests and diagnostics). */
    public boolean isThreadAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    private void startClock() {
        if (!clockStarted) {
            clockStarted = true;
            long now = System.nanoTime();
            startNanos = origin && originNanos - now < 0 ? originNanos : now;
        }
    }

    private void loop() {
        long next = startNanos;
        boolean first = true;
        while (running) {
            long t0 = System.nanoTime();
            long cpu0 = cpuNanos();
            tick();
            long t1 = System.nanoTime();
            // The budget is CPU: on a machine the churn keeps busy, the sampler waits for a core
            // more than it works, and charging that wait would starve the timeline of samples.
            long cost = cpu0 < 0 ? t1 - t0 : cpuNanos() - cpu0;
            if (cpu0 >= 0) {
                spentCpuNanos += cost; // one writer: this thread
            }
            long due = next;
            next += intervalNanos;
            long late = System.nanoTime() - next;
            if (late > 0) {
                next += (late / intervalNanos + 1) * intervalNanos;
            }
            // The CPU budget: a sample of a crowded socket table (the kernel walks every socket,
            // TIME_WAIT included, whatever the filter) may cost milliseconds; never spend more than
            // maxDuty of one CPU on it, so the monitor does not slow the churn it watches.
            long earliest = budgetedStart(t0, cost, maxDuty, intervalNanos);
            // The first sample also pays for loading classes and a cold JIT (several times a later
            // one with --by or --headroom): a one-off, not what sampling costs, so it neither spaces
            // the next sample out nor is quoted; the budget holds from the second sample on.
            if (earliest - next > 0 && !first) {
                next = earliest;
                series.countPutOff();
                tellStretch(next - due, cost, StretchCause.CPU_BUDGET);
            } else if (late > 0 && t1 - t0 > intervalNanos && !first) {
                // A scheduling hiccup is not worth a word; a sample slower than the interval is.
                tellStretch(next - due, t1 - t0, StretchCause.SLOW_SAMPLE);
            }
            first = false;
            long wait;
            while (running && (wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    /**
     * The earliest the next sample may start for the CPU budget, after one that started at {@code t0} and cost {@code
     * costNanos}: {@code t0} plus the cost over {@code maxDuty}, when that is longer than the interval; else {@code t0},
     * as the budget holds at the interval. Measured from a start that came late (a busy machine woke the thread 31 ms
     * after its time), a cost the interval covered put the next sample off by 1.1 ms, and the monitor said its
     * --interval 250ms could not be kept for an 11 ms sample at 5% of a CPU (220 ms; QA, 2026-12-06).
     */
    static long budgetedStart(long t0, long costNanos, double maxDuty, long intervalNanos) {
        long spacing = (long) (costNanos / maxDuty);
        return spacing > intervalNanos ? t0 + spacing : t0;
    }

    // Once per sampler, on the sampling thread.
    private void tellStretch(long actualNanos, long costNanos, StretchCause cause) {
        if (stretchTold) {
            return;
        }
        stretchTold = true;
        Stretch stretch = new Stretch(Duration.ofNanos(intervalNanos), Duration.ofNanos(actualNanos),
                Duration.ofNanos(costNanos), maxDuty, cause);
        series.recordStretch(stretch);
        try {
            stretchListener.accept(stretch);
        } catch (RuntimeException e) {
            recordError(e);
        }
    }

    /** This thread's CPU time in nanoseconds, or -1 where the JVM cannot tell. */
    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    // Never throws: a failed sample is recorded and the next tick tries again.
    private void tick() {
        Sample s;
        try {
            s = take();
        } catch (Exception | LinkageError e) {
            recordError(e);
            return;
        }
        series.add(s);
        notifyListener(s);
    }

    private Sample take() throws IOException {
        long epochMillis = System.currentTimeMillis();
        long t0 = System.nanoTime();
        StateCounts counts = source.count(filter);
        Sockstat stat;
        try {
            stat = sockstat.read();
        } catch (IOException | RuntimeException e) {
            // The counts are good without it; sockstat is a namespace-wide extra.
            recordError(e);
            stat = Sockstat.UNKNOWN;
        }
        long t1 = System.nanoTime();
        long elapsed = t0 - startNanos;
        long interval = previousElapsed < 0 ? Sample.NO_INTERVAL : TimeUnit.NANOSECONDS.toMicros(elapsed - previousElapsed);
        previousElapsed = elapsed;
        return new Sample(epochMillis, elapsed, counts, stat, TimeUnit.NANOSECONDS.toMicros(t1 - t0), interval);
    }

    private void notifyListener(Sample s) {
        try {
            listener.accept(s);
        } catch (RuntimeException e) {
            recordError(e);
        }
    }

    private void recordError(Throwable e) {
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        series.recordError(what);
        if (e instanceof Exception ex) {
            try {
                errorListener.accept(ex);
            } catch (RuntimeException ignored) {
                // An error listener that fails has nowhere left to report to.
            }
        }
    }

    /** Describes a sampler: interval, sockstat probe, listeners and the cap on stored samples. */
    public static final class Builder {
        private final StateSource source;
        private final SocketFilter filter;
        private Duration interval = DEFAULT_INTERVAL;
        private SockstatProbe sockstat = SockstatProbe.NONE;
        private Consumer<Sample> listener = s -> {};
        private Consumer<Exception> errorListener = e -> {};
        private Consumer<Stretch> stretchListener = s -> {};
        private int maxSamples = StateSeries.DEFAULT_MAX_SAMPLES;
        private double maxDuty = DEFAULT_MAX_DUTY;
        private long originNanos;
        private boolean origin;

        private Builder(StateSource source, SocketFilter filter) {
            this.source = Objects.requireNonNull(source, "source");
            this.filter = Objects.requireNonNull(filter, "filter");
        }

        /** Time between samples (positive); default 1 s. */
        public Builder interval(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("interval: '" + d + "' must be positive, e.g. 200ms or 1s");
            }
            this.interval = d;
            return this;
        }

        /**
         * The most of one CPU sampling may take, 0 < duty <= 1 (default {@value #DEFAULT_MAX_DUTY}):
         * after a sample costing c, the next waits at least c / duty, even past its tick.
         */
        public Builder maxDuty(double duty) {
            if (!(duty > 0 && duty <= 1)) {
                throw new IllegalArgumentException("maxDuty: " + duty + " must be in (0, 1]");
            }
            this.maxDuty = duty;
            return this;
        }

        /** Where each sample's sockstat comes from; default none ({@link Sockstat#UNKNOWN}). */
        public Builder sockstat(SockstatProbe probe) {
            this.sockstat = Objects.requireNonNull(probe, "probe");
            return this;
        }

        /**
         * Called with every sample, on the sampling thread (the final one on the thread calling
         * stop); keep it short, it delays the next tick. An exception it throws is recorded.
         */
        public Builder listener(Consumer<Sample> l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** Called with every sampling failure, on the thread that sampled. */
        public Builder onError(Consumer<Exception> l) {
            this.errorListener = Objects.requireNonNull(l, "errorListener");
            return this;
        }

        /**
         * Called once, on the sampling thread, the first time a tick is put off past its interval
         * (the CPU budget, or a sample slower than the interval); not for a mere scheduling delay.
         */
        public Builder onStretch(Consumer<Stretch> l) {
            this.stretchListener = Objects.requireNonNull(l, "stretchListener");
            return this;
        }

        /**
         * The {@link System#nanoTime} instant a sample's elapsed time counts from; default the moment {@link #start}
         * is called. A run gives its own start, so that its states and its latencies share one time axis: counted
         * from the sampler's own start, the states were drawn 20-700 ms before the latencies that caused them (QA,
         * 2026-12-06). Samples fall on this origin's grid; one in the future counts from the start.
         */
        public Builder origin(long nanoTime) {
            this.originNanos = nanoTime;
            this.origin = true;
            return this;
        }

        /** The most samples the series stores before thinning (see {@link StateSeries}). */
        public Builder maxSamples(int n) {
            if (n < 2) {
                throw new IllegalArgumentException("maxSamples: " + n + " must be at least 2");
            }
            this.maxSamples = n;
            return this;
        }

        /** The sampler, not yet started. */
        public StateSampler build() {
            return new StateSampler(this);
        }
    }
}
