package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The rule that ends {@code --warmup auto}, over made-up compiler readings: a pure function of
 * them (RunCommandTest runs it over a real JVM's compilers).
 */
class AutoWarmupTest {

    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    /** Compiler CPU that a test sets before each call, as the reporter's reads would find it. */
    private static final class Compilers {
        long nanos;
    }

    /** The first whole second at which the watch says quiet, given each second's compiler share of a CPU; -1 for never. */
    private static int endsAt(AutoWarmup rule, double... sharePerSecond) {
        Compilers c = new Compilers();
        AutoWarmup.Watch w = rule.watch(0, () -> c.nanos);
        for (int second = 1; second <= sharePerSecond.length; second++) {
            c.nanos += (long) (sharePerSecond[second - 1] * S);
            if (w.quiet(second * S)) {
                return second;
            }
        }
        return -1;
    }

    @Test
    void theWarmupEndsOnceTheCompilersHaveUsedAtMostOnePercentOverThreeSeconds() {
        // The default run of 2026-12-05, second by second: 20%, 5.5%, 4.1%, then 0.5%, 0.3%, 1.3%, 1.2%, 0.6%.
        // Seconds 4-6 average 0.7%; seconds 3-5, 1.6%.
        assertEquals(6, endsAt(AutoWarmup.DEFAULT, 0.20, 0.055, 0.041, 0.005, 0.003, 0.013, 0.012, 0.006, 0.015, 0.005));
    }

    @Test
    void aQuietSecondBetweenTwoBurstsDoesNotEndIt() {
        // TLS compiles in waves: 14%, 14%, 0.1%, 16%, 8%, then quiet (seconds 27-35 of a TLS 1.3 run).
        int end = endsAt(AutoWarmup.DEFAULT, 0.5, 0.3, 0.14, 0.14, 0.001, 0.16, 0.08, 0.002, 0.0, 0.005, 0.0);
        assertEquals(10, end, "three quiet seconds after the last burst, not the quiet one between two");
    }

    @Test
    void notBeforeItsLeastEvenWhenQuietFromTheStart() {
        AutoWarmup rule = new AutoWarmup(Duration.ofSeconds(1), 0.01, Duration.ofSeconds(4), Duration.ofMinutes(1));
        assertEquals(4, endsAt(rule, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void atItsMostWhateverTheCompilersDo() {
        AutoWarmup rule = new AutoWarmup(Duration.ofSeconds(3), 0.01, Duration.ofSeconds(3), Duration.ofSeconds(10));
        double[] busy = new double[20];
        Arrays.fill(busy, 0.3);
        assertEquals(10, endsAt(rule, busy));
    }

    @Test
    void aThreadThatEndedAndTookItsTimeAlongCountsAsNoWork() {
        // CompilerCpu keeps an ended thread's time, but a reading going back must not make a negative share.
        long[] values = {5 * S, 5 * S, 4 * S, 4 * S, 4 * S, 4 * S};
        int[] i = {0};
        AutoWarmup.Watch w = AutoWarmup.DEFAULT.watch(0, () -> values[Math.min(i[0]++, values.length - 1)]);
        boolean quiet = false;
        for (int second = 1; second <= 5 && !quiet; second++) {
            quiet = w.quiet(second * S);
        }
        assertTrue(quiet);
        assertEquals(0.0, w.lastShare(), 1e-12);
    }

    @Test
    void theShareIsReadOverAtLeastAWholeWindowWhateverTheReadingsSpacing() {
        // Readings every 50 ms (the reporter's first second), and a compile burst of 40 ms a 50 ms at 2.9 s:
        // the window from 0.15 s back to 3.2 s holds it, so no end at 3.2 s.
        Compilers c = new Compilers();
        AutoWarmup.Watch w = AutoWarmup.DEFAULT.watch(0, () -> c.nanos);
        boolean endedEarly = false;
        for (long t = 50 * MS; t <= 3200 * MS; t += 50 * MS) {
            if (t == 2900 * MS) {
                c.nanos += 40 * MS;
            }
            endedEarly |= w.quiet(t);
        }
        assertFalse(endedEarly, "1.3% of a CPU over the 3 s back from 3.2 s");
        assertTrue(w.lastShare() > 0.01 && w.lastShare() < 0.015, () -> "share " + w.lastShare());
    }

    @Test
    void aRuleThatCouldNeverEndOrNeverWaitIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new AutoWarmup(Duration.ZERO, 0.01, Duration.ofSeconds(3), Duration.ofMinutes(2)));
        assertThrows(IllegalArgumentException.class,
                () -> new AutoWarmup(Duration.ofSeconds(3), 0, Duration.ofSeconds(3), Duration.ofMinutes(2)));
        assertThrows(IllegalArgumentException.class,
                () -> new AutoWarmup(Duration.ofSeconds(3), 0.01, Duration.ofSeconds(30), Duration.ofSeconds(10)));
    }
}
