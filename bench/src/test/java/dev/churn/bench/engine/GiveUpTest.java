package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.transport.Cycles;
import dev.churn.bench.transport.Ticket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * Cycles a run gives up on (still in flight long past every timeout of their steps) are failures
 * of their own kind, and what they report after is dropped: the results read next agree with
 * themselves, attempted = completed + failed.
 */
class GiveUpTest {

    /** A closed loop of {@code n} connections, n in flight at most, its measured part begun. */
    private static RunControl begun(int n) {
        RunControl c = new RunControl(Specs.count(TransportKind.VIRTUAL, Closer.CLIENT, n, n), System.nanoTime());
        c.begin(System.nanoTime());
        return c;
    }

    /** The next ticket, past its start: a cycle in flight. */
    private static Ticket started(Cycles m) {
        Ticket t = m.next();
        assertTrue(m.awaitStart(t));
        return t;
    }

    @Test
    void cyclesGivenUpOnAreUnfinishedFailuresAndTheirLateOutcomesAreDropped() {
        RunControl c = begun(3);
        Cycles m = c.measuredCycles();
        Ticket a = started(m);
        Ticket b = started(m);
        Ticket d = started(m);
        long now = System.nanoTime();
        m.completed(a, 20_000, -1, 8_000, now);

        assertEquals(2, m.giveUp(31_000_000_000L), "the two cycles that had not reported, not the one that had");
        m.completed(b, 20_000, -1, 8_000, System.nanoTime());
        m.failed(d, new IOException("Connection reset"));

        Generation g = c.generation();
        assertEquals(3, g.attempted.get());
        assertEquals(1, g.completed.sum());
        assertEquals(2, g.failed.get());
        Failures.Stat unfinished = g.failures.snapshot().get(FailureKind.UNFINISHED);
        assertEquals(2, unfinished.count(), g.failures.snapshot()::toString);
        assertTrue(unfinished.firstMessage().startsWith("still in flight 31 s after the run "
                + "stopped starting cycles"), unfinished.firstMessage());
        assertEquals(1, g.failures.snapshot().size(), "the late reset is not counted: " + g.failures.snapshot());
        assertEquals(0, c.generation().inFlight());
    }

    @Test
    void aTicketThatReachesItsStartAfterTheGiveUpDoesNotStart() {
        RunControl c = begun(2);
        Cycles m = c.measuredCycles();
        started(m);
        Ticket late = m.next();

        assertEquals(1, m.giveUp(10_000_000_000L));
        assertFalse(m.awaitStart(late), "the run reads its results now: no cycle starts");

        Generation g = c.generation();
        assertEquals(1, g.attempted.get(), "the late ticket is given back, not counted as attempted");
        assertEquals(1, g.failed.get());
        assertEquals(0, g.completed.sum());
    }

    /**
     * Cycles that end at the very moment of the give-up count once each, as completed or as
     * unfinished, and giveUp returns only when every outcome it let through is fully recorded: the
     * counts and the histograms read at its return are final. Counting the threads still alive
     * counted a cycle that had just reported, in a thread not yet returned, twice.
     */
    @Test
    void cyclesEndingAsTheRunGivesUpCountOnceAndAreFullyRecordedWhenItReturns() throws Exception {
        int threads = 4;
        for (int round = 0; round < 300; round++) {
            RunControl c = begun(threads);
            Cycles m = c.measuredCycles();
            CyclicBarrier go = new CyclicBarrier(threads + 1);
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Ticket t = started(m);
                boolean fail = i % 2 == 1;
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    if (fail) {
                        m.failed(t, new IOException("Connection reset"));
                    } else {
                        m.completed(t, 20_000, 5_000, 8_000, System.nanoTime());
                    }
                }));
            }
            go.await();
            int givenUp = m.giveUp(31_000_000_000L);

            Generation g = c.generation();
            long completed = g.completed.sum();
            long failed = g.failed.get();
            long cyclesRecorded = g.recorder.interval(Phase.CYCLE).getTotalCount();
            long unfinished = g.failures.snapshot().containsKey(FailureKind.UNFINISHED)
                    ? g.failures.snapshot().get(FailureKind.UNFINISHED).count() : 0;
            String at = "round " + round + ": given up " + givenUp + ", completed " + completed + ", failed " + failed;
            assertEquals(threads, completed + failed, at);
            assertEquals(givenUp, unfinished, at);
            assertEquals(completed, cyclesRecorded, at + ": every completed cycle's histograms recorded at giveUp's return");
            for (Thread w : workers) {
                w.join();
            }
            assertEquals(completed, g.completed.sum(), at + ": nothing counted after the give-up");
            assertEquals(failed, g.failed.get(), at);
            assertEquals(0, g.recorder.interval(Phase.CYCLE).getTotalCount(), at + ": nothing recorded after it");
            assertEquals(0, c.generation().inFlight(), at);
        }
    }
}
