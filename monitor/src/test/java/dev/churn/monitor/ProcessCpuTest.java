package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The process's CPU clock against the kernel's own tick count of the same process, and its resolution. */
class ProcessCpuTest {

    @Test
    void itAgreesWithProcSelfStatAndSeesLessThanATick() {
        long ticks0 = LoadReading.selfTicksNow();
        long n0 = ProcessCpu.nanosNow();
        long sink = 0;
        long end = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < end) { // 0.3 s of this thread's CPU
            sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
        }
        long n1 = ProcessCpu.nanosNow();
        long ticks1 = LoadReading.selfTicksNow();
        double clockMillis = (n1 - n0) / 1e6;
        double tickMillis = (ticks1 - ticks0) * LoadReading.MILLIS_PER_TICK;
        assertTrue(sink >= 0);
        assertTrue(clockMillis >= 250, "a 0.3 s busy loop took " + clockMillis + " ms of CPU");
        // Both count every thread of the process; ticks are 10 ms and the JVM's own threads run beside the loop.
        assertTrue(Math.abs(clockMillis - tickMillis) < 0.25 * tickMillis + 30,
                "clock " + clockMillis + " ms, /proc/self/stat " + tickMillis + " ms");

        long a = ProcessCpu.nanosNow();
        long b = ProcessCpu.nanosNow();
        // Two reads a few µs apart: a tick-based figure would differ by 0 or 10,000,000 ns.
        assertTrue(b > a && b - a < 5_000_000, "two reads " + (b - a) + " ns apart");
    }
}
