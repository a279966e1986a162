package dev.churn.monitor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How many more TIME_WAIT sockets the kernel will keep: {@code net.ipv4.tcp_max_tw_buckets} minus
 * the timewait sockets of this network namespace ({@code /proc/net/sockstat} {@code tw}). Past the
 * cap the kernel destroys new timewait sockets at once (counted in {@code TCPTimeWaitOverflow}),
 * orphaned FIN_WAIT2 ones included, so a run or a test that expects them must check the budget.
 */
public record TimeWaitBudget(long inUse, long max) {

    /** Reads the budget now; -1 values mean the kernel did not say (not Linux). */
    public static TimeWaitBudget read(Path procRoot) throws IOException {
        Sockstat s = SockstatReader.readOnce(procRoot);
        String max = Sysctls.readOne(procRoot, "net.ipv4.tcp_max_tw_buckets");
        return new TimeWaitBudget(s.tw(), max == null ? -1 : Long.parseLong(max.strip()));
    }

    /**
     * Reads the budget of the network namespace the calling thread is in, which may differ from the
     * process's after setns(2): the count from /proc/thread-self/net (/proc/net follows the main
     * thread), the cap from /proc/sys (net sysctls follow the thread that opens them).
     */
    public static TimeWaitBudget readThisThread() throws IOException {
        Sockstat s = SockstatReader.readOnce(Path.of("/proc/thread-self"));
        String max = Sysctls.readOne(StateSources.DEFAULT_PROC_ROOT, "net.ipv4.tcp_max_tw_buckets");
        return new TimeWaitBudget(s.tw(), max == null ? -1 : Long.parseLong(max.strip()));
    }

    /** Reads the budget from the real /proc. */
    public static TimeWaitBudget read() throws IOException {
        return read(StateSources.DEFAULT_PROC_ROOT);
    }

    /** Timewait sockets the kernel will still keep, or Long.MAX_VALUE when unknown. */
    public long headroom() {
        return inUse < 0 || max < 0 ? Long.MAX_VALUE : Math.max(0, max - inUse);
    }

    /**
     * Waits, polling every 100 ms, until at least {@code needed} more timewait sockets fit, or the
     * timeout passes (old ones expire 60 s after they were made), or at once when the cap itself is
     * smaller than {@code needed}; returns the last budget read.
     */
    public static TimeWaitBudget await(long needed, Duration timeout) throws IOException, InterruptedException {
        return await(needed, timeout, () -> false);
    }

    /** As {@link #await(long, Duration)}, and gives up early once {@code giveUp} says so (a Ctrl-C). */
    public static TimeWaitBudget await(long needed, Duration timeout, BooleanSupplier giveUp) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // The caller's namespace, which is where its sockets go: a lab's thread after setns(2) too.
        TimeWaitBudget b = readThisThread();
        // A cap below what is needed (tcp_max_tw_buckets set low) stays below it however many expire: no use waiting.
        while (b.headroom() < needed && b.max() >= needed && System.nanoTime() < deadline && !giveUp.getAsBoolean()) {
            Thread.sleep(100);
            b = readThisThread();
        }
        return b;
    }
}
