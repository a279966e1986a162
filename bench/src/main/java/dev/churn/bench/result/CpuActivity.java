package dev.churn.bench.result;

/**
 * The CPU time churn's own process took over its measured part ({@code measuredProcessMillis},
 * user + system of every thread, from {@code /proc/self/stat} in 10 ms ticks; -1 where there is no
 * such file), and the part of it the JVM's JIT compiler threads took during the warm-up, during
 * the measured part, and during the measured part's second half ({@code late}: from the last
 * reading at or before its middle to its end), in milliseconds ({@code dev.churn.monitor.CompilerCpu}).
 * The process's figure over the measured connections is the CPU a connection cost churn, client
 * and built-in sink together, the JIT, the state sampler and the reporting included.
 * Compiling takes a CPU from the measurement on a small machine, and code not compiled yet runs
 * slower. At the start of the measured part some compiling is normal: code compiled in the warm-up
 * meets branches the warm-up never took (its abortive closes; docs/performance.md) and is compiled
 * again within about 200 ms. A JIT still at work in the second half is another thing: the run
 * measured the JVM warming up. Measured on 2026-12-05: {@code churn run --tls 1.3} against an
 * {@code openssl s_server} made 416, 630 and 723 handshakes/s after warm-ups of 5, 20 and 60 s,
 * its compiler threads taking 33%, 24% and 3% of a CPU over the measured 5 s: a method called once
 * a handshake, about 650 times a second, reaches C2's thresholds only after tens of seconds.
 *
 * <p>{@code measuredSamplerMillis} is the state sampler's thread over the same span (-1 where
 * unknown): the monitor's own share of the process's figure. It grows with the sockets each sample
 * walks (the kernel dumps every TIME_WAIT on the run's ports), so a run that keeps tens of thousands
 * of them pays for its timeline here (docs/performance.md).
 */
public record CpuActivity(double warmupCompileMillis, long warmupMillis, double measuredCompileMillis, long measuredMillis,
                          double lateCompileMillis, long lateMillis, double measuredProcessMillis,
                          double measuredSamplerMillis) {

    /**
     * Compiling for more than this share of the measured part's second half is worth a warning
     * under the run's table. Runs of the built-in sink's shapes take 0-3% there (docs/performance.md).
     */
    public static final double BUSY_SHARE = 0.05;

    /** The second half is read only when it is at least this long: a single compilation skews a shorter one. */
    public static final long MIN_LATE_MILLIS = 1000;

    /** The least process CPU {@link #samplerShare} divides by: ten of {@code /proc/self/stat}'s 10 ms ticks. */
    public static final double MIN_PROCESS_MILLIS = 100;

    /** The compile time over the measured part's length, a share of one CPU (0 for an empty part). */
    public double measuredShare() {
        return share(measuredCompileMillis, measuredMillis);
    }

    /**
     * The state sampler's share of the process's CPU over the measured part, or -1 when either is
     * unknown or the process's is under {@link #MIN_PROCESS_MILLIS} (read in 10 ms ticks, too coarse
     * to divide by).
     */
    public double samplerShare() {
        return measuredSamplerMillis < 0 || measuredProcessMillis < MIN_PROCESS_MILLIS ? -1
                : measuredSamplerMillis / measuredProcessMillis;
    }

    /** True when the second half was long enough to read ({@link #MIN_LATE_MILLIS}). */
    public boolean lateRead() {
        return lateMillis >= MIN_LATE_MILLIS;
    }

    /** The compile time over the second half's length (0 when it was not read). */
    public double lateShare() {
        return lateRead() ? share(lateCompileMillis, lateMillis) : 0;
    }

    /** True when the JIT took more than {@link #BUSY_SHARE} of a CPU in the measured part's second half. */
    public boolean busy() {
        return lateShare() > BUSY_SHARE;
    }

    private static double share(double compileMillis, long millis) {
        return millis <= 0 ? 0 : compileMillis / millis;
    }
}
