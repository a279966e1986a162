package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The process's CPU clock counts every thread's CPU, to well under a tick. Its yardstick is the JVM's own per-thread
 * CPU time (the kernel's per-thread clock). A first version held it to /proc/self/stat's ticks read just before the
 * clock's first call, and failed in a full build: that call links the downcall, and the ticks counted the linking
 * (460 against 312 ms).
 */
class ProcessCpuTest {

    @Test
    void itCountsEveryThreadsCpuToUnderATick() throws Exception {
        ProcessCpu.nanosNow(); // linked before the span, as CpuWindow's first reading is
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        AtomicLong threadsCpu = new AtomicLong();
        long before = ProcessCpu.nanosNow();
        Thread[] busy = new Thread[2];
        for (int i = 0; i < busy.length; i++) {
            busy[i] = Thread.ofPlatform().start(() -> {
                long own = mx.getCurrentThreadCpuTime();
                // Until each has had 100 ms of CPU, not for 200 ms of wall time: beside two busy loops the two got
                // 94 ms between them in 200 ms (2026-12-07). 10 s at most.
                long end = System.nanoTime() + 10_000_000_000L;
                long sink = 0;
                while (mx.getCurrentThreadCpuTime() - own < 100_000_000L && System.nanoTime() < end) {
                    sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
                }
                threadsCpu.addAndGet(mx.getCurrentThreadCpuTime() - own + (sink < 0 ? 1 : 0));
            });
        }
        for (Thread t : busy) {
            t.join();
        }
        long after = ProcessCpu.nanosNow();
        // The two threads' own CPU is inside the process's, whatever else the JVM did meanwhile; a thread-only clock
        // (CLOCK_THREAD_CPUTIME_ID) would see the idle joining thread's few µs.
        assertTrue(threadsCpu.get() >= 200_000_000L, "the busy threads ran: " + threadsCpu.get() + " ns");
        assertTrue(after - before >= threadsCpu.get(), "process " + (after - before) + " ns, its two threads "
                + threadsCpu.get() + " ns");

        long a = ProcessCpu.nanosNow();
        long b = ProcessCpu.nanosNow();
        // Two reads a few µs apart: a tick-based figure would differ by 0 or 10,000,000 ns.
        assertTrue(b > a && b - a < 5_000_000, "two reads " + (b - a) + " ns apart");
    }
}
