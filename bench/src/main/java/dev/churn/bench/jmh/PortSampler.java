package dev.churn.bench.jmh;

import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.StateCounts;
import dev.churn.monitor.StateSampler;
import dev.churn.monitor.StateSource;
import java.io.IOException;
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
    private long lastCostNanos;
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
        while (running && samples < MAX_SAMPLES) {
            sample();
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                // Fell behind (a big socket table, a busy machine): rest long enough that sampling
                // stays within StateSampler's CPU budget (5% of one CPU) of the benchmark it watches.
                LockSupport.parkNanos((long) (lastCostNanos * (1 / StateSampler.DEFAULT_MAX_DUTY - 1)));
                next = System.nanoTime();
            }
        }
        sample();
    }

    private void sample() {
        int[] p = ports.get();
        if (p.length == 0) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            peaks = peaks.max(source.count(SocketFilter.ports(p)));
            lastCostNanos = System.nanoTime() - t0;
            sampleNanos.recordValue(lastCostNanos);
            samples++;
        } catch (IOException e) {
            if (error == null) {
                error = e;
            }
        }
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
