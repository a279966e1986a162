package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Concurrency beyond what a run can use or this process can serve: capped, or refused in one line. */
class ConcurrencyCapTest {

    @Test
    void concurrencyAboveTheConnectionsStartsNoIdleWorkers() throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        threads.resetPeakThreadCount();
        RunResult r = new ChurnEngine(Specs.count(TransportKind.BLOCKING, Closer.CLIENT, 100_000, 200)).run(RunListener.NONE);

        assertEquals(200, r.completed());
        int peak = threads.getPeakThreadCount();
        assertTrue(peak <= before + 200 + 32, "peak threads " + peak + " from " + before + ": at most one worker per connection");
        assertEquals(200, Specs.count(TransportKind.BLOCKING, Closer.CLIENT, 100_000, 200).effectiveConcurrency());
    }

    @Test
    void theWindowEndsWhenTheLastCycleEndsNotWhenTheThreadsAreJoined() {
        Generation g = new Generation(true, 1_000, Generation.NO_DEADLINE);
        assertEquals(9_000, g.windowEnd(9_000), "no cycle ended: the fallback");
        g.cycleEnded(5_000);
        g.cycleEnded(3_000);
        assertEquals(5_000, g.windowEnd(60_000_000_000L), "the last cycle's end, whatever came after");
    }

    @Test
    void aClosedLoopsWindowStartsAtItsFirstCycle() {
        Generation g = new Generation(true, 1_000, Generation.NO_DEADLINE);
        assertEquals(1_000, g.windowStart(), "no cycle started: the part's start");
        assertFalse(g.anyStarted(), "and it says none did (firstCycleAfterMillis is left out then)");
        g.cycleStarted(5_000);
        g.cycleStarted(4_000); // a thread that read the clock earlier and got here later
        g.cycleStarted(9_000);
        assertEquals(4_000, g.windowStart());
        assertTrue(g.anyStarted());
    }

    /** A closed loop's --duration counts from its first cycle, where its window starts; an open loop's from its part. */
    @Test
    void aClosedLoopsDeadlineCountsFromItsFirstCycle() {
        long second = 1_000_000_000L;
        Generation closed = new Generation(true, 0, 5 * second, 0, true);
        closed.cycleStarted(2 * second); // its threads took 2 s to start a cycle
        closed.cycleStarted(3 * second);
        assertFalse(closed.pastDeadline(6 * second), "5 s of window, not 3");
        assertTrue(closed.pastDeadline(7 * second));
        Generation open = new Generation(true, 0, 5 * second, 0, false);
        open.cycleStarted(2 * second);
        assertTrue(open.pastDeadline(5 * second), "an open loop's schedule ends where it was to");
        Generation none = new Generation(true, 0, Generation.NO_DEADLINE, 0, true);
        none.cycleStarted(2 * second);
        assertFalse(none.pastDeadline(1_000 * second), "no --duration: no deadline, wherever the first cycle");
    }

    @Test
    void tooFewDescriptorsAreRefusedInOneLine() {
        RunSpec spec = Specs.timed(TransportKind.SELECTOR, Closer.CLIENT, new Load.Closed(10_000), Duration.ofSeconds(1), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunCapacity.check(spec, new RunCapacity.Limits(20_000, 30, Long.MAX_VALUE, 20)));
        assertTrue(e.getMessage().contains("20,000 file descriptors") && e.getMessage().contains("ulimit -n"), e.getMessage());
        // What is left is said, reserve and all: 20,000 - 30 open - 64 kept.
        assertTrue(e.getMessage().contains("keeps 64 for the JVM") && e.getMessage().contains("19,906 are left"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        RunCapacity.check(Specs.timed(TransportKind.SELECTOR, Closer.CLIENT, new Load.Closed(9_000), Duration.ofSeconds(1), null),
                new RunCapacity.Limits(20_000, 30, Long.MAX_VALUE, 20));
    }

    /** With not even one connection's descriptors left, "lower --concurrency" cannot help: only the limit is named. */
    @Test
    void noRoomForOneConnectionAdvisesTheLimitOnly() {
        RunSpec one = Specs.timed(TransportKind.BLOCKING, Closer.CLIENT, new Load.Closed(1), Duration.ofSeconds(1), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunCapacity.check(one, new RunCapacity.Limits(64, 20, Long.MAX_VALUE, 20)));
        // 20 open, 64 kept, 2 needed (a client and a sink socket).
        assertTrue(e.getMessage().endsWith("0 are left; raise ulimit -n to at least 86"), e.getMessage());
        IllegalArgumentException some = assertThrows(IllegalArgumentException.class,
                () -> RunCapacity.check(Specs.timed(TransportKind.BLOCKING, Closer.CLIENT, new Load.Closed(100),
                        Duration.ofSeconds(1), null), new RunCapacity.Limits(200, 20, Long.MAX_VALUE, 20)));
        assertTrue(some.getMessage().endsWith("lower --concurrency or raise ulimit -n"), some.getMessage());
    }

    /**
     * An open loop's default bound shrinks to the largest that fits: the descriptors (a client and a sink socket each,
     * one with a --target), a sink that never closes (what it accepted), and a thread per cycle where it takes one.
     */
    @Test
    void theLargestFittingBoundIsWhatTheLimitsLeaveRoomFor() {
        RunCapacity.Limits l = new RunCapacity.Limits(1024, 40, Long.MAX_VALUE, 20);
        IntFunction<RunSpec> sink = c -> Specs.timed(TransportKind.SELECTOR, Closer.CLIENT, new Load.Open(100, c),
                Duration.ofSeconds(1), null);
        assertEquals((1024 - 40 - 64) / 2, RunCapacity.largestFitting(999, sink, l));
        IntFunction<RunSpec> target = c -> new RunSpec(TransportKind.SELECTOR, SocketConfig.DEFAULTS, Closer.CLIENT,
                new Load.Open(100, c), 0, Duration.ofSeconds(1), null, 0, 0, new InetSocketAddress("127.0.0.1", 9),
                Duration.ofSeconds(5), 0);
        assertEquals(999, RunCapacity.largestFitting(999, target, new RunCapacity.Limits(20_000, 40, Long.MAX_VALUE, 20)));
        assertEquals(1024 - 40 - 64, RunCapacity.largestFitting(999, target, l), "a --target: one socket each");
        assertEquals(0, RunCapacity.largestFitting(999, sink, new RunCapacity.Limits(64, 40, Long.MAX_VALUE, 20)));
        // A sink that never closes, bounded by time: it holds what it accepted, 2 a cycle in flight as well.
        IntFunction<RunSpec> never = c -> Specs.timed(TransportKind.SELECTOR, Closer.NEVER, new Load.Open(100, c),
                Duration.ofSeconds(1), null);
        assertEquals((1024 - 40 - 64) / 2, RunCapacity.largestFitting(999, never, l));
        // A thread per cycle in flight: the thread limit bounds it too (330 more may start).
        IntFunction<RunSpec> blocking = c -> Specs.timed(TransportKind.BLOCKING, Closer.CLIENT, new Load.Open(100, c),
                Duration.ofSeconds(1), null);
        assertEquals(400 - 6 - 64, RunCapacity.largestFitting(999, blocking, new RunCapacity.Limits(20_000, 40, 400, 6)));
    }

    @Test
    void anExternalTargetNeedsOneDescriptorPerConnection() {
        RunSpec spec = new RunSpec(TransportKind.SELECTOR, SocketConfig.DEFAULTS, Closer.CLIENT, new Load.Closed(15_000), 0,
                Duration.ofSeconds(1), null, 0, 0, new InetSocketAddress("127.0.0.1", 9), Duration.ofSeconds(5), 0);
        assertEquals(15_000, RunCapacity.descriptorsNeeded(spec));
        RunCapacity.check(spec, new RunCapacity.Limits(20_000, 30, Long.MAX_VALUE, 20));
    }

    @Test
    void aNeverClosingSinkHoldsEveryConnection() {
        RunSpec spec = Specs.count(TransportKind.BLOCKING, Closer.NEVER, 4, 30_000);
        assertEquals(30_004, RunCapacity.descriptorsNeeded(spec));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunCapacity.check(spec, new RunCapacity.Limits(20_000, 30, 90_000, 20)));
        // Lowering --concurrency would not help: the connections are what the sink holds.
        assertTrue(e.getMessage().startsWith("--connections 30,000 with --closer never needs about 30,004")
                && e.getMessage().endsWith("lower --connections or raise ulimit -n"), e.getMessage());
    }

    @Test
    void tooFewThreadsAreRefusedForThreadPerCycleTransportsOnly() {
        RunCapacity.Limits fewThreads = new RunCapacity.Limits(1_000_000, 30, 5_000, 100);
        RunSpec blocking = Specs.timed(TransportKind.BLOCKING, Closer.CLIENT, new Load.Closed(6_000), Duration.ofSeconds(1), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunCapacity.check(blocking, fewThreads));
        assertTrue(e.getMessage().contains("threads") && e.getMessage().contains("--transport virtual"), e.getMessage());
        RunCapacity.check(Specs.timed(TransportKind.VIRTUAL, Closer.CLIENT, new Load.Closed(6_000), Duration.ofSeconds(1), null),
                fewThreads);
    }

    @Test
    void limitsAreTheSoftColumnOfProcSelfLimits() {
        List<String> lines = List.of(
                "Limit                     Soft Limit           Hard Limit           Units     ",
                "Max processes             96362                96362                processes ",
                "Max open files            20000                40000                files     ",
                "Max locked memory         unlimited            unlimited            bytes     ");
        assertEquals(20_000, RunCapacity.limit(lines, "Max open files"));
        assertEquals(96_362, RunCapacity.limit(lines, "Max processes"));
        assertEquals(Long.MAX_VALUE, RunCapacity.limit(lines, "Max locked memory"));
        assertEquals(Long.MAX_VALUE, RunCapacity.limit(lines, "Max nice priority"));
    }
}
