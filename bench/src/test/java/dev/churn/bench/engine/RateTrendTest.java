package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.engine.RateTrend.Interval;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The steady-state check: a rate still climbing is told from a flat one. */
class RateTrendTest {

    private static final long MS50 = 50_000_000L;

    @Test
    void aClimbingRateIsFlagged() {
        // 8,800/s rising to 28,000/s, as the JIT compiles: the default run.
        List<Interval> climb = List.of(i(440), i(500), i(700), i(900), i(1200), i(1400), i(1400), i(1400), i(1400));
        RateTrend t = RateTrend.of(climb, 0);
        assertNotNull(t);
        assertEquals(9, t.intervals());
        assertEquals(10_933.333, t.earlyPerSecond(), 0.01);
        assertEquals(28_000, t.latePerSecond(), 0.01);
        assertTrue(t.climbing());
    }

    /**
     * A closed loop's threads took 150 ms to start its first cycle: that time is outside its rate's window, and outside
     * the trend's thirds too, or a steady 20,000/s read as 12,800/s early and "still climbing".
     */
    @Test
    void theTimeBeforeTheFirstCycleIsInNoThird() {
        List<Interval> steady = List.of(i(0), i(0), i(0), i(1000), i(1000), i(1000), i(1000), i(1000), i(1000), i(1000),
                i(1000), i(1000));
        RateTrend t = RateTrend.of(steady, 3 * MS50);
        assertEquals(20_000, t.earlyPerSecond(), 0.01);
        assertEquals(20_000, t.latePerSecond(), 0.01);
        assertFalse(t.climbing());
        assertTrue(RateTrend.of(steady, 0).climbing(), "counted from the part's start, as before");
        assertEquals(0, RateTrend.of(steady, Long.MAX_VALUE).earlyPerSecond(), "a skip past the end leaves no time");
    }

    @Test
    void aSteadyOrFallingRateIsNot() {
        assertFalse(RateTrend.of(List.of(i(1400), i(1380), i(1420), i(1390), i(1410), i(1400)), 0).climbing());
        assertFalse(RateTrend.of(List.of(i(1400), i(1300), i(1100), i(900), i(700), i(600)), 0).climbing(), "falling");
        assertFalse(RateTrend.of(List.of(i(1000), i(1000), i(1100), i(1140)), 0).climbing(), "14% is within the limit");
    }

    /** A fall of more than the limit is flagged as well: it is no steady state either (only a climb had been). */
    @Test
    void aFallingRateIsFlaggedAsFalling() {
        assertTrue(RateTrend.of(List.of(i(1400), i(1300), i(1100), i(900), i(700), i(600)), 0).falling());
        assertFalse(RateTrend.of(List.of(i(1400), i(1380), i(1420), i(1390), i(1410), i(1400)), 0).falling(), "steady");
        assertFalse(RateTrend.of(List.of(i(1140), i(1100), i(1000), i(1000)), 0).falling(), "12% is within the limit");
        assertFalse(RateTrend.of(List.of(i(440), i(700), i(1400), i(1400)), 0).falling(), "climbing");
    }

    @Test
    void intervalsOfDifferentLengthsWeighByTime() {
        // The last interval is the final partial one: 10 ms with 280 cycles is 28,000/s, not 280.
        RateTrend t = RateTrend.of(List.of(i(1400), i(1400), i(1400), new Interval(10_000_000L, 280)), 0);
        assertEquals(28_000, t.earlyPerSecond(), 0.01);
        assertEquals(28_000, t.latePerSecond(), 0.01);
        assertFalse(t.climbing());
    }

    @Test
    void thirdsAreOfTimeWhenFineTicksGiveWayToOneSecondOnes() {
        // The reporter's rate samples: 20 of 50 ms, then one a second. A ramp over the first 0.4 s (5,000 to
        // 8,500/s), then 10,000/s for 4.6 s. Thirds of the 24 intervals would set the ramp's 0.4 s
        // against the last 4.2 s and call the run climbing; thirds of its 5 s do not.
        List<Interval> ticks = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            ticks.add(i(k < 8 ? 250 + 25 * k : 500));
        }
        for (int k = 0; k < 4; k++) {
            ticks.add(new Interval(1_000_000_000L, 10_000));
        }
        RateTrend t = RateTrend.of(ticks, 0);
        assertEquals(24, t.intervals());
        // first 5/3 s: 2,700 cycles in the ramp's 0.4 s, then 1.2667 s at 10,000/s
        assertEquals((2_700 + 12_666.667) / (5.0 / 3), t.earlyPerSecond(), 0.01);
        assertEquals(10_000, t.latePerSecond(), 0.01);
        assertFalse(t.climbing(), t.toString());
        // The same ramp over the first 2 s of a 3 s run is a climb.
        List<Interval> slow = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            slow.add(i(250));
        }
        slow.add(new Interval(1_000_000_000L, 7_500));
        slow.add(new Interval(1_000_000_000L, 10_000));
        assertTrue(RateTrend.of(slow, 0).climbing(), RateTrend.of(slow, 0).toString());
    }

    @Test
    void tooFewIntervalsSayNothing() {
        assertNull(RateTrend.of(List.of(i(100), i(200), i(400)), 0));
    }

    @Test
    void aSubSecondRunReportsItsTrendFromFiftyMillisecondSamples() throws IOException {
        AtomicInteger ticks = new AtomicInteger();
        RunResult r = new ChurnEngine(Specs.timed(TransportKind.BLOCKING, Closer.ABORT, new Load.Closed(1),
                Duration.ofMillis(400), null)).run(new RunListener() {
                    @Override
                    public void tick(Tick t) {
                        ticks.incrementAndGet();
                    }
                });
        assertNotNull(r.trend(), "a sub-second run has intervals enough");
        // 8 samples of 50 ms, fewer when a loaded machine delays the reporting thread; 1 s ones gave 1
        // and the 200 ms histogram ticks 2, too few for a trend.
        assertTrue(r.trend().intervals() >= 5, "400 ms in 50 ms samples: " + r.trend());
        // The histograms tick every 200 ms (each tick costs the measured machine a millisecond or more):
        // two, and the final partial one; a late start or a slow machine gives fewer, never more.
        assertTrue(ticks.get() >= 1 && ticks.get() <= 3, ticks.get() + " ticks in 400 ms");
        assertNull(new ChurnEngine(Specs.timed(TransportKind.BLOCKING, Closer.CLIENT, new Load.Open(1000, 10),
                Duration.ofMillis(400), null)).run(RunListener.NONE).trend(), "an open loop's rate is its schedule's");
    }

    @Test
    void aShortRunAfterALongWarmupStillGetsFiftyMillisecondSamples() throws IOException {
        // Past 1 s the warm-up ticks each second; the measured part begins inside such a wait unless the
        // reporter ticks finely while the warm-up's last cycles end (a 10 s warm-up left one interval).
        RunResult r = new ChurnEngine(Specs.timed(TransportKind.BLOCKING, Closer.ABORT, new Load.Closed(1),
                Duration.ofMillis(400), Duration.ofMillis(5_300))).run(RunListener.NONE);
        assertNotNull(r.trend(), "the measured part has intervals enough");
        assertTrue(r.trend().intervals() >= 5, "400 ms in 50 ms samples: " + r.trend());
    }

    private static Interval i(long completed) {
        return new Interval(MS50, completed);
    }
}
