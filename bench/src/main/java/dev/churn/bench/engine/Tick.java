package dev.churn.bench.engine;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One reporting interval. {@code intervals} holds each phase's histogram for this interval only
 * (nanoseconds, tagged with the phase label; reused after the call returns: copy what you keep).
 * Counts are cumulative since the measured part began (or since warm-up began, for warm-up ticks).
 */
public record Tick(
        boolean warmup,
        long intervalStartNanos,
        long intervalEndNanos,
        Map<Phase, Histogram> intervals,
        long attempted,
        long completed,
        long failed,
        int inFlight) {}
