package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pause's arithmetic: doubling to a cap, gone after a completed cycle, overlapping pauses counted once. */
class ShortageBackoffTest {

    @Test
    void onlyAShortageOfTheClientsOwnPauses() {
        ShortageBackoff b = new ShortageBackoff();
        assertFalse(b.failed(FailureKind.ECONNREFUSED, 0));
        assertFalse(b.failed(FailureKind.TIMEOUT, 0));
        assertEquals(5, b.startAt(5));
        assertEquals(0, b.pauses());
        assertTrue(b.failed(FailureKind.EMFILE, 0));
        assertTrue(b.failed(FailureKind.EADDRNOTAVAIL, 1_000_000));
        assertTrue(b.failed(FailureKind.EADDRINUSE, 2_000_000));
        assertEquals(3, b.pauses());
    }

    @Test
    void thePauseDoublesToItsCapAndEndsWithACompletedCycle() {
        ShortageBackoff b = new ShortageBackoff();
        long now = 1_000_000_000L;
        long step = ShortageBackoff.FIRST_NANOS;
        for (int i = 0; i < 12; i++) {
            b.failed(FailureKind.EMFILE, now);
            assertEquals(now + step, b.startAt(now), "failure " + i);
            now += step; // the next try comes when the pause ends
            step = Math.min(step * 2, ShortageBackoff.MAX_NANOS);
        }
        assertEquals(ShortageBackoff.MAX_NANOS, step);
        b.completed();
        assertEquals(now, b.startAt(now));
        b.failed(FailureKind.EMFILE, now);
        assertEquals(now + ShortageBackoff.FIRST_NANOS, b.startAt(now), "back to the first step");
    }

    @Test
    void aClaimAfterThePauseStartsAtOnce() {
        ShortageBackoff b = new ShortageBackoff();
        b.failed(FailureKind.EMFILE, 0);
        assertEquals(ShortageBackoff.FIRST_NANOS * 3, b.startAt(ShortageBackoff.FIRST_NANOS * 3));
    }

    @Test
    void overlappingPausesCountTheirTimeOnce() {
        ShortageBackoff b = new ShortageBackoff();
        // Two workers fail at the same instant: the pause runs 0.1 ms, then 0.2 ms from the same start.
        b.failed(FailureKind.EMFILE, 0);
        b.failed(FailureKind.EMFILE, 0);
        assertEquals(2 * ShortageBackoff.FIRST_NANOS, b.pausedNanos());
        assertEquals(2 * ShortageBackoff.FIRST_NANOS, b.startAt(0));
        // One more, after that pause ended: its own 0.4 ms.
        b.failed(FailureKind.EMFILE, 10 * ShortageBackoff.FIRST_NANOS);
        assertEquals(6 * ShortageBackoff.FIRST_NANOS, b.pausedNanos());
    }
}
