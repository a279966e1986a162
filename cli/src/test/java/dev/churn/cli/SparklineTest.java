package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SparklineTest {

    @Test
    void scalesFromZeroToTheLargestValue() {
        assertEquals("▁▂▃▄▅▆▇█", Sparkline.of(new long[] {0, 1, 2, 3, 4, 5, 6, 7}, 60));
    }

    @Test
    void zeroStaysOnTheFloorAndSmallCountsShowAboveIt() {
        assertEquals("▁▁▁", Sparkline.of(new long[] {0, 0, 0}, 10));
        assertEquals("▁▂█", Sparkline.of(new long[] {0, 1, 1000}, 10));
    }

    @Test
    void moreValuesThanWidthKeepEachShareMaximum() {
        long[] values = new long[120];
        values[61] = 50; // a one-sample spike must survive the squeeze into 60 characters
        String line = Sparkline.of(values, 60);
        assertEquals(60, line.length());
        assertEquals('█', line.charAt(30));
        assertEquals(59, line.chars().filter(c -> c == '▁').count());
    }
}
