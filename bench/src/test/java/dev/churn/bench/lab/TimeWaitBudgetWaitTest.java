package dev.churn.bench.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.monitor.TimeWaitBudget;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link TimeWaitBudget#await} against a real kernel cap (tcp_max_tw_buckets, per network namespace):
 * it waits while a full table may still empty, and gives up at once when the cap itself is smaller
 * than what is needed, which no expiry can change (a test needing 5,000 timewait sockets in a
 * namespace capped at 10 skipped after 70 s, before).
 */
class TimeWaitBudgetWaitTest {

    @Test
    void aCapBelowWhatIsNeededEndsTheWaitAtOnce() throws Exception {
        assumeTrue(NetNamespace.permitted(), "a namespace of its own, to set its TIME_WAIT cap, needs root");
        try (NetNamespace ns = NetNamespace.create()) {
            ns.sysctl("net.ipv4.tcp_max_tw_buckets", "10");
            long[] took = new long[1];
            TimeWaitBudget b = ns.call(() -> {
                long t0 = System.nanoTime();
                TimeWaitBudget r = TimeWaitBudget.await(100, Duration.ofSeconds(70));
                took[0] = System.nanoTime() - t0;
                return r;
            });
            assertEquals(10, b.max(), "the namespace's own cap is read, not the root namespace's");
            assertTrue(b.headroom() < 100, b::toString);
            assertTrue(took[0] < Duration.ofSeconds(10).toNanos(), () -> "waited " + took[0] / 1_000_000 + " ms for nothing");
        }
    }

    @Test
    void aFullTableThatCanEmptyIsWaitedForUntilTheTimeout() throws Exception {
        assumeTrue(NetNamespace.permitted(), "a namespace of its own, to set its TIME_WAIT cap, needs root");
        try (NetNamespace ns = NetNamespace.create()) {
            ns.sysctl("net.ipv4.tcp_max_tw_buckets", "10");
            long[] took = new long[1];
            TimeWaitBudget b = ns.call(() -> {
                TimeWaitFill.leave(10);
                long t0 = System.nanoTime();
                TimeWaitBudget r = TimeWaitBudget.await(5, Duration.ofMillis(1_500));
                took[0] = System.nanoTime() - t0;
                return r;
            });
            // The ten stay for 60 s: the whole timeout is waited, and the budget says the table is still full.
            assertEquals(new TimeWaitBudget(10, 10), b);
            assertTrue(took[0] >= Duration.ofMillis(1_400).toNanos(), () -> "gave up after " + took[0] / 1_000_000 + " ms");
        }
    }
}
