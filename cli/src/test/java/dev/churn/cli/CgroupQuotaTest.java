package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run in a cgroup whose CPU quota throttles it says so: a run limited to a fifth of a CPU, throttled in 102 of 106
 * periods, blamed other processes and the JIT (QA, 2026-12-06). A real cgroup with a quota of 0.3 of a CPU (v1's cpu
 * controller, or v2's cpu.max), a child JVM in it; needs root.
 */
class CgroupQuotaTest {

    @TempDir
    Path tmp;

    @Test
    void aRunThrottledByItsCgroupsQuotaSaysSo() throws Exception {
        assumeTrue(SmallTmpfs.isRoot(), "needs root to make a cgroup");
        Path root = hierarchy("cpu", "cpu.cfs_quota_us");
        boolean isV1 = root.endsWith("cpu");
        Path cg = root.resolve("churn-test-" + ProcessHandle.current().pid());
        Files.createDirectory(cg);
        try {
            if (isV1) {
                // Half a CPU: a run's client and sink threads want more, so it is throttled; 0.3 took the child JVM's
                // start 3 s longer for nothing more shown.
                Files.writeString(cg.resolve("cpu.cfs_quota_us"), "50000");
            } else {
                Files.writeString(cg.resolve("cpu.max"), "50000 100000");
            }
            Path out = tmp.resolve("run");
            // A cgroup below the one with the quota (a container's under its pod's, QA 2026-12-06).
            Path sub = Files.createDirectory(cg.resolve("sub"));
            if (!isV1) {
                Files.writeString(cg.resolve("cgroup.subtree_control"), "+cpu");
            }
            Process p = runIn(sub, "--connections", "2000", "--out", out.toString()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String table = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child ended");
            assertEquals(0, p.exitValue(), table);
            JsonNode q = SummaryJson.read(out).at("/environment/load/cgroupCpu");
            assertEquals(0.5, q.path("quotaCpus").asDouble(), 1e-9, q::toString);
            assertTrue(q.path("throttledPeriods").asLong() > 0 && q.path("throttledSeconds").asDouble() > 0, q::toString);
            assertTrue(table.replaceAll("\\s+", " ").contains("warning this process's cgroup CPU quota (0.50 of a CPU)"
                    + " throttled it in " + String.format(Locale.ROOT, "%,d", q.path("throttledPeriods").asLong())
                    + " of "), table);
        } finally {
            // Empty once the child is gone.
            for (int i = 0; i < 50 && !(deleted(cg.resolve("sub")) && deleted(cg)); i++) {
                Thread.sleep(100);
            }
        }
    }

    /**
     * A memory limit tight for a run is said before it starts: under 64 MiB every command died with exit 137 and no word,
     * under 128 MiB an open loop did (QA, 2026-12-06). v1's memory controller, 224 MiB, a child JVM in it.
     */
    @Test
    void aTightMemoryLimitIsSaidBeforeTheRun() throws Exception {
        assumeTrue(SmallTmpfs.isRoot(), "needs root to make a cgroup");
        Path v1 = Path.of("/sys/fs/cgroup/memory");
        assumeTrue(Files.isRegularFile(v1.resolve("memory.limit_in_bytes")), "no v1 memory controller here");
        Path cg = v1.resolve("churn-test-" + ProcessHandle.current().pid());
        Files.createDirectory(cg);
        try {
            Files.writeString(cg.resolve("memory.limit_in_bytes"), Long.toString(224L << 20));
            Process p = runIn(cg, "--connections", "500", "--out", tmp.resolve("run").toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child ended");
            assertEquals(0, p.exitValue(), err);
            assertTrue(err.startsWith("churn run: warning: this process's cgroup allows it 224 MiB of memory; a run takes"
                    + " about 100 MiB"), err);
        } finally {
            for (int i = 0; i < 50 && !deleted(cg); i++) {
                Thread.sleep(100);
            }
        }
    }

    /**
     * A cgroup's pids.max is a limit on threads as real as ulimit -u: a run needing more threads than it leaves is refused
     * before it starts, naming it (QA, 2026-12-06: only ulimit -u and kernel.threads-max were read). v1's pids
     * controller or v2's, a limit of 150 tasks, a child JVM asking for 300 blocking connections in flight.
     */
    @Test
    void aPidsLimitTooSmallForTheThreadsIsRefusedBeforeTheRun() throws Exception {
        assumeTrue(SmallTmpfs.isRoot(), "needs root to make a cgroup");
        Path cg = hierarchy("pids", "cgroup.procs").resolve("churn-test-pids-" + ProcessHandle.current().pid());
        Files.createDirectory(cg);
        try {
            Files.writeString(cg.resolve("pids.max"), "150");
            Process p = runIn(cg, "--transport", "blocking", "--concurrency", "300", "--connections", "3000", "--out",
                    tmp.resolve("run").toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child ended");
            assertEquals(2, p.exitValue(), err);
            assertTrue(err.contains("--concurrency 300 needs 300 threads with --transport blocking, but this process may start")
                    && err.contains("the cgroup's pids.max"), err);
            assertTrue(Files.notExists(tmp.resolve("run")), "refused before anything was written");
        } finally {
            for (int i = 0; i < 50 && !deleted(cg); i++) {
                Thread.sleep(100);
            }
        }
    }

    /**
     * Where to make a cgroup with this controller: v1's own mount when it has {@code v1File}, else the v2 hierarchy's root
     * when the controller is enabled there; the test is skipped when neither.
     */
    private static Path hierarchy(String controller, String v1File) throws IOException {
        Path v1 = Path.of("/sys/fs/cgroup", controller);
        if (Files.isRegularFile(v1.resolve(v1File))) {
            return v1;
        }
        Path v2 = Path.of("/sys/fs/cgroup");
        Path enabled = v2.resolve("cgroup.subtree_control");
        assumeTrue(Files.isRegularFile(enabled) && Files.readString(enabled).contains(controller),
                "no " + controller + " controller to make a cgroup under");
        return v2;
    }

    /**
     * {@code churn run --warmup 0s --no-progress} and these options in a child JVM in this cgroup: the shell joins it,
     * then becomes the JVM, so every thread of it runs under the cgroup's limits.
     */
    private static ProcessBuilder runIn(Path cg, String... options) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0\"/cgroup.procs && exec \"$@\"", cg.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "run", "--warmup", "0s", "--no-progress"));
        cmd.addAll(List.of(options));
        return new ProcessBuilder(cmd);
    }

    private static boolean deleted(Path cg) {
        try {
            Files.deleteIfExists(cg);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
