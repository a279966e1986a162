package dev.churn.bench.result;

import dev.churn.bench.engine.RunResult;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.StateSeries;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything saved about one run, as the CLI hands it to {@link ResultsWriter}: the engine's result,
 * the kernel's TCP states over the run ({@code states} null when nothing was sampled), kernel counter
 * deltas by name ({@code ActiveOpens} ..., empty when unknown), where it ran, its label, and what
 * its measured part cost in CPU with the JIT's share of it and of the warm-up ({@code cpu}, null
 * when /proc does not say or the run ended before its measured part), and the JVM's GC pauses in
 * the measured part ({@code gc}, null when not watched). Then what the engine never sees: the
 * command line as {@link CommandArgs#recorded} keeps it ({@code command}, null when not known), what
 * the state sampler was asked for ({@code sampling}, null when not known), and why the latency log
 * was lost during the run ({@code latencyLogLost}, null when it was not).
 */
public record RunRecord(
        String label,
        RunResult result,
        StateSeries states,
        Map<String, Long> kernelDeltas,
        Environment environment,
        CpuActivity cpu,
        GcPauses gc,
        List<String> command,
        Sampling sampling,
        String latencyLogLost) {

    /** What the state sampler was asked for: {@code --interval} and {@code --source} (states.source is what ran). */
    public record Sampling(Duration interval, SourceKind source) {
        public Sampling {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(source, "source");
        }
    }

    public RunRecord {
        ResultsDirectory.checkLabel(label);
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(environment, "environment");
        kernelDeltas = kernelDeltas == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(kernelDeltas));
        command = command == null ? null : List.copyOf(command);
    }

    /** A record without the command line, the sampler's settings or a lost log. */
    public RunRecord(String label, RunResult result, StateSeries states, Map<String, Long> kernelDeltas,
                     Environment environment, CpuActivity cpu, GcPauses gc) {
        this(label, result, states, kernelDeltas, environment, cpu, gc, null, null, null);
    }

    /** A record without a reading of the GC. */
    public RunRecord(String label, RunResult result, StateSeries states, Map<String, Long> kernelDeltas,
                     Environment environment, CpuActivity cpu) {
        this(label, result, states, kernelDeltas, environment, cpu, null);
    }

    /** A record without a reading of the JIT or of the GC. */
    public RunRecord(String label, RunResult result, StateSeries states, Map<String, Long> kernelDeltas,
                     Environment environment) {
        this(label, result, states, kernelDeltas, environment, null, null);
    }

    /** This record, its latency log lost during the run for this reason (one line). */
    public RunRecord withLatencyLogLost(String reason) {
        return new RunRecord(label, result, states, kernelDeltas, environment, cpu, gc, command, sampling, reason);
    }
}
