package dev.churn.monitor;

/**
 * The TCP line of {@code /proc/net/sockstat}: O(1) totals for the whole network namespace, not
 * filtered by port. {@code tw} counts every timewait minisocket, orphaned FIN_WAIT2 included, so it
 * can exceed the TIME_WAIT count a port filter shows. -1 marks a value the kernel did not give.
 */
public record Sockstat(long inuse, long orphan, long tw, long alloc, long mem) {
    /** Used when sockstat cannot be read (not Linux): every value unknown. */
    public static final Sockstat UNKNOWN = new Sockstat(-1, -1, -1, -1, -1);
}
