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
        Waited w = awaitUnderACapOf10(0, 100, Duration.ofSeconds(70));
        assertEquals(10, w.budget().max(), "the namespace's own cap is read, not the root namespace's");
        assertTrue(w.budget().headroom() < 100, w.budget()::toString);
        assertTrue(w.nanos() < Duration.ofSeconds(10).toNanos(), () -> "waited " + w.nanos() / 1_000_000 + " ms for nothing");
    }

    @Test
    void aFullTableThatCanEmptyIsWaitedForUntilTheTimeout() throws Exception {
        Waited w = awaitUnderACapOf10(10, 5, Duration.ofMillis(1_500));
        // The ten stay for 60 s: the whole timeout is waited, and the budget says the table is still full.
        assertEquals(new TimeWaitBudget(10, 10), w.budget());
        assertTrue(w.nanos() >= Duration.ofMillis(1_400).toNanos(), () -> "gave up after " + w.nanos() / 1_000_000 + " ms");
    }

    /** What {@link TimeWaitBudget#await} returned, and how long it took. */
    private record Waited(TimeWaitBudget budget, long nanos) {}

    /** In a fresh namespace capped at 10 timewait sockets, {@code filled} of them in use: waits for room for {@code needed}. */
    private static Waited awaitUnderACapOf10(int filled, long needed, Duration timeout) throws Exception {
        assumeTrue(NetNamespace.permitted(), "a namespace of its own, to set its TIME_WAIT cap, needs root");
        try (NetNamespace ns = NetNamespace.create()) {
            ns.sysctl("net.ipv4.tcp_max_tw_buckets", "10");
            return ns.call(() -> {
                TimeWaitFill.leave(filled);
                long t0 = System.nanoTime();
                TimeWaitBudget b = TimeWaitBudget.await(needed, timeout);
                return new Waited(b, System.nanoTime() - t0);
            });
        }
    }
}
