package dev.churn.bench.config;

/** How cycles are started: a closed loop of C workers, or an open loop at a fixed rate. */
public sealed interface Load {

    /** C workers each start their next cycle when the last one ends. */
    record Closed(int concurrency) implements Load {
        public Closed {
            if (concurrency < 1 || concurrency > 100_000) {
                throw new IllegalArgumentException("--concurrency must be 1..100000, got " + concurrency);
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
            if (!(ratePerSecond > 0) || ratePerSecond > 10_000_000) {
                throw new IllegalArgumentException("--rate must be > 0 and <= 10000000 per second, got " + ratePerSecond);
            }
            if (maxInFlight < 1 || maxInFlight > 100_000) {
                throw new IllegalArgumentException("in-flight limit must be 1..100000, got " + maxInFlight);
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
