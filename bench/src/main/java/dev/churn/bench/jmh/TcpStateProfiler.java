package dev.churn.bench.jmh;

import dev.churn.bench.engine.Phase;
import dev.churn.bench.engine.PhaseRecorder;
import dev.churn.monitor.KernelCounters;
import dev.churn.monitor.StateSources;
import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that attaches the kernel's view to every iteration: the peak count of each TCP
 * state seen on the benchmark's ports ({@code tcp.time_wait.peak}, ..., MAX over iterations), the
 * deltas of the kernel's TCP counters ({@code tcp.activeopens}, ..., SUM; whole-machine, so other
 * processes' connections count too) with per-connection variants ({@code tcp.activeopens.norm}),
 * percentiles of the engine's per-phase latencies ({@code connect.p50}, {@code connect.p99},
 * {@code close.p99}, ... in microseconds), and its own cost ({@code tcp.samples}; {@code tcp.sample_us},
 * the median sample's microseconds; {@code tcp.sample_us.max}, the dearest).
 * After each sample the sampler rests so that sampling stays within the state sampler's CPU budget (5% of
 * one CPU, in its thread's CPU time), longer than the interval when a sample costs more than 5% of it. Use it with
 * {@code -prof dev.churn.bench.jmh.TcpStateProfiler[:interval=10ms;ports=P1+P2;source=netlink]};
 * benchmarks tell it their ports through {@link BenchRegistry}.
 */
public final class TcpStateProfiler implements InternalProfiler {

    /** The kernel counters reported, by their kernel names; labels are lower case. */
    static final List<String> COUNTERS = List.of(
            "ActiveOpens", "AttemptFails", "EstabResets", "TW", "TWRecycled", "TCPTimeWaitOverflow", "ListenOverflows");

    /** Counters that are one per connection or less, so per connection they mean something. */
    static final Set<String> NORMALISED = Set.of("ActiveOpens", "AttemptFails", "EstabResets", "TW");

    private static final Phase[] PHASES = {Phase.CONNECT, Phase.TLS, Phase.FIRST_BYTE, Phase.CLOSE, Phase.CYCLE};

    private final ProfilerOptions options;
    private PortSampler sampler;
    private KernelCounters before = KernelCounters.EMPTY;

    /** With the default options: what {@code -lprof} instantiates. */
    public TcpStateProfiler() {
        this.options = ProfilerOptions.DEFAULTS;
    }

    /** With the options JMH passes from after the colon of {@code -prof}. */
    public TcpStateProfiler(String initLine) throws ProfilerException {
        try {
            this.options = ProfilerOptions.parse(initLine);
        } catch (IllegalArgumentException e) {
            throw new ProfilerException(e.getMessage());
        }
    }

    @Override
    public String getDescription() {
        return "churn: TCP state peaks on the benchmark's ports, kernel TCP counter deltas, per-phase latency percentiles; "
                + ProfilerOptions.HELP;
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        PhaseRecorder phases = BenchRegistry.recorder();
        if (phases != null) {
            for (Phase p : PHASES) {
                phases.interval(p); // discards what earlier iterations left: this one starts clean
            }
        }
        before = readCounters();
        try {
            sampler = PortSampler.start(StateSources.open(options.source()), options.interval(), this::watchedPorts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the " + options.source().label() + " state source", e);
        }
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        List<Result> out = new ArrayList<>();
        PortSampler.Result seen;
        try {
            seen = sampler.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return out;
        }
        KernelCounters delta = readCounters().minus(before);
        for (TcpState s : TcpState.values()) {
            long peak = seen.peaks().get(s);
            // The states churn is about are written at 0 too, once sampled: else "none" and "not measured" read alike.
            if (peak > 0 || seen.samples() > 0 && ALWAYS_SHOWN.contains(s)) {
                out.add(new ScalarResult("tcp." + s.label() + ".peak", peak, "sockets", AggregationPolicy.MAX));
            }
        }
        out.add(new ScalarResult("tcp.samples", seen.samples(), "samples", AggregationPolicy.SUM));
        if (seen.samples() > 0) {
            // The profiler's own cost: a big socket table makes each sample dearer, whatever the port filter.
            out.add(new ScalarResult("tcp.sample_us", seen.medianSampleMicros(), "us", AggregationPolicy.AVG));
            out.add(new ScalarResult("tcp.sample_us.max", seen.maxSampleMicros(), "us", AggregationPolicy.MAX));
        }
        long connections = phaseResults(out);
        for (String name : COUNTERS) {
            if (!delta.has(name)) {
                continue;
            }
            String label = "tcp." + name.toLowerCase(Locale.ROOT);
            long d = delta.get(name);
            out.add(new ScalarResult(label, d, "#", AggregationPolicy.SUM));
            if (connections > 0 && NORMALISED.contains(name)) {
                out.add(new ScalarResult(label + ".norm", (double) d / connections, "#/conn", AggregationPolicy.AVG));
            }
        }
        return out;
    }

    /** Adds p50/p99/max of each phase recorded in this iteration; returns the connections timed (connect count). */
    private static long phaseResults(List<Result> out) {
        PhaseRecorder phases = BenchRegistry.recorder();
        if (phases == null) {
            return 0;
        }
        long connections = 0;
        for (Phase p : PHASES) {
            Histogram h = phases.interval(p);
            if (h.getTotalCount() == 0) {
                continue;
            }
            if (p == Phase.CONNECT) {
                connections = h.getTotalCount();
            }
            out.add(micros(p.label() + ".p50", h.getValueAtPercentile(50)));
            out.add(micros(p.label() + ".p99", h.getValueAtPercentile(99)));
            out.add(new ScalarResult(p.label() + ".max", h.getMaxValue() / 1_000.0, "us", AggregationPolicy.MAX));
        }
        return connections;
    }

    /** The states whose peak is written even when it is 0. */
    private static final Set<TcpState> ALWAYS_SHOWN = EnumSet.of(TcpState.TIME_WAIT, TcpState.CLOSE_WAIT, TcpState.FIN_WAIT2);

    private static ScalarResult micros(String label, long nanos) {
        return new ScalarResult(label, nanos / 1_000.0, "us", AggregationPolicy.AVG);
    }

    private int[] watchedPorts() {
        int[] own = BenchRegistry.ports();
        int[] extra = options.ports();
        if (extra.length == 0) {
            return own;
        }
        return IntStream.concat(IntStream.of(own), IntStream.of(extra)).distinct().toArray();
    }

    private static KernelCounters readCounters() {
        try {
            return KernelCounters.read(StateSources.DEFAULT_PROC_ROOT);
        } catch (IOException e) {
            return KernelCounters.EMPTY; // no counters rather than no iteration
        }
    }
}
