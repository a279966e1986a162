package dev.churn.bench.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuActivityTest {

    @Test
    void sharesAreTheCompilersCpuOverEachPartsLength() {
        CpuActivity j = new CpuActivity(8_158, 20_000, 1_250, 5_000, 280, 3_000, -1, -1);
        assertEquals(0.25, j.measuredShare(), 1e-9);
        assertTrue(j.lateRead());
        assertEquals(280 / 3000.0, j.lateShare(), 1e-9);
        assertTrue(j.busy());
    }

    @Test
    void aBusyStartAloneIsNotBusyAndAShortSecondHalfIsNotRead() {
        // The default run's shape: a 0.18 s measured part, most of it the recompiling after the switch.
        CpuActivity shortRun = new CpuActivity(600, 5_000, 110, 184, 0, 0, -1, -1);
        assertEquals(0.598, shortRun.measuredShare(), 1e-3);
        assertFalse(shortRun.lateRead());
        assertEquals(0, shortRun.lateShare());
        assertFalse(shortRun.busy());
        // A longer run that compiled at its start and little after it.
        CpuActivity settled = new CpuActivity(575, 5_000, 349, 3_265, 49, 1_263, -1, -1);
        assertTrue(settled.measuredShare() > CpuActivity.BUSY_SHARE);
        assertFalse(settled.busy());
        // A second half just under the length read, whatever it compiled.
        assertFalse(new CpuActivity(0, 0, 900, 1_900, 900, CpuActivity.MIN_LATE_MILLIS - 1, -1, -1).busy());
        assertTrue(new CpuActivity(0, 0, 900, 2_000, 60, CpuActivity.MIN_LATE_MILLIS, -1, -1).busy());
    }

    @Test
    void theSamplersShareIsOfTheProcesssCpuAndNeedsBothFigures() {
        // A blocking run with 15,000 TIME_WAIT on its port: 9.9 s of the process's CPU, 0.5 s of it sampling.
        assertEquals(0.05, new CpuActivity(0, 0, 0, 5_000, 0, 0, 9_900, 495).samplerShare(), 1e-9);
        assertEquals(-1, new CpuActivity(0, 0, 0, 5_000, 0, 0, 9_900, -1).samplerShare()); // no thread CPU time
        assertEquals(-1, new CpuActivity(0, 0, 0, 5_000, 0, 0, -1, 495).samplerShare());   // no /proc/self/stat
        // Under ten ticks of /proc/self/stat the division would say more than the ticks know.
        assertEquals(-1, new CpuActivity(0, 0, 0, 50, 0, 0, CpuActivity.MIN_PROCESS_MILLIS - 10, 5).samplerShare());
        assertEquals(0.05, new CpuActivity(0, 0, 0, 50, 0, 0, CpuActivity.MIN_PROCESS_MILLIS, 5).samplerShare(), 1e-9);
    }

    @Test
    void emptyPartsHaveNoShare() {
        CpuActivity none = new CpuActivity(0, 0, 0, 0, 0, 0, -1, -1);
        assertEquals(-1, none.samplerShare());
        assertEquals(0, none.measuredShare());
        assertFalse(none.busy());
    }
}
