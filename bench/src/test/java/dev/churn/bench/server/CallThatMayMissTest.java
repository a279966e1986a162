package dev.churn.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CallThatMayMissTest {

    private static int triesIn(CallThatMayMiss c, int decisions) {
        int n = 0;
        for (int i = 0; i < decisions; i++) {
            if (c.worthTrying()) {
                n++;
                c.missed();
            }
        }
        return n;
    }

    @Test
    void aCallThatKeepsMissingIsMadeOnlyEveryProbeThTime() {
        CallThatMayMiss c = new CallThatMayMiss();
        assertEquals(CallThatMayMiss.PROBE, triesIn(c, CallThatMayMiss.PROBE), "made every time until PROBE misses");
        assertEquals(10, triesIn(c, 10 * CallThatMayMiss.PROBE), "then once per PROBE decisions");
    }

    @Test
    void oneHitBringsItBackEveryTime() {
        CallThatMayMiss c = new CallThatMayMiss();
        triesIn(c, 5 * CallThatMayMiss.PROBE);
        int decisions = 0;
        while (!c.worthTrying()) {
            decisions++;
        }
        assertTrue(decisions < CallThatMayMiss.PROBE, "a probe comes within PROBE decisions");
        c.paid();
        for (int i = 0; i < 3 * CallThatMayMiss.PROBE; i++) {
            assertTrue(c.worthTrying(), "after a hit, every time again (" + i + ")");
            if (i % 2 == 0) {
                c.paid();
            } else {
                c.missed();
            }
        }
    }
}
