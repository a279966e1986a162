package dev.churn.bench.result;

import java.time.Duration;

/** Number and duration formats the results share: microseconds to 3 decimals, short durations. */
final class Micros {

    private Micros() {}

    /** Nanoseconds as microseconds, rounded to 3 decimals (a nanosecond). */
    static double fromNanos(double nanos) {
        return round3(nanos / 1000.0);
    }

    /** Rounds to 3 decimals. */
    static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    /** Rounds to 6 decimals: seconds to the microsecond, so that a rate of a short run can be recomputed from them. */
    static double round6(double v) {
        return Math.round(v * 1_000_000.0) / 1_000_000.0;
    }

    /** "250ms", "5s", "90s"; null stays null. Whole seconds print as seconds, the rest as ms. */
    static String duration(Duration d) {
        if (d == null) {
            return null;
        }
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
