package dev.churn.bench.transport;

import dev.churn.bench.posix.TimerSlack;

/**
 * What the event-loop transports ({@code selector}, {@code epoll}) share: N loops, each on a
 * platform thread of its own with its share of {@link Cycles#concurrency()} (the remainder to the
 * first loops: 64 over 3 is 22, 21, 21), what neper does with {@code -T} threads, so a run with many
 * connections in flight uses every core. The loops share nothing but the {@link Cycles} they claim
 * tickets from and report to; the first loop's error stops the others, which drain.
 */
final class EventLoopThreads {

    private EventLoopThreads() {}

    /**
     * One loop: claims and runs cycles until {@link #run} returns; {@link #close} fails what is still
     * in flight and releases what it holds (a selector, an epoll instance).
     */
    abstract static class Loop implements AutoCloseable {

        /** Longest wait for readiness: how often timeouts are checked and the stop flag seen. */
        static final long TICK_MILLIS = 10;
        private static final long TICK_NANOS = TICK_MILLIS * 1_000_000;

        final Cycles cycles;
        /** This loop's share of the concurrency. */
        final int max;
        private final Failure failure;
        /** Open loop: when every loop's slots were all busy (null in a closed loop, which does not ask). */
        private AllSlotsBusy busy;
        /** Open loop: this loop's slots are all in flight, as {@link #busy} was told. */
        private boolean full;
        /** Open loop: this loop's slot ended the latest span of {@link #busy}, and it has not claimed since. */
        private boolean endedSpan;

        Loop(Cycles cycles, int max, Failure failure) {
            this.cycles = cycles;
            this.max = max;
            this.failure = failure;
        }

        /** Cycles this loop has in flight. */
        abstract int inFlight();

        /** Starts the ticket's cycle (its start already awaited); reports its failure itself. */
        abstract void start(Ticket t);

        /**
         * Waits at most this long for readiness (0: not at all) and moves every ready cycle on. The wait
         * may be as fine as the loop's clock allows (epoll to the microsecond, the JDK's selector in whole
         * milliseconds); it is never shorter than asked.
         */
        abstract void poll(long waitNanos) throws Exception;

        /** Fails the cycles whose current step passed its deadline. */
        abstract void expire(long now);

        @Override
        public abstract void close();

        /**
         * A cycle took one of this loop's slots (its connection is added to {@link #inFlight}, as its cycle starts):
         * the subclasses call it as they do. A cycle on loopback often ends inside {@link #start}, and its slot was
         * busy all the while. A closed loop's cost is this one test.
         */
        final void slotTaken() {
            if (busy != null && !full && inFlight() >= max) {
                full = true;
                busy.loopFull(System.nanoTime());
            }
        }

        /**
         * A cycle left this loop's slots: the subclasses call it once the cycle has ended, closed and reported, as a
         * thread-per-connection worker ends its cycle before it claims the next.
         */
        final void slotFreed() {
            if (full) {
                full = false;
                endedSpan = busy.loopFreed(System.nanoTime());
            }
        }

        /** The next ticket; an open loop's claim says when every slot was last busy (RunControl splits its lateness). */
        private Ticket claim() {
            if (busy == null) {
                return cycles.next();
            }
            AllSlotsBusy.Span s = busy.latest();
            if (endedSpan) {
                // Straight from the end of its cycle, every other slot busy: it held the start up to now.
                endedSpan = false;
                return cycles.next(s.from(), System.nanoTime());
            }
            return cycles.next(s.from(), s.until());
        }

        /** The run is ending early, or another loop failed: finish what is in flight, claim nothing. */
        private boolean stopping() {
            return cycles.stopping() || failure.raised;
        }

        /**
         * Claims tickets while fewer than {@link #max} cycles are in flight, waits for readiness, and
         * returns once no ticket is left and nothing is in flight. In an open loop each loop holds at
         * most one claimed ticket, waiting for its time in {@link #poll}; it never blocks on the
         * others (RunControl does not gate the event loops' claims).
         */
        final void run(AllSlotsBusy allBusy) throws Exception {
            this.busy = allBusy;
            Ticket pending = null;
            boolean draining = false;
            StopGrace grace = new StopGrace();
            long nextScan = System.nanoTime() + TICK_NANOS;
            while (true) {
                // A cycle that completes inside start() (connect and close on loopback often do) leaves
                // room for the next at once, so without a budget this loop would start cycles until the
                // run ends and never look at one still waiting for readiness: a connect caught behind a
                // SYN retransmit was then seen, and timed, only when the run drained (a 12.7 s "connect"
                // in a 15 s run, 2026-12-03), and its timeout never fired. After max starts with a cycle
                // waiting, the loop looks at what is ready without waiting, and checks the deadlines.
                int started = 0;
                while (!draining && inFlight() < max) {
                    if (started >= max && inFlight() > 0) {
                        break;
                    }
                    if (stopping()) {
                        draining = true;
                        break;
                    }
                    if (pending == null && (pending = claim()) == null) {
                        draining = true;
                        break;
                    }
                    // Not yet due (open loop): wait in poll until it is. Read the clock after next(), which set it.
                    if (pending.intendedStartNanos() - System.nanoTime() > 0) {
                        break;
                    }
                    if (!cycles.awaitStart(pending)) {
                        pending = null;
                        draining = true;
                        break;
                    }
                    start(pending);
                    pending = null;
                    started++;
                }
                if (pending != null && stopping()) {
                    cycles.abandon(pending);
                    pending = null;
                    draining = true;
                }
                if (draining && inFlight() == 0) {
                    return;
                }
                long waitNanos = TICK_NANOS;
                if (!draining && pending == null && inFlight() < max) {
                    waitNanos = 0; // out of budget, not of work: only collect what is ready
                } else if (pending != null && inFlight() < max) {
                    // Until the pending start is due, and no longer: each microsecond slept past it is in
                    // that cycle's latency (counted from its intended start).
                    long untilDue = pending.intendedStartNanos() - System.nanoTime();
                    waitNanos = Math.clamp(untilDue, 1, TICK_NANOS);
                }
                poll(waitNanos);
                long now = System.nanoTime();
                if (now - nextScan >= 0) {
                    expire(now);
                    nextScan = now + TICK_NANOS;
                    // Stopped: what is in flight has StopGrace.GRACE to end, not its timeouts; then it counts as unfinished,
                    // and close() fails it unrecorded. Looked at with the deadlines, once a tick, not on every pass.
                    long sinceStop = grace.over(cycles, now);
                    if (sinceStop >= 0) {
                        cycles.giveUp(sinceStop);
                        return;
                    }
                }
            }
        }
    }

    /** Makes loop {@code index} with its share; the loop is closed after it runs. */
    interface LoopFactory {
        Loop open(int index, int share, Failure failure) throws Exception;
    }

    /**
     * Runs {@code loops} loops (at most one per connection in flight) and returns when every one has
     * ended; a single loop runs on the caller's thread, several on threads named {@code threadPrefix}
     * and their index. A loop's unexpected error is rethrown after the others drained; a checked one
     * (the selector or epoll instance failing, not a cycle) as "{@code what} failed: ...".
     */
    static void run(Cycles cycles, int loops, String threadPrefix, String what, LoopFactory factory)
            throws InterruptedException {
        int c = cycles.concurrency();
        int n = Math.min(loops, c);
        Failure failure = new Failure();
        AllSlotsBusy busy = cycles.openLoop() ? new AllSlotsBusy(n) : null;
        if (n == 1) {
            runOne(factory, 0, c, failure, what, busy);
            rethrow(failure);
            return;
        }
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            int share = c / n + (i < c % n ? 1 : 0);
            threads[i] = Thread.ofPlatform().name(threadPrefix + i).start(() -> runOne(factory, index, share, failure, what, busy));
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            // Every loop ends by itself (next() says stop, every cycle step has a timeout), so the
            // joins are bounded; an interrupt ends the run but still waits for them.
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    failure.set(null);
                }
            }
        }
        rethrow(failure);
        if (interrupted) {
            throw new InterruptedException("the event loops were interrupted");
        }
    }

    private static void runOne(LoopFactory factory, int index, int share, Failure failure, String what, AllSlotsBusy busy) {
        long slack = TimerSlack.get();
        TimerSlack.set(1); // an open loop's starts are due to the microsecond: see TimerSlack
        try (Loop loop = factory.open(index, share, failure)) {
            loop.run(busy);
        } catch (RuntimeException | Error e) {
            failure.set(e);
        } catch (Exception e) {
            // Opening or waiting on the selector / epoll failing is not a cycle failure: the run cannot go on.
            failure.set(new IllegalStateException(what + " failed: " + e.getMessage(), e));
        } finally {
            if (slack > 0) {
                TimerSlack.set(slack); // a single loop runs on the caller's thread
            }
        }
    }

    private static void rethrow(Failure failure) {
        Throwable e = failure.error;
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
    }

    /** The first loop's error (or an interrupt, with no error): the other loops stop claiming and drain. */
    static final class Failure {
        volatile boolean raised;
        volatile Throwable error;

        synchronized void set(Throwable e) {
            if (error == null && e != null) {
                error = e;
            }
            raised = true;
        }
    }
}
