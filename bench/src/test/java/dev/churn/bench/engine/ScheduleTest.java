package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An open loop reports the schedule it kept, and says when the load generator could not keep it. */
class ScheduleTest {

    @Test
    void aRateOneClientCannotKeepIsFlaggedAsGeneratorLimited() throws IOException {
        // One cycle in flight at most, each tens of µs at best: 100,000/s cannot be kept.
        RunSpec spec = Specs.timed(TransportKind.BLOCKING, Closer.CLIENT, new Load.Open(100_000, 1), Duration.ofMillis(300), null);
        RunResult r = new ChurnEngine(spec).run(RunListener.NONE);

        Schedule s = r.schedule();
        assertNotNull(s);
        assertEquals(30_000, s.intended(), "100,000/s for 300 ms");
        assertEquals(r.attempted(), s.started());
        assertTrue(s.started() < s.intended() / 2, s.toString());
        assertTrue(s.maxLagNanos() > Schedule.LAG_LIMIT_NANOS, s.toString());
        assertEquals(1, s.peakInFlight());
        assertTrue(s.capReached());
        assertTrue(s.generatorLimited(), s.toString());
        // One slot, cycles slower than the 10 µs period: the backlog every start inherits is waiting for that slot, most
        // of it; with a process spinning on one of the two CPUs beside it, the worker's late wake-ups took 21% (0.79, three
        // runs, 2026-12-06), where it is above 0.9 on an idle machine.
        assertTrue(s.slotWaitShare() > 0.6 && s.slotWaitShare() <= 1, s.toString());
    }

    /**
     * One slot the client keeps up with (cycles of tens of µs, 25 ms apart; a cold first cycle took 9 ms): no start
     * waits for it, cold or after a warm-up, on a worker or an event loop. The workers' start-up at the part's
     * beginning is not a slot wait (it was counted as one: 17-86% of a run's lateness with one to four slots,
     * 2026-12-05).
     */
    @ParameterizedTest
    @CsvSource({"BLOCKING, 0", "BLOCKING, 300", "EPOLL, 0", "SELECTOR, 0"})
    void aSlotTheClientKeepsUpWithIsNeverWaitedFor(TransportKind transport, int warmupMillis) throws IOException {
        RunSpec spec = Specs.timed(transport, Closer.CLIENT, new Load.Open(40, 1), Duration.ofMillis(500),
                Duration.ofMillis(warmupMillis));
        RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
        Schedule s = r.schedule();
        assertNotNull(s);
        // A cycle longer than the 25 ms period (a SYN retransmit on a busy machine) would hold the next start back:
        // then a slot wait is real, and this test has nothing to say.
        long longestCycle = r.phases().get(Phase.CYCLE).getMaxValue();
        Assumptions.assumeTrue(longestCycle < 25_000_000, () -> "a cycle took " + longestCycle + " ns, longer than the period");
        assertEquals(0.0, s.slotWaitShare(), s.toString());
    }

    /**
     * An event loop with one slot, cycles slower than the 10 µs period: it claims the next start only when its
     * slot comes free, so most of the lateness (nearly all on an idle machine) is waiting for it. With two loops of
     * one slot each (the default --threads on two CPUs) a start is held back by the slots only while both are full,
     * and most of it was.
     */
    @ParameterizedTest
    @CsvSource({"EPOLL, 1", "SELECTOR, 1", "EPOLL, 2", "SELECTOR, 2"})
    // Splits lateness by what the loops did: beside the other test JVM, while the two filled the TIME_WAIT table to its
    // cap, a start took the loops 1.6 ms (190 in 300 ms, 0.05 of the lag the slots', 2026-12-07) (pom.xml: surefire)
    @Tag("alone")
    void anEventLoopThatCannotKeepUpWaitsForItsSlots(TransportKind transport, int slots) throws IOException {
        RunSpec spec = Specs.timed(transport, Closer.CLIENT, new Load.Open(100_000, slots), Duration.ofMillis(300), null);
        Schedule s = new ChurnEngine(spec).run(RunListener.NONE).schedule();
        assertNotNull(s);
        assertTrue(s.generatorLimited(), s.toString());
        assertEquals(slots, s.peakInFlight(), s.toString());
        // Two loops on two CPUs beside the sink: a loop whose slot came free and that was not running then, while
        // the other's was busy, held the due start back by its own waking (0.89 of it was the slots, 2026-12-05).
        // One loop: 0.89 with a process spinning on one of the two CPUs beside it (2026-12-06), 0.78 beside the other
        // test JVM (2026-12-07: 1,267 starts in 300 ms, a loop whose freed slot waited for a CPU), above 0.9 otherwise.
        // Most of it, either way; a split that put the slots' wait in the waking would give about 0.
        assertTrue(s.slotWaitShare() > 0.5 && s.slotWaitShare() <= 1, s.toString());
    }

    /**
     * A start is late when its thread is not run, and a run so held up is generator-limited, truly: beside two busy
     * loops, 5 of 6 cold JVMs' first runs here started their latest 126-357 ms late, while a thread beside them
     * overslept a 1 ms park by 50-602 ms (2026-12-07). Such a run says nothing of the generator, so each run has a
     * {@link StallWatch} beside it, and the first in which that thread never woke {@link #QUIET_NANOS} late is held to
     * the schedule, whole (there, beside the same loops, the latest start was 5-33 ms late); up to {@link #QUIET_TRIES}
     * runs of 1 s.
     */
    @Test
    void aRateTheClientKeepsIsNotFlagged() throws Exception {
        RunSpec spec = Specs.timed(TransportKind.BLOCKING, Closer.CLIENT, new Load.Open(200, 50), Duration.ofMillis(1000), null);
        List<String> heldUp = new ArrayList<>();
        for (int i = 0; i < QUIET_TRIES; i++) {
            RunResult r;
            long stall;
            try (StallWatch watch = StallWatch.start()) {
                r = new ChurnEngine(spec).run(RunListener.NONE);
                stall = watch.worstNanos();
            }
            if (stall < QUIET_NANOS) {
                assertKeptAtTwoHundred(r.schedule());
                return;
            }
            heldUp.add(stall / 1_000_000 + " ms (" + r.schedule() + ")");
        }
        Assumptions.abort("the machine held every run up, a thread beside it woke late by " + heldUp);
    }

    /** Two periods of the 200/s schedule: the lateness at the deadline the two missed starts allowed below stand for. */
    private static final long QUIET_NANOS = 10_000_000;
    private static final int QUIET_TRIES = 5;

    private static void assertKeptAtTwoHundred(Schedule s) {
        assertNotNull(s);
        assertEquals(200, s.intended(), "200/s for 1 s");
        // The last starts are due 5 and 10 ms before the deadline: a wake-up late by more than that on a busy machine
        // finds the run over, and they never start (in a full verify beside other load: 118 of 120 in 600 ms, the
        // latest 11.5 ms late). Two of 200 stay under the 1% that flags a run; a third is the generator behind.
        assertTrue(s.started() >= s.intended() - 2, s.toString());
        assertTrue(s.maxLagNanos() < Schedule.LAG_LIMIT_NANOS, s.toString());
        // Every start's lag is recorded: the percentiles sit under the latest, and a timed wake-up is
        // never early (a start is never before its time), so the median is not below zero.
        assertTrue(0 <= s.lagP50Nanos() && s.lagP50Nanos() <= s.lagP99Nanos() && s.lagP99Nanos() <= s.maxLagNanos(),
                s.toString());
        assertTrue(s.maxLagNanos() > 0, s.toString());
        assertFalse(s.capReached(), s.toString());
        assertFalse(s.generatorLimited(), s.toString());
        // Never every slot busy: no start waited for one, and all of the lateness was waking.
        assertEquals(0.0, s.slotWaitShare(), s.toString());
    }

    /**
     * A rate of one start a day: the warm-up's second start is due past the run's hard deadline (24 h), which ended
     * the whole run in its warm-up, nothing measured. The warm-up ends on its time; the measured part starts one.
     */
    @Test
    void aStartDueAfterTheRunsEndDoesNotEndItInTheWarmup() throws IOException {
        RunSpec spec = Specs.timed(TransportKind.BLOCKING, Closer.CLIENT, new Load.Open(Load.MIN_RATE, 1), Duration.ofMillis(300),
                Duration.ofMillis(200));
        RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
        assertFalse(r.endedInWarmup(), r.toString());
        assertEquals(RunResult.EndReason.DURATION_REACHED, r.endReason());
        assertEquals(1, r.completed(), "the first start is due at once");
        assertEquals(1, r.schedule().intended(), r.schedule().toString());
    }

    @Test
    void aClosedLoopHasNoSchedule() throws IOException {
        RunResult r = new ChurnEngine(Specs.count(TransportKind.BLOCKING, Closer.CLIENT, 1, 50)).run(RunListener.NONE);
        assertNull(r.schedule());
    }

    @Test
    void theIntendedCountIsTheScheduleUpToTheHorizonCappedByTheConnections() {
        assertEquals(10_000, Schedule.intended(0, 5_000_000_000L, 1e9 / 2000, 0));
        assertEquals(1, Schedule.intended(0, 1, 1e9 / 2000, 0), "the first cycle is due at once");
        assertEquals(0, Schedule.intended(10, 5, 1e9 / 2000, 0));
        assertEquals(500, Schedule.intended(0, 5_000_000_000L, 1e9 / 2000, 500));
    }

    @Test
    void generatorLimitedOnShortfallOrLag() {
        assertFalse(new Schedule(1000, 995, 0, 0, 1_000_000, 3, 10).generatorLimited(), "0.5% short, 1 ms late");
        assertTrue(new Schedule(1000, 980, 0, 0, 1_000_000, 3, 10).generatorLimited(), "2% short");
        assertTrue(new Schedule(1000, 1000, 0, 0, Schedule.LAG_LIMIT_NANOS + 1, 3, 10).generatorLimited(), "late");
        assertFalse(new Schedule(3, 2, 0, 0, 0, 1, 1).generatorLimited(), "one cycle short of a tiny schedule is the last one's rounding");
    }
}
