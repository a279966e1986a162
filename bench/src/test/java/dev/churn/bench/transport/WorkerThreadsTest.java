package dev.churn.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The workers' join gives up on a cycle still going well after the run stopped starting cycles
 * (its thread held where no timeout reaches, as 5,000 virtual threads on the JDK Cleaner's lock
 * were), and waits for every cycle that ends by itself.
 */
class WorkerThreadsTest {

    /** Counts what it is told, and what it is told to give up on. */
    private static class Watched extends CountingCycles {
        final AtomicInteger givenUp = new AtomicInteger(-1);
        final AtomicLong waited = new AtomicLong();

        Watched(int concurrency, long tickets) {
            super(concurrency, tickets);
        }

        @Override
        public int giveUp(long waitedNanos) {
            int cycles = inFlight.get();
            givenUp.set(cycles);
            waited.set(waitedNanos);
            return cycles;
        }
    }

    @Test
    void aCycleHeldPastTheBoundIsGivenUpOnAndTheOthersAreWaitedFor() throws Exception {
        Watched cycles = new Watched(4, 40);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger();
        long t0 = System.nanoTime();
        try {
            WorkerThreads.run(Thread.ofVirtual(), cycles, () -> (c, t) -> {
                if (held.getAndIncrement() == 5) {
                    // The sixth cycle's thread is held where nothing times out, as a monitor held it.
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                c.completed(t, 1_000, -1, 1_000, System.nanoTime());
            }, Duration.ofMillis(600));
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(1, cycles.givenUp.get(), "the one held cycle");
            assertTrue(cycles.waited.get() >= 600_000_000L, () -> "gave up after " + cycles.waited.get() + " ns");
            assertTrue(took < 5_000, () -> "the join gave up after " + took + " ms");
            assertEquals(39, cycles.completed.get());
        } finally {
            never.countDown();
        }
    }

    /**
     * A thread held after its cycle reported (as a close can be held on the Cleaner's lock) is given
     * up on, but its cycle is not: the count comes from the cycles, not from the threads still alive,
     * which counted this one twice, completed and unfinished.
     */
    @Test
    void aThreadHeldAfterItsCycleReportedIsNotACycleGivenUpOn() throws Exception {
        Watched cycles = new Watched(4, 40);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger();
        try {
            WorkerThreads.run(Thread.ofVirtual(), cycles, () -> (c, t) -> {
                c.completed(t, 1_000, -1, 1_000, System.nanoTime());
                if (held.getAndIncrement() == 5) {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, Duration.ofMillis(600));
            assertEquals(0, cycles.givenUp.get(), "the join gave up on the thread, and on no cycle");
            assertEquals(40, cycles.completed.get());
        } finally {
            never.countDown();
        }
    }

    /**
     * An open loop's workers claim their slots ahead and sleep until each is due: the first worker ends as soon as its
     * claim falls past the run's end, while the others still wait for starts inside the schedule. The bound counts from
     * the latest start claimed as well: counted from the first end alone, a start due 10 s into a run at --rate 0.2 was
     * given up on before it came and counted as missed (review, 2026-12-07). Here four slots 300 ms apart, the bound
     * 400 ms: the last is due 900 ms after the first worker ended.
     */
    @Test
    void startsClaimedAheadInsideTheScheduleAreWaitedFor() throws Exception {
        long t0 = System.nanoTime();
        AtomicInteger slot = new AtomicInteger();
        Watched cycles = new Watched(4, 4) {
            @Override
            public boolean openLoop() {
                return true;
            }

            @Override
            public Ticket next() {
                if (left.getAndDecrement() <= 0) {
                    return null;
                }
                long due = t0 + slot.getAndIncrement() * 300_000_000L;
                return () -> due;
            }

            @Override
            public boolean awaitStart(Ticket t) {
                long wait = t.intendedStartNanos() - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                return super.awaitStart(t);
            }
        };
        WorkerThreads.run(Thread.ofVirtual(), cycles, () -> (c, t) -> c.completed(t, 1_000, -1, 1_000, System.nanoTime()),
                Duration.ofMillis(400));
        assertEquals(-1, cycles.givenUp.get(), () -> "gave up on " + cycles.givenUp.get() + " after "
                + cycles.waited.get() / 1_000_000 + " ms");
        assertEquals(4, cycles.completed.get());
    }

    @Test
    void cyclesThatEndByThemselvesAreAllWaitedFor() throws Exception {
        Watched cycles = new Watched(4, 12);
        WorkerThreads.run(Thread.ofVirtual(), cycles, () -> (c, t) -> {
            try {
                Thread.sleep(300); // longer than the join's slice, well within the bound
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            c.completed(t, 1_000, -1, 1_000, System.nanoTime());
        }, Duration.ofSeconds(30));
        assertEquals(-1, cycles.givenUp.get(), "nothing given up on");
        assertEquals(12, cycles.completed.get());
    }
}
