package dev.churn.cli;

import dev.churn.bench.engine.RunInfo;
import dev.churn.bench.engine.RunListener;
import dev.churn.bench.engine.Tick;
import dev.churn.bench.result.CpuActivity;
import dev.churn.monitor.CompilerCpu;
import dev.churn.monitor.ProcessCpu;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Reads the process's CPU time ({@link ProcessCpu#nanosNow}) and the JIT compiler threads'
 * ({@link CompilerCpu}) when the run starts, when its measured part begins and at each of the
 * measured part's ticks, so the result can say what the measured part cost in CPU, and how much the
 * JIT took in each part and in the measured part's second half ({@link CpuActivity}); and the
 * state sampler's CPU over the measured part, the share of it that watching the states took, as
 * {@link KernelCounterWindow} does for the kernel's counters. The last reading is the last tick's,
 * which comes as the last cycle ends, and not one at {@code finished}: building the result compiles
 * loops of its own (HdrHistogram's percentile walks, compiled on the stack), which the measured
 * part did not pay.
 */
final class CpuWindow implements RunListener {

    private final Path proc;
    private final LongSupplier samplerCpu;
    private volatile CompilerCpu compilers;
    private volatile long startNanos;
    private volatile long startCpu;
    private volatile long measuringNanos;
    private volatile long measuringCpu = -1;
    private volatile long measuringProcess = -1;
    private volatile long measuringSampler = -1;
    private long lastSampler = -1;
    /** The measured ticks' readings, time and compiler CPU in pairs; written by the reporting thread alone. */
    private long[] readings = new long[64];
    private int count;
    private long lastProcess = -1;

    /** {@code samplerCpu}: the state sampler's CPU so far in nanoseconds, -1 when unknown ({@link StateWatch#samplerCpuNanos}). */
    CpuWindow(Path proc, LongSupplier samplerCpu) {
        this.proc = proc;
        this.samplerCpu = samplerCpu;
    }

    @Override
    public void started(RunInfo info) {
        ProcessCpu.nanosNow(); // links the downcall now (tens of ms), not as the measured part begins
        compilers = CompilerCpu.of(proc);
        startCpu = compilers.cpuNanos();
        // The warm-up's length counts from the run's start (startedAt, the latency log's origin), not from here: the
        // listeners before this one and the link above came 31-37 ms after it, and jit.warmupSeconds read that much
        // short of measuredFrom - startedAt (audit, 2026-12-08). The compilers' CPU in that gap is read from here on.
        startNanos = info.startNanos();
    }

    @Override
    public void measuring() {
        CompilerCpu c = compilers;
        if (c != null) {
            c.rescan(); // before the measured part: the one listing of every thread it pays for is here
            measuringCpu = c.cpuNanos();
            measuringProcess = ProcessCpu.nanosNow();
            measuringSampler = samplerCpu.getAsLong();
            measuringNanos = System.nanoTime();
        }
    }

    @Override
    public synchronized void tick(Tick tick) {
        CompilerCpu c = compilers;
        if (tick.warmup() || c == null || measuringCpu < 0) {
            return;
        }
        if (count * 2 == readings.length) {
            readings = Arrays.copyOf(readings, readings.length * 2);
        }
        readings[count * 2 + 1] = c.cpuNanos();
        lastProcess = ProcessCpu.nanosNow();
        lastSampler = samplerCpu.getAsLong();
        readings[count * 2] = System.nanoTime();
        count++;
    }

    /** The JIT compiler threads' CPU so far in nanoseconds, for the warm-up's progress; -1 before the run or with none found. */
    long compilerNanosNow() {
        CompilerCpu c = compilers;
        return c == null || !c.found() ? -1 : c.cpuNanos();
    }

    /**
     * What the measured part cost the process and what the JIT took, or null when no compiler
     * thread was found (no /proc task list: no /proc/self/stat either) or the measured part never ticked.
     */
    synchronized CpuActivity activity() {
        CompilerCpu c = compilers;
        if (c == null || !c.found() || measuringCpu < 0 || count == 0) {
            return null;
        }
        long endNanos = readings[(count - 1) * 2];
        long endCpu = readings[(count - 1) * 2 + 1];
        // The second half starts at the last reading at or before the middle (ticks come a second
        // apart after the first second, so it may start up to a second early): at least half the part.
        long middle = measuringNanos + (endNanos - measuringNanos) / 2;
        long lateNanos = measuringNanos;
        long lateCpu = measuringCpu;
        for (int i = 0; i < count && readings[i * 2] - middle <= 0; i++) {
            lateNanos = readings[i * 2];
            lateCpu = readings[i * 2 + 1];
        }
        return new CpuActivity((measuringCpu - startCpu) / 1e6, (measuringNanos - startNanos) / 1_000_000,
                (endCpu - measuringCpu) / 1e6, (endNanos - measuringNanos) / 1_000_000,
                (endCpu - lateCpu) / 1e6, (endNanos - lateNanos) / 1_000_000,
                measuringProcess < 0 || lastProcess < 0 ? -1 : (lastProcess - measuringProcess) / 1e6,
                measuringSampler < 0 || lastSampler < 0 ? -1 : (lastSampler - measuringSampler) / 1e6);
    }
}
