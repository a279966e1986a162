package dev.churn.bench.transport;

import dev.churn.bench.engine.SelfConnectException;
import java.io.IOException;

/**
 * What a transport asks of the run it serves: the next cycle to start, and where its outcome goes.
 * A transport loops {@link #next} / {@link #awaitStart} / cycle / {@link #completed} or
 * {@link #failed} until {@link #next} returns null, then waits for its in-flight cycles and returns.
 * Every method is thread-safe.
 */
public interface Cycles {

    /** The most cycles that may be in flight at once. */
    int concurrency();

    /** The next cycle to run, or null when the run is over (count, duration, failures or stop); never blocks. */
    Ticket next();

    /**
     * {@link #next}, asked by a worker whose cycle of {@code previous} has just ended (null: its first ask): an
     * open loop tells from it whether a late start waited for that worker's slot to come free.
     */
    default Ticket next(Ticket previous) {
        return next();
    }

    /**
     * {@link #next}, asked by an event loop with a free slot: from {@code allBusyFrom} to {@code allBusyUntil}
     * (System.nanoTime(); equal when never) was the latest span in which every slot of every loop was in flight. An
     * open loop counts the part of a late start's lateness inside it as waiting for a free slot.
     */
    default Ticket next(long allBusyFrom, long allBusyUntil) {
        return next();
    }

    /** True in an open loop (a --rate), whose loops then say when their slots were busy ({@link #next(long, long)}). */
    default boolean openLoop() {
        return false;
    }

    /**
     * Waits until the ticket's intended start (returns at once when it has passed) and marks the
     * cycle in flight; false, with the ticket given back, when the run stops meanwhile.
     */
    boolean awaitStart(Ticket t);

    /** True once the run is ending: loops finish their current cycle and claim no more. */
    boolean stopping();

    /** Gives back a ticket that will never start (the run is ending). */
    void abandon(Ticket t);

    /**
     * The ticket's cycle connected from this local port; its connect() started and returned at these
     * System.nanoTime()s. The built-in sink pairs it with its accept() to time the ACCEPT phase. Throws when the
     * local port is the target's own (a loopback target port the client may take as its own: in the ephemeral range,
     * or in --bind-ports): the socket connected to itself, and the caller fails the cycle with it.
     */
    void connected(Ticket t, int localPort, long connectStartNanos, long connectEndNanos) throws SelfConnectException;

    /**
     * True when {@link #connected} is wanted (the built-in sink, or a target a connect could reach itself at): saves
     * a getsockname otherwise.
     */
    boolean wantsConnected();

    /**
     * The cycle ended well: phase durations in nanoseconds ({@code firstByteNanos} negative when no
     * response was asked for) and the System.nanoTime() at which its descriptor was closed.
     */
    void completed(Ticket t, long connectNanos, long firstByteNanos, long closeNanos, long endNanos);

    /**
     * The cycle ended well over TLS: as {@link #completed}, plus its TLS handshake's nanoseconds and
     * whether the handshake resumed a session (no certificate was sent).
     */
    default void completedTls(Ticket t, long connectNanos, long tlsNanos, boolean resumed, long firstByteNanos,
                              long closeNanos, long endNanos) {
        completed(t, connectNanos, firstByteNanos, closeNanos, endNanos);
    }

    /** The cycle failed with this error; its socket is already closed. */
    void failed(Ticket t, IOException e);

    /**
     * Gives up on the cycles still in flight {@code waitedNanos} after the run stopped starting
     * cycles, past every timeout of their steps: a run that counts them counts them as failed, and
     * drops whatever they report later. Returns how many it gave up on: the cycles that had started
     * and not reported, not the threads still alive (one may have reported and not yet returned).
     */
    default int giveUp(long waitedNanos) {
        return 0;
    }
}
