package dev.churn.cli;

import dev.churn.monitor.KernelCounters;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How many sockets entered TIME_WAIT per second, from the kernel's TW and TWKilled counters ({@code net/netstat}, the
 * whole network namespace), between one sample and the next. The monitor's TIME_WAIT rate is the count's net change,
 * which a steady churn holds at zero however fast it turns: nginx's port at 32,000 requests a second read +0.0/s (QA,
 * 2026-12-06).
 *
 * <p>The kernel counts a timewait socket once, when it is made: in TW when it has more than 4 s to live, else in
 * TWKilled. Under tcp_fin_timeout 4 or less a client's close makes it as a FIN_WAIT2 of that lifetime (TWKilled), and
 * its turn to TIME_WAIT on the peer's FIN counts in neither: TW alone read 0.0/s while 300 sockets entered TIME_WAIT
 * under tcp_fin_timeout=3 (review, 2026-12-07: TW +2, TWKilled +298). The sum counts each once, and also those
 * FIN_WAIT2 that the peer's FIN never reached.
 */
final class TimeWaitEntries {

    private final Path procRoot;
    private long lastCount = -1;
    private long lastKilled = -1;
    private long lastNanos;
    private boolean killedMoved;

    /** Reads {@code procRoot/net/netstat}. */
    TimeWaitEntries(Path procRoot) {
        this.procRoot = procRoot;
    }

    /** Entered per second since the last call, at {@code elapsedNanos} on the sampler's clock; NaN the first time or unread. */
    double perSecond(long elapsedNanos) {
        long count;
        long killed;
        try {
            KernelCounters k = KernelCounters.read(procRoot);
            if (!k.has("TW")) {
                return Double.NaN;
            }
            killed = k.has("TWKilled") ? k.get("TWKilled") : 0;
            count = k.get("TW") + killed;
        } catch (IOException | RuntimeException e) {
            return Double.NaN; // not Linux, or no netstat: the row is left out
        }
        double rate = lastCount < 0 || elapsedNanos <= lastNanos ? Double.NaN
                : Math.max(0, count - lastCount) / ((elapsedNanos - lastNanos) / 1e9);
        killedMoved = lastKilled >= 0 && killed > lastKilled;
        lastCount = count;
        lastKilled = killed;
        lastNanos = elapsedNanos;
        return rate;
    }

    /** Whether TWKilled moved in the interval the last {@link #perSecond} covered: the line then names it. */
    boolean killedMoved() {
        return killedMoved;
    }
}
