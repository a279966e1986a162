package dev.churn.bench.engine;

import java.io.IOException;

/**
 * What the engine waits on just before its measured part begins: after the warm-up (if any) and once
 * every listener has started, so nothing but the first cycles lies between the gate opening and the
 * first measured instant. {@code churn run --join} waits here for the session's start instant; the
 * default gate is open.
 */
@FunctionalInterface
public interface StartGate {

    /** Returns when the measured part may begin; an exception ends the run before it measured anything. */
    void await() throws IOException, InterruptedException;

    /**
     * As {@link #await()}, running {@code lastly} just before it returns: the engine opens its measuring windows
     * there (CPU, GC, the kernel's counters). A gate that waits long overrides this to run it only at the end of its
     * wait: a joined run opened them before the gate, so they held its whole wait for the session, a full GC of
     * 32 ms in its pauses and seconds in its CPU window (review, 2026-12-07: 8.46 s for a 2 s run).
     */
    default void await(Runnable lastly) throws IOException, InterruptedException {
        await();
        lastly.run();
    }

    /**
     * The measured part's first instant was just taken: {@code nanoTime}, as {@link System#nanoTime} read it, which the
     * run's window and its generation count from (read again after, it was 2-28 ms late: QA, 2026-12-06). After a warm-up the listeners' readings come between the gate
     * and it (the thread list, /proc): a joined client recorded its start at the gate, and its session's start figures
     * were 5-63 ms ahead of the window its merge used (QA, 2026-12-06).
     */
    default void began(long nanoTime) {}

    StartGate OPEN = () -> {};
}
