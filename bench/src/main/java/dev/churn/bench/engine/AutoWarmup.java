package dev.churn.bench.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.LongSupplier;

/**
 * A warm-up that ends when the JIT has gone quiet ({@code --warmup auto}): when the compiler threads
 * have used at most {@code quietShare} of one CPU over the last {@code window}, and not before
 * {@code least}; at {@code most} whatever they do. The compilers' CPU is read by the reporter at
 * each of the warm-up's wake-ups (see {@link Watch}).
 *
 * <p>Why the compilers and not the rate: a run's rate moves by 5-20% from second to second on a
 * shared machine, while the compilers' share falls from 20-85% of a CPU in the first second to under
 * 1% once the hot paths are compiled. Measured 2026-12-05 (docs/performance.md, "An automatic
 * warm-up"): after the first second, a steady run's compilers take 0-1.5% of a CPU a second (the
 * reporting, a path met for the first time); the default run was quiet by this rule after 7 s, a
 * selector run of 64 flows after 9 s, a virtual one after 15 s, a TLS 1.3 one after 36 s, and the
 * 20 s after each ran at 0.98-1.00 of the rate of seconds 60-88.
 */
public record AutoWarmup(Duration window, double quietShare, Duration least, Duration most) {

    /** 1% of a CPU over 3 s, from 3 s on, at most 2 minutes. */
    public static final AutoWarmup DEFAULT =
            new AutoWarmup(Duration.ofSeconds(3), 0.01, Duration.ofSeconds(3), Duration.ofMinutes(2));

    public AutoWarmup {
        if (window.isNegative() || window.isZero() || least.isNegative() || most.compareTo(least) < 0
                || most.compareTo(window) < 0 || !(quietShare > 0 && quietShare < 1)) {
            throw new IllegalArgumentException("an automatic warm-up needs a positive window and share, and least <= most");
        }
    }

    /** A watch of this rule over a warm-up that starts at {@code startNanos}, reading {@code compilerNanos}. */
    public Watch watch(long startNanos, LongSupplier compilerNanos) {
        return new Watch(this, startNanos, compilerNanos);
    }

    /**
     * The readings of one warm-up: call {@link #quiet} as often as convenient (each call reads the
     * compilers once, a few small /proc files), and the warm-up may end when it says true. Not
     * thread-safe: one reporter thread calls it.
     */
    public static final class Watch {

        /** Readings closer together than this are not kept: the window needs only a few. */
        private static final long MIN_SPACING_NANOS = 100_000_000L;

        private final AutoWarmup rule;
        private final long startNanos;
        private final LongSupplier compilerNanos;
        /** (time, compiler CPU) pairs, oldest first, reaching just past one window back. */
        private final ArrayDeque<long[]> readings = new ArrayDeque<>();
        private double lastShare = Double.NaN;

        Watch(AutoWarmup rule, long startNanos, LongSupplier compilerNanos) {
            this.rule = rule;
            this.startNanos = startNanos;
            this.compilerNanos = compilerNanos;
            readings.add(new long[] {startNanos, compilerNanos.getAsLong()});
        }

        /** Whether the warm-up may end at {@code now}: quiet over the window, past the least; always past the most. */
        public boolean quiet(long now) {
            long elapsed = now - startNanos;
            if (elapsed - rule.most.toNanos() >= 0) {
                return true;
            }
            long cpu = compilerNanos.getAsLong();
            if (now - readings.getLast()[0] >= MIN_SPACING_NANOS) {
                readings.add(new long[] {now, cpu});
            }
            long windowNanos = rule.window.toNanos();
            // Keep the newest reading at least a window old, and drop the ones before it.
            while (readings.size() > 1) {
                Iterator<long[]> it = readings.iterator();
                it.next();
                if (now - it.next()[0] < windowNanos) {
                    break;
                }
                readings.removeFirst();
            }
            long[] from = readings.getFirst();
            long span = now - from[0];
            if (span < windowNanos) {
                return false;
            }
            lastShare = (double) Math.max(0, cpu - from[1]) / span;
            return lastShare <= rule.quietShare && elapsed - rule.least.toNanos() >= 0;
        }

        /** The compilers' share of a CPU over the last full window read, NaN before one was. */
        public double lastShare() {
            return lastShare;
        }
    }
}
