package dev.churn.bench.transport;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fixed number of tickets for a transport under test, counting claims, outcomes and the cycles in
 * flight; nothing stops the run and no ACCEPT pairing is asked for. Subclasses watch more through
 * the {@link #claimed}, {@link #starting} and {@link #ended} hooks, called on the transport's threads.
 */
public class CountingCycles implements Cycles {

    final int concurrency;
    final AtomicLong left;
    final AtomicLong claimed = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    /** The last completed cycle's CONNECT, in nanoseconds (-1 before any). */
    final AtomicLong lastConnectNanos = new AtomicLong(-1);
    public final AtomicReference<IOException> firstFailure = new AtomicReference<>();

    public CountingCycles(int concurrency, long tickets) {
        this.concurrency = concurrency;
        this.left = new AtomicLong(tickets);
    }

    /** On the claiming thread, for each ticket handed out. */
    void claimed() {}

    /** On the thread about to run a cycle, once it counts as in flight. */
    void starting() {}

    /** On the thread that ran a cycle, before it stops counting as in flight. */
    void ended() {}

    @Override
    public int concurrency() {
        return concurrency;
    }

    @Override
    public Ticket next() {
        if (left.getAndDecrement() <= 0) {
            return null;
        }
        claimed.incrementAndGet();
        claimed();
        long now = System.nanoTime();
        return () -> now;
    }

    @Override
    public boolean awaitStart(Ticket t) {
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        starting();
        return true;
    }

    @Override
    public boolean stopping() {
        return false;
    }

    @Override
    public void abandon(Ticket t) {
        throw new AssertionError("nothing stops this run");
    }

    @Override
    public void connected(Ticket t, int localPort, long connectStartNanos, long connectEndNanos) {}

    @Override
    public boolean wantsConnected() {
        return false;
    }

    @Override
    public void completed(Ticket t, long connectNanos, long firstByteNanos, long closeNanos, long endNanos) {
        lastConnectNanos.set(connectNanos);
        ended();
        inFlight.decrementAndGet();
        completed.incrementAndGet();
    }

    @Override
    public void failed(Ticket t, IOException e) {
        firstFailure.compareAndSet(null, e);
        ended();
        inFlight.decrementAndGet();
        failed.incrementAndGet();
    }
}
