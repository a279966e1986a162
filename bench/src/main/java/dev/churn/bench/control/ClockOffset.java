package dev.churn.bench.control;

import java.util.List;

/**
 * How far the server's wall clock is ahead of the client's, measured as NTP does over the control
 * channel: the client stamps a ping as it leaves (t0) and as the pong comes back (t3), the server
 * as the ping arrives (t1) and as the pong leaves (t2). With equal delays each way the offset is
 * {@code ((t1 - t0) + (t2 - t3)) / 2} and the round trip {@code (t3 - t0) - (t2 - t1)}; the error
 * is at most half the round trip, so the sample with the shortest round trip is kept.
 *
 * @param offsetNanos server clock minus client clock
 * @param rttNanos    the round trip of the sample kept (network and both ends' scheduling)
 * @param samples     how many ping-pongs were measured
 */
public record ClockOffset(long offsetNanos, long rttNanos, int samples) {

    /** One ping-pong's four stamps, epoch nanoseconds: t0, t3 on the client's clock; t1, t2 on the server's. */
    public record Sample(long t0, long t1, long t2, long t3) {

        long rtt() {
            return (t3 - t0) - (t2 - t1);
        }

        long offset() {
            // Halves first: four epoch-nanosecond stamps would not overflow a sum, but differences are clearer.
            return ((t1 - t0) + (t2 - t3)) / 2;
        }
    }

    /** The estimate from the sample with the shortest round trip. */
    public static ClockOffset of(List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no clock samples");
        }
        Sample best = samples.getFirst();
        for (Sample s : samples) {
            if (s.rtt() < best.rtt()) {
                best = s;
            }
        }
        return new ClockOffset(best.offset(), Math.max(0, best.rtt()), samples.size());
    }

    /** A client-clock instant on the server's clock. */
    public long toServer(long clientEpochNanos) {
        return clientEpochNanos + offsetNanos;
    }

    /** A server-clock instant on the client's clock. */
    public long toClient(long serverEpochNanos) {
        return serverEpochNanos - offsetNanos;
    }
}
