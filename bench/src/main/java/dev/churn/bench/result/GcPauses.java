package dev.churn.bench.result;

/**
 * The JVM's garbage-collection pauses over a run's measured part: how many, their total and the
 * longest, in milliseconds (the JVM reports each pause in whole milliseconds). Every thread of the
 * process stops for a pause, the client's and the built-in sink's, so a pause is in the latency of
 * each cycle it caught, and in an open loop in every start that fell due during it: a 35 ms G1
 * young pause at --rate 10000 was that run's p99.9 (docs/performance.md).
 */
public record GcPauses(int pauses, long totalMillis, long maxMillis) {

    /** {@code maxMillis} -1: not known (the longest pause's report had not arrived when the part ended). */
    public GcPauses {
        if (pauses < 0 || totalMillis < 0 || maxMillis < -1 || maxMillis > totalMillis) {
            throw new IllegalArgumentException("pauses " + pauses + ", total " + totalMillis + " ms, max " + maxMillis + " ms");
        }
    }

    /** No pause. */
    public static final GcPauses NONE = new GcPauses(0, 0, 0);

}
