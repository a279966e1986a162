package dev.churn.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;

/** What a comparison shows of each run, read from the run's summary.json (churn.run/1). */
public enum Metric {
    RATE("rate", "rate/s", "/connections/perSecond"),
    CONNECT_P50("connectP50", "conn p50", "/phases/connect/p50"),
    CONNECT_P99("connectP99", "conn p99", "/phases/connect/p99"),
    CONNECT_P999("connectP999", "conn p99.9", "/phases/connect/p999"),
    CLOSE_P99("closeP99", "close p99", "/phases/close/p99"),
    CYCLE_P99("cycleP99", "cycle p99", "/phases/cycle/p99"),
    TIME_WAIT_PEAK("timeWaitPeak", "TW peak", "/states/peak/TIME_WAIT"),
    CLOSE_WAIT_PEAK("closeWaitPeak", "CW peak", "/states/peak/CLOSE_WAIT"),
    FAILURES("failures", "failed", "/connections/failed");

    private final String key;
    private final String heading;
    private final String pointer;

    Metric(String key, String heading, String pointer) {
        this.key = key;
        this.heading = heading;
        this.pointer = pointer;
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

    /** The metric's value in a run summary; 0 when the run has no such value (a phase without samples). */
    public double of(JsonNode summary) {
        return summary.at(pointer).asDouble(0);
    }
}
