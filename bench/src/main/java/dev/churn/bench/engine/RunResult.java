package dev.churn.bench.engine;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a run measured, warm-up excluded: cycle counts, per-phase totals in nanoseconds, failures by
 * kind, the measured span (from the measured start to the end of its last cycle), and why it ended.
 * {@code perSecond} is completed cycles over the span. {@code schedule} says how an open loop kept
 * its schedule (null in a closed loop); {@code trend} whether a closed loop's rate was still
 * climbing (null in an open loop or when the run had too few intervals to tell);
 * {@code acceptPairing} the measured connects and accepts left out of the ACCEPT phase for want
 * of a partner (null without the built-in sink, or when the run ended in its warm-up).
 * When the run ended before its warm-up did ({@code endedInWarmup}: Ctrl-C, or --max-failures),
 * the counts and failures are the warm-up's, so they are not lost, and the phases are empty.
 * {@code tlsResumed}: of the TLS handshakes (the TLS phase's count), how many resumed a session.
 */
public record RunResult(
        RunInfo info,
        long attempted,
        long completed,
        long failed,
        long measuredStartEpochMillis,
        long measuredNanos,
        Map<Phase, Histogram> phases,
        Map<FailureKind, Failures.Stat> failures,
        EndReason endReason,
        boolean endedInWarmup,
        Schedule schedule,
        RateTrend trend,
        AcceptPairing acceptPairing,
        long tlsResumed,
        SinkFaults sinkFaults,
        WarmupCut warmupCut,
        ShortagePauses shortagePauses,
        long firstCycleAfterNanos,
        Stall stall,
        Map<Phase, Long> overCeiling) {

    public RunResult {
        // In the phases' order, as the table lists them (Map.copyOf's order changes from one JVM to the next).
        overCeiling = overCeiling == null || overCeiling.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(overCeiling));
    }

    /**
     * This result with its latencies above the histograms' ceiling ({@link PhaseRecorder#HIGHEST_NANOS}), by phase: each
     * was recorded as the ceiling, so that phase's max and tail read no higher than it. They were clamped without a
     * word, and only a bug's hour-long first_byte (an epoll connect that completed at once) showed it (QA, 2026-12-06).
     */
    public RunResult withOverCeiling(Map<Phase, Long> counts) {
        return new RunResult(info, attempted, completed, failed, measuredStartEpochMillis, measuredNanos, phases, failures,
                endReason, endedInWarmup, schedule, trend, acceptPairing, tlsResumed, sinkFaults, warmupCut, shortagePauses,
                firstCycleAfterNanos, stall, counts);
    }

    /**
     * The longest the process stood still during the run, at least: its reporting thread woke {@code nanos} past its
     * time (it had been asleep up to a tick before that), {@code endedAtNanos} after the run's start, {@code inWarmup}
     * when that stall began before the measured part did. Null when no wake-up was
     * {@link #STALL_WORTH_SAYING_NANOS} late. A process stopped for 5 s (Ctrl-Z, SIGSTOP) counted a connect timeout its
     * watchdog found on waking, and nothing said the client itself had stood still (QA, 2026-12-06).
     */
    public record Stall(long nanos, long endedAtNanos, boolean inWarmup) {}

    /** A wake-up this late is the process standing still (stopped, a paused VM, no CPU to give it), not a busy moment. */
    public static final long STALL_WORTH_SAYING_NANOS = 1_000_000_000L;

    /** This result with the longest stall (null: none worth saying). */
    public RunResult withStall(Stall s) {
        return new RunResult(info, attempted, completed, failed, measuredStartEpochMillis, measuredNanos, phases, failures,
                endReason, endedInWarmup, schedule, trend, acceptPairing, tlsResumed, sinkFaults, warmupCut, shortagePauses,
                firstCycleAfterNanos, s, overCeiling);
    }

    /**
     * A closed loop's pauses after the client ran out of descriptors or local ports: {@code count}
     * failures that each held the next starts back, for {@code nanos} in all (overlapping pauses
     * count once). See {@code ShortageBackoff}.
     */
    public record ShortagePauses(long count, long nanos) {
        public static final ShortagePauses NONE = new ShortagePauses(0, 0);
    }

    /**
     * This result with how long after the measured part began its first cycle started, in nanoseconds: where a closed
     * loop's window begins (its threads starting before it); -1 for an open loop, whose window is its schedule's.
     */
    public RunResult withFirstCycleAfter(long nanos) {
        return new RunResult(info, attempted, completed, failed, measuredStartEpochMillis, measuredNanos, phases, failures,
                endReason, endedInWarmup, schedule, trend, acceptPairing, tlsResumed, sinkFaults, warmupCut, shortagePauses,
                nanos, stall, overCeiling);
    }

    /** This result with its shortage pauses. */
    public RunResult withShortagePauses(ShortagePauses p) {
        return new RunResult(info, attempted, completed, failed, measuredStartEpochMillis, measuredNanos, phases, failures,
                endReason, endedInWarmup, schedule, trend, acceptPairing, tlsResumed, sinkFaults, warmupCut, p, firstCycleAfterNanos,
                stall, overCeiling);
    }

    /**
     * The warm-up ended after {@code nanos} instead of at its time, because its first {@code failed} cycles
     * all failed and none completed; null when it ran its length (or there was none). {@code failures}: theirs by kind,
     * which the measured part's failures need not repeat (QA, 2026-12-06: "the failures below say why" pointed at
     * another cause).
     */
    public record WarmupCut(long nanos, long failed, Map<FailureKind, Failures.Stat> failures) {

        public WarmupCut {
            failures = Map.copyOf(failures);
        }
    }

    /** This result with its warm-up's early end (null: none). */
    public RunResult withWarmupCut(WarmupCut cut) {
        return new RunResult(info, attempted, completed, failed, measuredStartEpochMillis, measuredNanos, phases, failures,
                endReason, endedInWarmup, schedule, trend, acceptPairing, tlsResumed, sinkFaults, cut, shortagePauses,
                firstCycleAfterNanos, stall, overCeiling);
    }

    /**
     * What went wrong on the built-in sink's side over the whole run, which no client failure shows:
     * accepts it failed and the first one's error (EMFILE: out of file descriptors, as a rule), which
     * stall clients behind a full accept queue; connections it reset after {@code SinkServer.IDLE_SECONDS}
     * of silence; TLS handshakes that failed on its side.
     */
    public record SinkFaults(long acceptFailures, String firstAcceptFailure, long idleResets, long tlsFailures) {

        /** True when there is nothing to report. */
        public boolean none() {
            return acceptFailures == 0 && idleResets == 0 && tlsFailures == 0;
        }
    }

    /** A result whose built-in sink (if any) had no fault: {@code sinkFaults} is null. */
    public RunResult(RunInfo info, long attempted, long completed, long failed, long measuredStartEpochMillis,
                     long measuredNanos, Map<Phase, Histogram> phases, Map<FailureKind, Failures.Stat> failures,
                     EndReason endReason, boolean endedInWarmup, Schedule schedule, RateTrend trend,
                     AcceptPairing acceptPairing, long tlsResumed) {
        this(info, attempted, completed, failed, measuredStartEpochMillis, measuredNanos, phases, failures, endReason,
                endedInWarmup, schedule, trend, acceptPairing, tlsResumed, null, null, ShortagePauses.NONE, -1, null, Map.of());
    }

    /** This result with the built-in sink's faults (none: null). */
    public RunResult withSinkFaults(SinkFaults f) {
        return new RunResult(info, attempted, completed, failed, measuredStartEpochMillis, measuredNanos, phases, failures,
                endReason, endedInWarmup, schedule, trend, acceptPairing, tlsResumed, f, warmupCut, shortagePauses,
                firstCycleAfterNanos, stall, overCeiling);
    }

    /** A result without TLS. */
    public RunResult(RunInfo info, long attempted, long completed, long failed, long measuredStartEpochMillis,
                     long measuredNanos, Map<Phase, Histogram> phases, Map<FailureKind, Failures.Stat> failures,
                     EndReason endReason, boolean endedInWarmup, Schedule schedule, RateTrend trend,
                     AcceptPairing acceptPairing) {
        this(info, attempted, completed, failed, measuredStartEpochMillis, measuredNanos, phases, failures, endReason,
                endedInWarmup, schedule, trend, acceptPairing, 0);
    }

    /** A result without ACCEPT pairing figures (no built-in sink). */
    public RunResult(RunInfo info, long attempted, long completed, long failed, long measuredStartEpochMillis,
                     long measuredNanos, Map<Phase, Histogram> phases, Map<FailureKind, Failures.Stat> failures,
                     EndReason endReason, boolean endedInWarmup, Schedule schedule, RateTrend trend) {
        this(info, attempted, completed, failed, measuredStartEpochMillis, measuredNanos, phases, failures, endReason,
                endedInWarmup, schedule, trend, null);
    }

    /** A result without schedule or trend. */
    public RunResult(RunInfo info, long attempted, long completed, long failed, long measuredStartEpochMillis,
                     long measuredNanos, Map<Phase, Histogram> phases, Map<FailureKind, Failures.Stat> failures,
                     EndReason endReason, boolean endedInWarmup) {
        this(info, attempted, completed, failed, measuredStartEpochMillis, measuredNanos, phases, failures, endReason,
                endedInWarmup, null, null);
    }

    /** Why the run stopped. */
    public enum EndReason {
        /** The asked-for connections were made. */
        COUNT_REACHED,
        /** The asked-for duration passed. */
        DURATION_REACHED,
        /** Someone called stop() (Ctrl-C). */
        STOPPED,
        /** --max-failures was reached. */
        TOO_MANY_FAILURES
    }

    /** TLS handshakes measured: the TLS phase's count (0 without TLS). */
    public long tlsHandshakes() {
        Histogram h = phases.get(Phase.TLS);
        return h == null ? 0 : h.getTotalCount();
    }

    /** Completed cycles per second over the measured span. */
    public double perSecond() {
        return measuredNanos <= 0 ? 0 : completed * 1e9 / measuredNanos;
    }
}
