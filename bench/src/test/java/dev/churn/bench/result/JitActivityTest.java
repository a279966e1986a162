package dev.churn.bench.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitActivityTest {

    @Test
    void sharesAreTheCompilersCpuOverEachPartsLength() {
        JitActivity j = new JitActivity(8_158, 20_000, 1_250, 5_000, 280, 3_000);
        assertEquals(0.4079, j.warmupShare(), 1e-9);
        assertEquals(0.25, j.measuredShare(), 1e-9);
        assertTrue(j.lateRead());
        assertEquals(280 / 3000.0, j.lateShare(), 1e-9);
        assertTrue(j.busy());
    }

    @Test
    void aBusyStartAloneIsNotBusyAndAShortSecondHalfIsNotRead() {
        // The default run's shape: a 0.18 s measured part, most of it the recompiling after the switch.
        JitActivity shortRun = new JitActivity(600, 5_000, 110, 184, 0, 0);
        assertEquals(0.598, shortRun.measuredShare(), 1e-3);
        assertFalse(shortRun.lateRead());
        assertEquals(0, shortRun.lateShare());
        assertFalse(shortRun.busy());
        // A longer run that compiled at its start and little after it.
        JitActivity settled = new JitActivity(575, 5_000, 349, 3_265, 49, 1_263);
        assertTrue(settled.measuredShare() > JitActivity.BUSY_SHARE);
        assertFalse(settled.busy());
        // A second half just under the length read, whatever it compiled.
        assertFalse(new JitActivity(0, 0, 900, 1_900, 900, JitActivity.MIN_LATE_MILLIS - 1).busy());
        assertTrue(new JitActivity(0, 0, 900, 2_000, 60, JitActivity.MIN_LATE_MILLIS).busy());
    }

    @Test
    void emptyPartsHaveNoShare() {
        JitActivity none = new JitActivity(0, 0, 0, 0, 0, 0);
        assertEquals(0, none.warmupShare());
        assertEquals(0, none.measuredShare());
        assertFalse(none.busy());
    }
}
