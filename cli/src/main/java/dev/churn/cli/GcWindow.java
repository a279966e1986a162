package dev.churn.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.churn.bench.engine.RunListener;
import dev.churn.bench.engine.RunResult;
import dev.churn.bench.engine.Tick;
import dev.churn.bench.result.GcPauses;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's GC pauses in the measured part, for the table and {@code gc} in summary.json, read over
 * the span {@link CpuWindow} reads the CPU over: from the measured part's start to its last tick.
 * The count and the total come from the collectors' own counters, read at both ends; the longest
 * from the collectors' notifications (one per collection, on the JMX thread just after it) that
 * arrived in the span. Their start times are not used: they count from another origin than the
 * JVM's uptime (50 ms apart in one JVM here), too coarse for a span's edges. Pauses only: ZGC's
 * "... Cycles" collectors, which run beside the program, are left out; G1's "Concurrent GC" counts
 * its Remark and Cleanup pauses, which stop every thread.
 */
final class GcWindow implements RunListener {

    private final List<GarbageCollectorMXBean> collectors = new ArrayList<>();
    private final NotificationListener listener = this::collected;
    private long startCount;
    private long startMillis;
    private long lastCount = -1;
    private long lastMillis;
    private long longest = -1;
    private boolean open;

    @Override
    public synchronized void measuring() {
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!b.getName().endsWith("Cycles") && b.getCollectionCount() >= 0) {
                collectors.add(b);
                if (b instanceof NotificationEmitter e) {
                    e.addNotificationListener(listener, null, null);
                }
            }
        }
        startCount = count();
        startMillis = millis();
        open = true;
    }

    @Override
    public synchronized void tick(Tick tick) {
        if (!tick.warmup() && open) {
            lastCount = count();
            lastMillis = millis();
        }
    }

    @Override
    public synchronized void finished(RunResult result) {
        open = false; // what comes after the last tick is not the measured part's
        for (GarbageCollectorMXBean b : collectors) {
            if (b instanceof NotificationEmitter e) {
                try {
                    e.removeNotificationListener(listener);
                } catch (ListenerNotFoundException ignored) {
                    // never added: nothing to remove
                }
            }
        }
    }

    /**
     * The pauses between the measured part's start and its last tick, or null when the JVM has no
     * collector that counts them or the measured part never ticked. The longest is -1 when no
     * notification of them arrived in the span (a collection right before the last tick).
     */
    synchronized GcPauses pauses() {
        if (collectors.isEmpty() || lastCount < 0) {
            return null;
        }
        int n = (int) (lastCount - startCount);
        long total = lastMillis - startMillis;
        return n == 0 ? GcPauses.NONE : new GcPauses(n, total, longest < 0 ? -1 : Math.min(longest, total));
    }

    private synchronized void collected(Notification n, Object handback) {
        if (open && GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            long d = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo().getDuration();
            longest = Math.max(longest, d);
        }
    }

    private long count() {
        long c = 0;
        for (GarbageCollectorMXBean b : collectors) {
            c += Math.max(0, b.getCollectionCount());
        }
        return c;
    }

    private long millis() {
        long t = 0;
        for (GarbageCollectorMXBean b : collectors) {
            t += Math.max(0, b.getCollectionTime());
        }
        return t;
    }
}
