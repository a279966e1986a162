package dev.churn.bench.jmh;

import dev.churn.bench.engine.PhaseRecorder;

/**
 * Where a running benchmark tells {@link TcpStateProfiler} what to watch: its ports (the sink's) and
 * the {@link PhaseRecorder} its cycles record into. A benchmark calls {@link #register} from its
 * {@code @Setup(Level.Trial)}; the profiler, which lives in the same forked JVM, reads both on every
 * sample and at each iteration's end. Registrations are never cleared: JMH runs the trial's tear-down
 * before the last iteration's profiler results are taken, and a fork runs one trial only.
 */
public final class BenchRegistry {

    private static volatile int[] ports = new int[0];
    private static volatile PhaseRecorder recorder;

    private BenchRegistry() {}

    /** Registers the ports whose sockets the profiler counts and the recorder it reads latencies from (may be null). */
    public static void register(PhaseRecorder phases, int... benchmarkPorts) {
        recorder = phases;
        ports = benchmarkPorts.clone();
    }

    /** The registered ports, empty before any benchmark registered. */
    public static int[] ports() {
        return ports.clone();
    }

    /** The registered recorder, or null when the benchmark records no phases. */
    public static PhaseRecorder recorder() {
        return recorder;
    }
}
