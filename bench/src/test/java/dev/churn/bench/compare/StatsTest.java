package dev.churn.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianAndRange() {
        Stats odd = Stats.of(List.of(5.0, 1.0, 3.0));
        assertEquals(3.0, odd.median());
        assertEquals(1.0, odd.min());
        assertEquals(5.0, odd.max());
        assertEquals(4.0 / 3.0, odd.relativeSpread(), 1e-9);
        assertEquals(2.5, Stats.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
        assertEquals(List.of(5.0, 1.0, 3.0), odd.values());
    }

    @Test
    void beyondNoiseOnlyWhenRangesAreDisjointWithRepeats() {
        Stats a = Stats.of(List.of(100.0, 110.0, 105.0));
        assertTrue(a.beyondNoise(Stats.of(List.of(120.0, 130.0, 125.0))));
        assertFalse(a.beyondNoise(Stats.of(List.of(90.0, 99.0))), "two runs part from three by chance one time in ten");
        assertFalse(Stats.of(List.of(1.0, 2.0)).beyondNoise(Stats.of(List.of(5.0, 6.0))),
                "two runs a side part by chance one time in three: no verdict");
        assertFalse(a.beyondNoise(Stats.of(List.of(109.0, 130.0, 125.0))), "overlapping ranges are noise");
        assertFalse(Stats.of(List.of(1.0)).beyondNoise(Stats.of(List.of(2.0))), "one run has no noise estimate");
    }

    @Test
    void theChanceOfDisjointRangesWithoutADifferenceIsTwoOverTheInterleavings() {
        assertEquals(1.0 / 3, Stats.chance(2, 2), 1e-12);
        assertEquals(0.1, Stats.chance(3, 3), 1e-12);
        assertEquals(2.0 / 70, Stats.chance(4, 4), 1e-12);
        assertEquals(2.0 / 252, Stats.chance(5, 5), 1e-12);
        assertEquals(2.0 / 10, Stats.chance(2, 3), 1e-12);
        assertEquals(Stats.chance(3, 5), Stats.chance(5, 3), 1e-12);
    }
}
