package dev.churn.bench.engine;

import java.io.IOException;
import java.util.Locale;

/**
 * A cycle still in flight long after the run stopped starting cycles, past what every timeout of
 * its steps allows: its thread is held where no timeout reaches, and the run's results do not wait
 * for it. Such a place: the lock of the JDK's Cleaner, with which every java.net.Socket registers
 * when it is made and unregisters when it is closed, on which 5,000 virtual threads waited for
 * seconds (2026-12-04). Counted as a failure of its own kind ({@link FailureKind#UNFINISHED}).
 */
public final class UnfinishedCycleException extends IOException {

    public UnfinishedCycleException(long waitedNanos) {
        this(waitedNanos, false);
    }

    /**
     * {@code stopped}: the run was stopped (Ctrl-C, --max-failures), and its cycles in flight had a
     * second to end, not their timeouts: the results are written within Ctrl-C's wait.
     */
    public UnfinishedCycleException(long waitedNanos, boolean stopped) {
        super(stopped
                ? String.format(Locale.ROOT, "still in flight %.1f s after the run was stopped (Ctrl-C, or --max-failures"
                        + " reached): not waited for up to its timeout", waitedNanos / 1e9)
                : String.format(Locale.ROOT, "still in flight %.0f s after the run stopped starting cycles, past every"
                        + " timeout of its steps: its thread was held elsewhere (with thousands of threads, the JDK"
                        + " Cleaner's lock, which every socket takes when it is made and closed); not waited for",
                        waitedNanos / 1e9));
    }
}
