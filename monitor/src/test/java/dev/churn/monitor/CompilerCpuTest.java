package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompilerCpuTest {

    /** A task of a fixture /proc/self/task: its comm (with the kernel's newline) and schedstat. */
    private static Path task(Path proc, int tid, String comm, long runNanos) throws IOException {
        Path t = Files.createDirectories(proc.resolve("self/task/" + tid));
        Files.writeString(t.resolve("comm"), comm + "\n");
        schedstat(t, runNanos);
        return t;
    }

    private static void schedstat(Path task, long runNanos) throws IOException {
        Files.writeString(task.resolve("schedstat"), runNanos + " 4242 17\n");
    }

    @Test
    void sumsTheCompilerThreadsAloneAndKeepsWhatAThreadThatEndedRan(@TempDir Path proc) throws IOException {
        Path c1 = task(proc, 11, "C1 CompilerThre", 2_000_000);
        Path c2 = task(proc, 12, "C2 CompilerThre", 30_000_000);
        task(proc, 13, "churn-blocking-", 900_000_000);
        task(proc, 14, "GC Thread#0", 50_000_000);
        CompilerCpu cpu = CompilerCpu.of(proc);
        assertTrue(cpu.found());
        assertEquals(32_000_000, cpu.cpuNanos());

        schedstat(c2, 45_000_000);
        assertEquals(47_000_000, cpu.cpuNanos());

        // A compiler thread the JVM ended: its time stays in the sum, as the CPU it took was taken.
        Files.delete(c1.resolve("schedstat"));
        Files.delete(c1.resolve("comm"));
        Files.delete(c1);
        assertEquals(47_000_000, cpu.cpuNanos());

        // One started later is counted once looked for, not before.
        task(proc, 15, "C2 CompilerThre", 5_000_000);
        assertEquals(47_000_000, cpu.cpuNanos());
        cpu.rescan();
        assertEquals(52_000_000, cpu.cpuNanos());
    }

    @Test
    void withoutATaskListOrACompilerThreadNothingIsFound(@TempDir Path proc) throws IOException {
        assertFalse(CompilerCpu.of(proc).found());
        assertEquals(0, CompilerCpu.of(proc).cpuNanos());
        task(proc, 7, "main", 1_000_000);
        assertFalse(CompilerCpu.of(proc).found());
    }

    @Test
    void namesAreTheJvmsCompilerThreadsAsTheKernelCutsThem() {
        assertTrue(CompilerCpu.isCompilerName("C1 CompilerThre\n"));
        assertTrue(CompilerCpu.isCompilerName("C2 CompilerThre"));
        assertTrue(CompilerCpu.isCompilerName("JVMCI CompilerT"));
        assertFalse(CompilerCpu.isCompilerName("Compiler"));
        assertFalse(CompilerCpu.isCompilerName("churn-C2"));
        assertFalse(CompilerCpu.isCompilerName("VM Thread"));
    }

    @Test
    void thisJvmsCompilersHaveRunAndKeepRunningAsNewCodeGetsHot() {
        CompilerCpu cpu = CompilerCpu.of(StateSources.DEFAULT_PROC_ROOT);
        assertTrue(cpu.found(), "no C1/C2 compiler thread under /proc/self/task");
        long before = cpu.cpuNanos();
        assertTrue(before > 0, "the JIT compiled nothing yet: " + before);
        // A method of its own made hot enough for the JIT (C1 at about 200 calls, C2 at thousands).
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += hot(i);
        }
        assertTrue(sink != 42);
        // The JIT compiles in the background, from a queue: read at once, a busy machine's compiler had not yet run
        // (a fresh clone's verify, 2026-12-07). Up to 5 s for it to take its turn.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (cpu.cpuNanos() <= before && System.nanoTime() < deadline) {
            sink += hot((int) sink);
            Thread.onSpinWait();
        }
        assertTrue(cpu.cpuNanos() > before, "compiling hot() took no CPU time on the compiler threads");
    }

    private static long hot(int i) {
        return Long.rotateLeft(i * 0x9E3779B97F4A7C15L, i & 63) ^ (i >>> 3);
    }
}
