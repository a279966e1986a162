package dev.churn.bench.config;

/** How cycles are started: a closed loop of C workers, or an open loop at a fixed rate. */
public sealed interface Load {

    /** The most cycles at once (or in flight) a run takes; the CLI's converters say the same bounds. */
    int MAX_CONCURRENCY = 100_000;

    /** The fastest schedule a run paces, connections per second. */
    double MAX_RATE = 10_000_000;

    /**
     * The slowest: one connection a day, as long as a run may last (--duration's 24 h). Slower was accepted down to
     * 1e-300, ran for years and named itself with a label past its own limit (QA, 2026-12-06).
     */
    double MIN_RATE = 1.0 / 86_400;

    /** C workers each start their next cycle when the last one ends. */
    record Closed(int concurrency) implements Load {
        public Closed {
            if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
                throw new IllegalArgumentException("--concurrency must be 1.." + MAX_CONCURRENCY + ", got " + concurrency);
            }
        }
    }

    /**
     * Cycles start on a schedule of {@code ratePerSecond}; latency counts from the intended start,
     * so a stall shows up in every cycle it delays (coordinated omission corrected). At most
     * {@code maxInFlight} cycles run at once; later ones wait (and their latency grows).
     */
    record Open(double ratePerSecond, int maxInFlight) implements Load {
        public Open {
            if (!(ratePerSecond >= MIN_RATE) || ratePerSecond > MAX_RATE) {
                throw new IllegalArgumentException("--rate must be one a day (" + MIN_RATE + "/s) to " + (long) MAX_RATE
                        + " per second, got " + ratePerSecond);
            }
            if (maxInFlight < 1 || maxInFlight > MAX_CONCURRENCY) {
                throw new IllegalArgumentException("in-flight limit must be 1.." + MAX_CONCURRENCY + ", got " + maxInFlight);
            }
        }
    }

    /** How many cycles may run at once. */
    default int concurrency() {
        return switch (this) {
            case Closed c -> c.concurrency();
            case Open o -> o.maxInFlight();
        };
    }
}
