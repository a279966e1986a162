package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.churn.bench.engine.Tick;
import dev.churn.bench.result.GcPauses;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import org.junit.jupiter.api.Test;

/** The JVM's real collections, counted in the measured part only. */
class GcWindowTest {

    @Test
    void aCollectionInTheMeasuredPartIsCountedAndOneAfterItsLastTickIsNot() throws Exception {
        GcWindow w = new GcWindow();
        w.measuring();
        fullCollectionNotified(); // a full collection: a pause every collector reports
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

    /**
     * A full collection, returning once its notification has reached the listeners: it comes on the JMX thread, to the
     * listeners in the order they were added (the window's first). A 200 ms sleep did not always wait long enough beside
     * two busy CPUs (2026-12-08): the window's longest pause then came after the tick, and the figure changed.
     */
    private static void fullCollectionNotified() throws InterruptedException {
        CountDownLatch notified = new CountDownLatch(1);
        NotificationListener l = (n, h) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                notified.countDown();
            }
        };
        List<NotificationEmitter> emitters = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(b -> b instanceof NotificationEmitter).map(b -> (NotificationEmitter) b).toList();
        emitters.forEach(e -> e.addNotificationListener(l, null, null));
        try {
            System.gc();
            assertTrue(notified.await(30, TimeUnit.SECONDS), "no collection was notified within 30 s");
        } finally {
            for (NotificationEmitter e : emitters) {
                try {
                    e.removeNotificationListener(l);
                } catch (ListenerNotFoundException ignored) {
                    // added above: not reached
                }
            }
        }
    }

    private static Tick measuredTick() {
        long now = System.nanoTime();
        return new Tick(false, now, now, Map.of(), 0, 0, 0, 0);
    }
}
