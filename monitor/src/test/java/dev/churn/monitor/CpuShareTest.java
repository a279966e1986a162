package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuShareTest {

    @Test
    void readsLoadAveragesCpuTicksAndOwnTicksFromFixtures() throws IOException {
        LoadReading r = LoadReading.read(ProcFixtures.root("load-before"));
        assertEquals(0.52, r.load1());
        assertEquals(0.70, r.load15());
        assertEquals(10000 + 100 + 2000 + 50000 + 300 + 0 + 100 + 500, r.totalTicks());
        assertEquals(50300, r.idleTicks(), "idle and iowait");
        assertEquals(500, r.stealTicks());
        assertEquals(1200, r.selfTicks(), "utime + stime, past a command name with a space");
        assertEquals("0.52 0.61 0.70", r.loadAverages());
    }

    @Test
    void sharesOverTheSpanAndTheWarningAboveAQuarter() throws IOException {
        LoadReading before = LoadReading.read(ProcFixtures.root("load-before"));
        LoadReading after = LoadReading.read(ProcFixtures.root("load-after"));
        CpuShare share = CpuShare.between(before, after);
        // 2,000 ticks: 300 idle, 100 steal, 1,600 busy of which 500 are this process's
        assertEquals(0.25, share.own(), 1e-9);
        assertEquals(0.55, share.others(), 1e-9);
        assertEquals(0.05, share.steal(), 1e-9);
        assertEquals(20.0, share.machineSeconds(), 1e-9);
        assertTrue(share.busy());
        assertEquals("other processes took 55% of the machine's CPU time during the run (load average 71.20 40.10 20.00): "
                + "a busy machine, so these figures are not churn's alone", share.warning(after));
        CpuShare quiet = new CpuShare(0.4, CpuShare.BUSY_OTHERS, 0.0, 2.0);
        assertNull(quiet.warning(after), "at the threshold is not above it");
        assertNull(CpuShare.between(after, after), "no time passed");
    }

    @Test
    void filesThatAreNotWhatTheyShouldBeFailNamingTheFile(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("self"));
        Files.writeString(dir.resolve("loadavg"), "0.1 0.2 0.3 1/1 1\n");
        Files.writeString(dir.resolve("self").resolve("stat"), "1 (x) S 1 1 1 0 -1 0 0 0 0 0 7 3 0 0\n");
        Files.writeString(dir.resolve("stat"), "intr 1 2 3\n");
        IOException e = assertThrows(IOException.class, () -> LoadReading.read(dir));
        assertTrue(e.getMessage().contains("stat") && e.getMessage().contains("cpu"), e.getMessage());
        Files.writeString(dir.resolve("stat"), "cpu 1 2 3 4 5 6 7 8 0 0\n");
        assertEquals(10, LoadReading.read(dir).selfTicks());
        Files.writeString(dir.resolve("loadavg"), "garbage\n");
        assertThrows(IOException.class, () -> LoadReading.read(dir));
    }

    /** A child that burns a CPU shows up as other processes' share, at least as much as the child itself used. */
    @Test
    void aBusyChildProcessRaisesTheOthersShare() throws Exception {
        assumeTrue(StateSources.isLinux() && Files.isReadable(Path.of("/proc/stat")), "needs Linux /proc");
        LoadReading before = LoadReading.read(StateSources.DEFAULT_PROC_ROOT);
        // bounded twice: timeout ends it after 10 s even if this JVM dies; we stop it after ~1 s
        Process p = new ProcessBuilder("timeout", "10", "sh", "-c", "while :; do :; done").redirectErrorStream(true).start();
        long childTicks;
        try {
            ProcessHandle burner = awaitChild(p);
            // until it has burnt a quarter second, at most 4 s: the machine may be shared
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while ((childTicks = cpuTicks(burner.pid())) < 25 && System.nanoTime() < end) {
                Thread.sleep(50);
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        LoadReading after = LoadReading.read(StateSources.DEFAULT_PROC_ROOT);
        CpuShare share = CpuShare.between(before, after);
        assertNotNull(share);
        double childShare = childTicks / (double) (after.totalTicks() - before.totalTicks());
        assertTrue(childTicks >= 10, "the burner ran " + childTicks + " ticks");
        // a tick of rounding on each of the four counters read. The child's CPU counts as others' (a
        // child counted as own would leave others below its share). Not "others > own": this JVM's own
        // JIT, busy at the start of a test fork, burnt more than the child once in a CI run (0.50 vs 0.47).
        assertTrue(share.others() >= childShare - 0.02, "others " + share.others() + " < the child's " + childShare);
        assertTrue(share.own() + share.others() <= 1.0 + 0.02, share.toString());
    }

    private static ProcessHandle awaitChild(Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            var child = p.children().findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("timeout started no child");
    }

    private static long cpuTicks(long pid) throws IOException {
        String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = line.substring(line.lastIndexOf(')') + 1).strip().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
