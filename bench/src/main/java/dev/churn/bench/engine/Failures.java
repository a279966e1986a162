package dev.churn.bench.engine;

import java.net.BindException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe failure counts by kind, with when and how each kind first happened. Engine threads
 * call {@link #record}; reporters take a {@link #snapshot}.
 */
public final class Failures {

    /** One kind's tally: how many, when the first came (ms since the run started), its message. */
    public record Stat(long count, long firstAtMillis, String firstMessage) {}

    private static final FailureKind[] KINDS = FailureKind.values();

    private final long startNanos;
    private final LongAdder[] counts = new LongAdder[KINDS.length];
    private final AtomicReferenceArray<First> first = new AtomicReferenceArray<>(KINDS.length);

    /** A kind's first failure: nanoseconds after the start, kept whole so a later origin loses nothing to rounding. */
    private record First(long atNanos, String message) {}
    private final LongAdder total = new LongAdder();

    /** Counts failures of a run that started at this System.nanoTime(). */
    public Failures(long startNanos) {
        this.startNanos = startNanos;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one failure and returns its kind. */
    public FailureKind record(Throwable t) {
        FailureKind k = FailureKind.classify(t);
        counts[k.ordinal()].increment();
        total.increment();
        if (first.get(k.ordinal()) == null) {
            // A JDK exception's name says something ("ConnectException: Connection refused"); churn's own say it in their
            // message, and "HttpStatusException: HTTP status 404" showed an SRE a Java class (QA, 2026-12-06).
            String msg = firstMessage(t);
            first.compareAndSet(k.ordinal(), null, new First(System.nanoTime() - startNanos, msg));
        }
        return k;
    }

    /** How a failure's first occurrence is told: its class (a JDK one) and message. */
    static String firstMessage(Throwable t) {
        boolean ours = t.getClass().getName().startsWith("dev.churn.") && t.getMessage() != null;
        if (ours) {
            return t.getMessage();
        }
        // The JDK throws BindException for EADDRNOTAVAIL and EADDRINUSE from connect() too: "BindException: Cannot
        // assign requested address" sent a reader to bind() where strace showed only connect() failing (QA, 2026-12-06).
        if (t instanceof BindException && t.getMessage() != null && thrownBy(t, "connect")) {
            return "connect: " + t.getMessage();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Whether the innermost frames (the JDK's native call and its callers) name {@code call}. */
    private static boolean thrownBy(Throwable t, String call) {
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < Math.min(4, frames.length); i++) {
            if (frames[i].getMethodName().startsWith(call)) {
                return true;
            }
        }
        return false;
    }

    /** Failures of all kinds so far. */
    public long total() {
        return total.sum();
    }

    /** The kinds seen so far, in enum order, with counts and first occurrences. */
    public Map<FailureKind, Stat> snapshot() {
        return snapshotFrom(startNanos);
    }

    /**
     * As {@link #snapshot}, the first occurrences counted from {@code fromNanos} (a closed loop's window starts at its
     * first cycle, after the part's start: "first at 41 ms" in a window of 34 ms read as after the run).
     */
    public Map<FailureKind, Stat> snapshotFrom(long fromNanos) {
        long shift = fromNanos - startNanos;
        Map<FailureKind, Stat> m = new EnumMap<>(FailureKind.class);
        for (FailureKind k : KINDS) {
            long c = counts[k.ordinal()].sum();
            First f = first.get(k.ordinal());
            if (c > 0 && f != null) {
                m.put(k, new Stat(c, Math.max(0, f.atNanos() - shift) / 1_000_000, f.message()));
            }
        }
        return m;
    }
}
