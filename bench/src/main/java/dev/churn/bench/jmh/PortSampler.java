package dev.churn.bench.jmh;

import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.StateCounts;
import dev.churn.monitor.StateSampler;
import dev.churn.monitor.StateSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Samples the TCP states of some ports at a fixed rate on one daemon thread and keeps the per-state
 * peaks, for one profiler iteration: {@link #start}, then {@link #stop} (which takes a last sample,
 * so the state at the iteration's end always counts). The ports are asked for on every sample,
 * because a benchmark registers its own only when its set-up runs; no ports means no sample.
 */
final class PortSampler {

    /** Upper bound on samples in one iteration (a day at 1 ms): the loop ends by itself. */
    private static final long MAX_SAMPLES = 86_400_000L;
    private static final long JOIN_MILLIS = 5_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * What the sampler saw: per-state peaks, samples taken, what each cost (nanoseconds), and the first
     * error (null if none).
     */
    record Result(StateCounts peaks, long samples, Histogram sampleNanos, IOException error) {

        /**
         * The median cost of one sample in microseconds, 0 when none was taken. Not the mean: each iteration
         * opens a new source and its first sample runs cold (the first iteration's also loads and interprets the
         * sampling code): 2-4x the median in the smoke preset's 300 ms iterations (2026-12-05), so a mean said more
         * about how few samples an iteration took than about what one costs.
         */
        double medianSampleMicros() {
            return samples == 0 ? 0 : sampleNanos.getValueAtPercentile(50) / 1_000.0;
        }

        /** The dearest sample in microseconds (the cold first one, or one that met a big table), 0 when none was taken. */
        double maxSampleMicros() {
            return samples == 0 ? 0 : sampleNanos.getMaxValue() / 1_000.0;
        }
    }

    private final StateSource source;
    private final long intervalNanos;
    private final Supplier<int[]> ports;
    private final Thread thread;
    private volatile boolean running = true;
    // Written by the sampler thread only; read after join().
    private StateCounts peaks = StateCounts.EMPTY;
    private long samples;
    /**
     * Auto-resizing, 2 significant digits (a median to 1%): a few KiB for samples of micro- to milliseconds, where a
     * fixed range of an hour at 3 digits took 270 KB each iteration.
     */
    private final Histogram sampleNanos = new Histogram(2);
    private IOException error;

    private PortSampler(StateSource source, Duration interval, Supplier<int[]> ports) {
        this.source = source;
        this.intervalNanos = interval.toNanos();
        this.ports = ports;
        this.thread = Thread.ofPlatform().name("churn-tcp-state-profiler").daemon().unstarted(this::loop);
    }

    /** Starts sampling with this source (closed by {@link #stop}). */
    static PortSampler start(StateSource source, Duration interval, Supplier<int[]> ports) {
        PortSampler s = new PortSampler(source, interval, ports);
        s.thread.start();
        return s;
    }

    private void loop() {
        long next = System.nanoTime();
        boolean first = true;
        while (running && samples < MAX_SAMPLES) {
            long t0 = System.nanoTime();
            long cpu0 = cpuNanos();
            boolean sampled = sample();
            // StateSampler's CPU budget (5% of one CPU) after every sample, not only after one slower than
            // the interval: samples of 1.7-5.6 ms every 10 ms took 7-28% of the iterations' time and cost a
            // connect/close benchmark a sixth of its score (14,606 against 17,500/s at interval=1s). CPU, not
            // wall time: on a busy machine the sampler waits for a core more than it works. The first sample
            // of each iteration's new source runs cold, a one-off that spaces nothing out.
            long cost = cpu0 < 0 ? System.nanoTime() - t0 : cpuNanos() - cpu0;
            next += intervalNanos;
            long earliest = t0 + (long) (cost / StateSampler.DEFAULT_MAX_DUTY);
            if (!first && earliest - next > 0) {
                next = earliest;
            }
            first = first && !sampled; // a tick before the benchmark registered its ports read nothing
            long now = System.nanoTime();
            if (next - now < 0) {
                next = now; // fell behind: the interval counts again from here, no burst of catch-up samples
            }
            long wait;
            while (running && (wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        sample();
    }

    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** Takes one sample of the ports; false when there were none to sample yet. */
    private boolean sample() {
        int[] p = ports.get();
        if (p.length == 0) {
            return false;
        }
        long t0 = System.nanoTime();
        try {
            peaks = peaks.max(source.count(SocketFilter.ports(p)));
            sampleNanos.recordValue(System.nanoTime() - t0);
            samples++;
        } catch (IOException e) {
            if (error == null) {
                error = e;
            }
        }
        return true;
    }

    /** Stops sampling after one last sample, closes the source, and returns what was seen. */
    Result stop() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(JOIN_MILLIS);
        try {
            source.close();
        } catch (IOException ignored) {
            // the counts are already taken
        }
        if (thread.isAlive()) {
            return new Result(StateCounts.EMPTY, 0, new Histogram(2), new IOException("sampler did not stop within " + JOIN_MILLIS + " ms"));
        }
        return new Result(peaks, samples, sampleNanos, error);
    }
}
