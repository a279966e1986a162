package dev.churn.monitor;

import java.util.Arrays;

/**
 * How long the CLOSE_WAIT sockets of one group have been idle, in milliseconds: the oldest and the
 * median of their {@link SocketRow#idleMillis()}. A leak shows as an oldest age that keeps growing
 * from sample to sample; sockets that are closed promptly keep both small.
 */
public record IdleAges(long oldestMillis, long medianMillis) {

    /**
     * The ages of {@code millis[0, n)} (reordered in place), or null when {@code n} is 0. With an
     * even count the median is the mean of the two middle values, rounded down.
     */
    static IdleAges of(long[] millis, int n) {
        if (n == 0) {
            return null;
        }
        Arrays.sort(millis, 0, n);
        long median = (n & 1) == 1 ? millis[n / 2] : (millis[n / 2 - 1] + millis[n / 2]) / 2;
        return new IdleAges(millis[n - 1], median);
    }
}
