package dev.churn.bench.transport;

import dev.churn.bench.posix.TimerSlack;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Runs {@link Cycles#concurrency()} threads (platform or virtual, as the builder makes them), each
 * looping claim, wait, cycle (none started once one of them has found the run over); joins them all,
 * or gives up on the ones still in a cycle well past every timeout of its steps.
 */
final class WorkerThreads {

    /** What one worker thread does with each ticket it claims. */
    interface Body {
        void run(Cycles cycles, Ticket t);
    }

    /** How often the join looks whether it is time to give up. */
    private static final Duration JOIN_SLICE = Duration.ofMillis(100);

    private WorkerThreads() {}

    /**
     * How long after the run stopped starting cycles a cycle may still be in flight: each step
     * (connect, TLS handshake, request, response, the close's wait) is bounded by the plan's timeout,
     * so five of them and 5 s more. Beyond that its thread is held where no timeout reaches, such as
     * a monitor: 5,000 virtual threads queued on the JDK Cleaner's lock waited there for seconds
     * (2026-12-04). A bound, so that no such thread holds the run's end and its results.
     */
    static Duration giveUpAfter(ClientPlan plan) {
        return Duration.ofMillis(5L * plan.timeoutMillis()).plusSeconds(5);
    }

    /** As {@link #run(Thread.Builder, Cycles, Supplier, Duration)}, giving up after {@link #giveUpAfter}. */
    static void run(Thread.Builder threads, Cycles cycles, Supplier<Body> bodies, ClientPlan plan) throws InterruptedException {
        run(threads, cycles, bodies, giveUpAfter(plan));
    }

    /**
     * Starts the workers from {@code threads} (named with a counter, e.g. {@code name("churn-blocking-", 0)}),
     * each with its own body from {@code bodies}, and returns when all have ended, or when some are
     * still in a cycle {@code giveUpAfter} after the first ended (the run stopped starting cycles) and
     * after the latest start a worker had claimed, or
     * {@link StopGrace#GRACE} after the run was stopped: those are given up on
     * ({@link Cycles#giveUp}), and left to end by themselves (a transport's {@link SocketWatchdog}, closing, ends the
     * socket calls it watches).
     */
    static void run(Thread.Builder threads, Cycles cycles, Supplier<Body> bodies, Duration giveUpAfter)
            throws InterruptedException {
        Thread[] workers = new Thread[cycles.concurrency()];
        FirstEnd firstEnd = new FirstEnd();
        // Only an open loop claims starts ahead; a closed loop's cycle starts as it is claimed, and its workers would
        // share one more compare-and-set a cycle for nothing.
        LatestStart latest = cycles.openLoop() ? new LatestStart() : null;
        AtomicBoolean over = new AtomicBoolean();
        for (int i = 0; i < workers.length; i++) {
            // A worker that found no next cycle found the run over: a worker started now would find none either. They
            // were started all the same, one after another: of an open loop's 1,000 (its default in flight), 960 started
            // and ended for nothing after its 5,000 connections at --rate 50000 on 2 busy CPUs had ended, the last 1.35 s
            // after, and that time and CPU were the measured part's CPU window's (audit, 2026-12-08).
            if (over.get()) {
                break;
            }
            Body body = bodies.get();
            workers[i] = threads.start(() -> {
                if (!Thread.currentThread().isVirtual()) {
                    // An open loop's worker sleeps until its cycle's start (RunControl.awaitStart): see
                    // TimerSlack. A virtual thread's timed park is the JDK scheduler's timer, not its own.
                    TimerSlack.set(1);
                }
                try {
                    loop(cycles, body, latest);
                    over.set(true);
                } finally {
                    firstEnd.mark();
                }
            });
        }
        StopGrace grace = new StopGrace();
        for (Thread t : workers) {
            if (t == null) {
                break; // not started: the run was over
            }
            while (!t.join(JOIN_SLICE)) {
                long waited = firstEnd.since(latest);
                if (waited > giveUpAfter.toNanos()) {
                    cycles.giveUp(waited);
                    return;
                }
                // Stopped: timed from the stop, seen here within a slice; every worker may be stuck, none ended.
                long sinceStop = grace.over(cycles, System.nanoTime());
                if (sinceStop >= 0) {
                    cycles.giveUp(sinceStop);
                    return;
                }
            }
        }
    }

    private static void loop(Cycles cycles, Body body, LatestStart latest) {
        for (Ticket t = cycles.next(); t != null; t = cycles.next(t)) {
            if (latest != null) {
                latest.claimed(t.intendedStartNanos());
            }
            if (!cycles.awaitStart(t)) {
                return;
            }
            body.run(cycles, t);
        }
    }

    /**
     * The latest intended start of a ticket a worker claimed. In an open loop a worker claims its next slot and then
     * sleeps until it is due, so when the first worker ends (its claim fell past the run's end) others may still be
     * waiting for starts inside the schedule, up to a slot per worker later: at --rate 0.2 a start due 10 s into a 15 s
     * run was given up on before it came and counted as missed (review, 2026-12-07). The give-up clock runs from this
     * too.
     */
    private static final class LatestStart {
        private final AtomicLong nanos = new AtomicLong(Long.MIN_VALUE);

        void claimed(long intendedStartNanos) {
            nanos.accumulateAndGet(intendedStartNanos, (a, b) -> a == Long.MIN_VALUE || b - a > 0 ? b : a);
        }

        /** The latest start claimed, or {@code orElse} when none was. */
        long at(long orElse) {
            long n = nanos.get();
            return n == Long.MIN_VALUE ? orElse : n;
        }
    }

    /** When the first worker ended: from then on no cycle is claimed, and the others only start and finish theirs. */
    private static final class FirstEnd {
        private volatile boolean ended;
        private volatile long atNanos;

        void mark() {
            if (!ended) {
                atNanos = System.nanoTime();
                ended = true;
            }
        }

        /**
         * Nanoseconds since the first worker ended and the latest claimed start came ({@code latest} null: a closed
         * loop, none ahead), or -1 while no worker ended.
         */
        long since(LatestStart latest) {
            if (!ended) {
                return -1;
            }
            long from = atNanos;
            long start = latest == null ? from : latest.at(from);
            return System.nanoTime() - (start - from > 0 ? start : from);
        }
    }
}
