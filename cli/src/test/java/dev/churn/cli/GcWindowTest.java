package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.engine.Tick;
import dev.churn.bench.result.GcPauses;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JVM's real collections, counted in the measured part only. */
class GcWindowTest {

    @Test
    void aCollectionInTheMeasuredPartIsCountedAndOneAfterItsLastTickIsNot() throws Exception {
        GcWindow w = new GcWindow();
        w.measuring();
        System.gc(); // a full collection: a pause every collector reports
        Thread.sleep(200); // its notification comes on the JMX thread
        w.tick(measuredTick());
        GcPauses in = w.pauses();
        assertNotNull(in);
        assertTrue(in.pauses() >= 1, in.toString());
        assertTrue(in.maxMillis() <= in.totalMillis(), in.toString());

        System.gc();
        Thread.sleep(200);
        w.finished(null);
        assertEquals(in, w.pauses(), "a collection after the last measured tick");
    }

    @Test
    void noMeasuredTickNoFigure() {
        GcWindow w = new GcWindow();
        w.measuring();
        w.finished(null);
        assertNull(w.pauses());
    }

    private static Tick measuredTick() {
        long now = System.nanoTime();
        return new Tick(false, now, now, Map.of(), 0, 0, 0, 0);
    }
}
