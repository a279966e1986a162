package dev.churn.cli;

import dev.churn.monitor.KernelCounters;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How many sockets entered TIME_WAIT per second, from the kernel's TW counter ({@code net/netstat}, the whole network
 * namespace), between one sample and the next. The monitor's TIME_WAIT rate is the count's net change, which a steady
 * churn holds at zero however fast it turns: nginx's port at 32,000 requests a second read +0.0/s (QA, 2026-12-06).
 */
final class TimeWaitEntries {

    private final Path procRoot;
    private long lastCount = -1;
    private long lastNanos;

    /** Reads {@code procRoot/net/netstat}. */
    TimeWaitEntries(Path procRoot) {
        this.procRoot = procRoot;
    }

    /** Entered per second since the last call, at {@code elapsedNanos} on the sampler's clock; NaN the first time or unread. */
    double perSecond(long elapsedNanos) {
        long count;
        try {
            KernelCounters k = KernelCounters.read(procRoot);
            if (!k.has("TW")) {
                return Double.NaN;
            }
            count = k.get("TW");
        } catch (IOException | RuntimeException e) {
            return Double.NaN; // not Linux, or no netstat: the row is left out
        }
        double rate = lastCount < 0 || elapsedNanos <= lastNanos ? Double.NaN
                : Math.max(0, count - lastCount) / ((elapsedNanos - lastNanos) / 1e9);
        lastCount = count;
        lastNanos = elapsedNanos;
        return rate;
    }
}
