package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The serve process's CPU as its progress lines and last words give it, on a made-up clock and CPU time. */
class ServeCpuTest {

    private final AtomicLong cpuNanos = new AtomicLong(10_000_000_000L);
    private final AtomicLong nanos = new AtomicLong(0);
    private final ServeCpu cpu = new ServeCpu(cpuNanos::get, nanos::get);

    /** {@code seconds} of serving, {@code moreMillis} of CPU in them. */
    private void after(long seconds, long moreMillis) {
        nanos.addAndGet(seconds * 1_000_000_000L);
        cpuNanos.addAndGet(moreMillis * 1_000_000L);
    }

    @Test
    void eachLineSaysTheShareOfItsOwnSpanAndTheCostOfItsConnections() {
        after(5, 1_300); // 1.3 s of CPU in 5 s, 46,000 accepted
        assertEquals(", cpu 26% of a CPU, 28.3 µs a connection", cpu.sinceLast(46_000));
        after(5, 1_150); // then 1.15 s for the next 42,840
        assertEquals(", cpu 23% of a CPU, 26.8 µs a connection", cpu.sinceLast(88_840));
        after(60, 120); // a quiet minute: a share, and no connection to divide by
        assertEquals(", cpu 0.2% of a CPU", cpu.sinceLast(88_840));
        assertEquals("cpu 2.57 s in 70.0 s of serving (3.7% of a CPU), 28.9 µs a connection accepted", cpu.total(88_840));
    }

    @Test
    void aServerThatAcceptedNothingGivesItsShareAlone() {
        after(13, 40);
        assertEquals("cpu 0.04 s in 13.0 s of serving (0.3% of a CPU)", cpu.total(0));
    }

    /** An idle server that accepted one said "20,000.0 µs a connection accepted", its JVM's own (QA, 2026-12-06). */
    @Test
    void aFewConnectionsAreNotGivenTheJvmsCostEach() {
        after(10, 20);
        assertEquals(", cpu 0.2% of a CPU", cpu.sinceLast(1));
        assertEquals("cpu 0.02 s in 10.0 s of serving (0.2% of a CPU), 1 accepted: too few for a cost each", cpu.total(1));
        after(10, 500);
        assertEquals(", cpu 5.0% of a CPU, 5,000.0 µs a connection", cpu.sinceLast(1 + ServeCpu.FEW_FOR_A_COST));
    }

    @Test
    void withoutProcSelfStatNothingIsSaid() {
        ServeCpu blind = new ServeCpu(() -> -1, nanos::get);
        after(5, 0);
        assertEquals("", blind.sinceLast(100));
        assertNull(blind.total(100));
    }
}
