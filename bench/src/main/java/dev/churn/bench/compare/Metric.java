package dev.churn.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a comparison shows of each run, read from the run's summary.json (churn.run/1), and which
 * direction of it is better.
 */
public enum Metric {
    RATE("rate", "rate/s", "/connections/perSecond", Better.HIGHER),
    CONNECT_P50("connectP50", "conn p50", "/phases/connect/p50", Better.LOWER),
    CONNECT_P99("connectP99", "conn p99", "/phases/connect/p99", Better.LOWER),
    CONNECT_P999("connectP999", "conn p99.9", "/phases/connect/p999", Better.LOWER),
    CLOSE_P99("closeP99", "close p99", "/phases/close/p99", Better.LOWER),
    CYCLE_P99("cycleP99", "cycle p99", "/phases/cycle/p99", Better.LOWER),
    // Sockets the kernel holds after the connections are gone: fewer is cheaper and safer.
    TIME_WAIT_PEAK("timeWaitPeak", "TW peak", "/states/peak/TIME_WAIT", Better.LOWER),
    CLOSE_WAIT_PEAK("closeWaitPeak", "CW peak", "/states/peak/CLOSE_WAIT", Better.LOWER),
    FAILURES("failures", "failed", "/connections/failed", Better.LOWER),
    /**
     * RSTs the kernel sent during the run (the OutRsts counter's delta): linger 0's real cost,
     * since the peer sees a reset, not an orderly close. Namespace-wide, like every kernel counter.
     */
    RESETS("resets", "resets", "/kernel/OutRsts", Better.LOWER),
    /**
     * {@link #RESETS} over the connections attempted: 1 where every client close aborts, about 0
     * where none does. The count alone follows the rate: a configuration that made fewer connections
     * in the same time sent fewer RSTs and looked better for it (virtual threads against epoll with
     * --linger 0 did, 2026-12-05). The table shows this one; comparison.json keeps both.
     */
    RESETS_PER_CONNECTION("resetsPerConnection", "resets/conn", "/kernel/OutRsts", Better.LOWER,
            "/connections/attempted"),
    /**
     * churn's own CPU per connection over the measured part, in microseconds (summary.json's
     * {@code cpu}, client and built-in sink and the JVM together): what a configuration costs the
     * machine, which a rate alone hides when the CPUs are not all busy. Runs older than 2026-12-05
     * do not have it.
     */
    CPU_PER_CONNECTION("cpuPerConnection", "cpu µs/conn", "/cpu/perConnectionMicros", Better.LOWER),
    /**
     * An open loop's starts that were due and never made (summary.json's {@code schedule.missed}): where it is not
     * 0, the rate is what this client managed, not --rate, and ranking rows by it compares clients, not
     * configurations. A closed loop has no schedule, and so no value. The table shows it when a row has one.
     */
    MISSED("missed", "missed", "/schedule/missed", Better.LOWER),
    /**
     * The TLS handshake's median, where rows speak TLS: what compare's own example, --vary tls=off,1.2,1.3, is asked for,
     * which the table did not show (QA, 2026-12-06). A row without TLS has none.
     */
    TLS_P50("tlsP50", "tls p50", "/phases/tls/p50", Better.LOWER),
    /** The first response byte's median, where rows read a response (--response, --http). */
    FIRST_BYTE_P50("firstByteP50", "1st byte p50", "/phases/first_byte/p50", Better.LOWER);

    /** Which way a metric improves. */
    public enum Better {
        HIGHER("↑"),
        LOWER("↓");

        private final String arrow;

        Better(String arrow) {
            this.arrow = arrow;
        }

        /** The JSON value: "higher" or "lower". */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** ↑ or ↓, for table headings. */
        public String arrow() {
            return arrow;
        }

        /** True when going from {@code base} to {@code value} is an improvement. */
        public boolean improves(double base, double value) {
            return this == HIGHER ? value > base : value < base;
        }
    }

    private final String key;
    private final String heading;
    /**
     * Fewer completed connections than this give no CPU cost each: a handful divides the JVM's own work (its compiler,
     * the sampler) by a handful, and a run of 10 was said to cost 8,000 µs a connection (QA, 2026-12-06).
     */
    public static final int FEW_FOR_A_COST = 1_000;

    private final String pointer;
    private final Better better;
    private final String per;

    Metric(String key, String heading, String pointer, Better better) {
        this(key, heading, pointer, better, null);
    }

    /** {@code per}: a count the value is divided by (a per-connection figure), or null. */
    Metric(String key, String heading, String pointer, Better better, String per) {
        this.key = key;
        this.heading = heading;
        this.pointer = pointer;
        this.better = better;
        this.per = per;
    }

    /**
     * True when a run summary has a value of this metric. Not every one does, and a missing value is
     * not a 0, which would rank as the best row: a run that completed no connection times no phase (its
     * latencies were once shown as 0.0 µs), a merged run keeps its hosts' states and kernel counters
     * under {@code hosts[]} only (its TIME_WAIT peak was shown as 0), an older run has no {@code cpu},
     * a closed loop no {@code schedule}, and a per-connection figure needs a connection attempted.
     */
    public boolean in(JsonNode summary) {
        if (!summary.at(pointer).isNumber()) {
            return false;
        }
        if (this == CPU_PER_CONNECTION && summary.at("/connections/completed").asLong(0) < FEW_FOR_A_COST) {
            // The run's own table gives no cost each below this, and compare printed one: 36.6 µs a connection from runs
            // of 400 whose repeats read 87.5, 36.6 and 33.5 (QA, 2026-12-06).
            return false;
        }
        return per == null || summary.at(per).asDouble(0) > 0;
    }

    /** Which direction is better. */
    public Better better() {
        return better;
    }

    /** The JSON key in comparison.json. */
    public String key() {
        return key;
    }

    /** The short column heading of the table (latencies in µs). */
    public String heading() {
        return heading;
    }

    /** True for latencies, in microseconds. */
    public boolean latency() {
        return pointer.startsWith("/phases/");
    }

    /** True for a share of each connection (a value near 0 or 1, shown with decimals). */
    public boolean perConnection() {
        return per != null;
    }

    /**
     * The metric's value in a run summary; 0 when the run has no such value (a phase without samples)
     * or, for a per-connection figure, no connection was attempted.
     */
    public double of(JsonNode summary) {
        double v = summary.at(pointer).asDouble(0);
        if (per == null) {
            return v;
        }
        double n = summary.at(per).asDouble(0);
        return n > 0 ? v / n : 0;
    }
}
