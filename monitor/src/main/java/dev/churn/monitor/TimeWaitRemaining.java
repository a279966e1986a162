package dev.churn.monitor;

import java.util.Arrays;
import java.util.List;

/**
 * A histogram of what is left of the TIME_WAIT sockets' timers in one sample: six 10-second buckets
 * from 0-10 s to 50-60 s (Linux's TIME_WAIT lasts 60 s, TCP_TIMEWAIT_LEN, so a fresh one lands in
 * 50-60 s and an old one in 0-10 s), and one for more than 60 s, which only a kernel with a longer
 * timewait length than upstream's gives. A bucket holds its upper bound (60,000 ms is 50-60 s).
 * Sockets whose timer the source did not give are left out (netlink and proc always give it).
 */
public final class TimeWaitRemaining {

    /** Bucket width. */
    public static final long BUCKET_MILLIS = 10_000;

    /** Buckets up to 60 s; {@link #buckets()} has one more, beyond. */
    public static final int TIMED_BUCKETS = 6;

    /** An empty histogram, for samples with no TIME_WAIT. */
    public static final TimeWaitRemaining EMPTY = new TimeWaitRemaining(new long[TIMED_BUCKETS + 1]);

    private final long[] counts;

    private TimeWaitRemaining(long[] counts) {
        this.counts = counts;
    }

    /** The histogram of the TIME_WAIT rows among {@code rows}. */
    public static TimeWaitRemaining of(List<SocketRow> rows) {
        long[] counts = new long[TIMED_BUCKETS + 1];
        for (SocketRow r : rows) {
            if (r.state() == TcpState.TIME_WAIT && r.timerMillis() >= 0) {
                counts[bucketOf(r.timerMillis())]++;
            }
        }
        return new TimeWaitRemaining(counts);
    }

    /** The bucket of a remaining time: 0 for 0..10,000 ms, ..., 5 up to 60,000 ms, 6 beyond. */
    static int bucketOf(long millis) {
        if (millis > TIMED_BUCKETS * BUCKET_MILLIS) {
            return TIMED_BUCKETS;
        }
        return millis == 0 ? 0 : (int) ((millis - 1) / BUCKET_MILLIS);
    }

    /** How many buckets there are (seven). */
    public static int buckets() {
        return TIMED_BUCKETS + 1;
    }

    /** The sockets in bucket {@code i}. */
    public long count(int i) {
        return counts[i];
    }

    /** Sockets counted, in all buckets. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** The bucket's name in JSON and the table: {@code 0-10s} ... {@code 50-60s}, then {@code over60s}. */
    public static String label(int i) {
        return i == TIMED_BUCKETS ? "over60s" : i * 10 + "-" + (i + 1) * 10 + "s";
    }

    /** The bucket's CSV column: {@code tw_left_0_10s} ... {@code tw_left_over_60s}. */
    public static String column(int i) {
        return i == TIMED_BUCKETS ? "tw_left_over_60s" : "tw_left_" + i * 10 + "_" + (i + 1) * 10 + "s";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeWaitRemaining t && Arrays.equals(counts, t.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("TimeWaitRemaining[");
        for (int i = 0; i < counts.length; i++) {
            b.append(i == 0 ? "" : ", ").append(label(i)).append('=').append(counts[i]);
        }
        return b.append(']').toString();
    }
}
