package dev.churn.monitor;

import java.util.EnumMap;
import java.util.Map;

/** Immutable count of sockets per {@link TcpState}; build one with {@link Builder}. */
public final class StateCounts {

    private static final TcpState[] STATES = TcpState.values();

    /** No sockets at all. */
    public static final StateCounts EMPTY = new Builder().build();

    private final long[] counts;

    private StateCounts(long[] counts) {
        this.counts = counts;
    }

    /** Sockets in this state. */
    public long get(TcpState s) {
        return counts[s.ordinal()];
    }

    /** Sockets in all states. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** Per-state maximum of this and other: how peaks accumulate. */
    public StateCounts max(StateCounts other) {
        long[] m = new long[counts.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = Math.max(counts[i], other.counts[i]);
        }
        return new StateCounts(m);
    }

    /** Counts as an ordered map of all eleven states, zeros included. */
    public Map<TcpState, Long> toMap() {
        Map<TcpState, Long> m = new EnumMap<>(TcpState.class);
        for (TcpState s : STATES) {
            m.put(s, counts[s.ordinal()]);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateCounts c && java.util.Arrays.equals(counts, c.counts);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (TcpState s : STATES) {
            if (counts[s.ordinal()] != 0) {
                if (b.length() > 1) {
                    b.append(", ");
                }
                b.append(s).append('=').append(counts[s.ordinal()]);
            }
        }
        return b.append('}').toString();
    }

    /** Mutable accumulator used by sources while they walk the kernel's sockets; not thread-safe. */
    public static final class Builder {
        private final long[] counts = new long[STATES.length];

        /** Counts one socket in this state. */
        public Builder add(TcpState s) {
            counts[s.ordinal()]++;
            return this;
        }

        /** Counts n sockets in this state. */
        public Builder add(TcpState s, long n) {
            counts[s.ordinal()] += n;
            return this;
        }

        /** Counts one socket by kernel code; returns false (counting nothing) for an unknown code. */
        public boolean addCode(int code) {
            TcpState s = TcpState.fromCode(code);
            if (s == null) {
                return false;
            }
            counts[s.ordinal()]++;
            return true;
        }

        public StateCounts build() {
            return new StateCounts(counts.clone());
        }
    }
}
