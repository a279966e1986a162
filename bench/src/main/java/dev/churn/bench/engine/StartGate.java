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

    StartGate OPEN = () -> {};
}
