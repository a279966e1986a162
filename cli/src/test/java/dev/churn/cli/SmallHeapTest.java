package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.engine.OutOfMemory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A heap too small for a run: one line that says so and how to give the JVM more, and an end. In -Xmx24m the reporting
 * thread died of an OutOfMemoryError before the engine's wait for it, and the run waited for good, deaf to Ctrl-C; with
 * more threads, each printed "OutOfMemoryError thrown from the UncaughtExceptionHandler" (QA, 2026-12-06). A child JVM.
 */
class SmallHeapTest {

    @TempDir
    Path tmp;

    @Test
    void aRunOutOfHeapSaysSoInOneLineAndEnds() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx24m",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--duration", "20s", "--warmup", "0s", "--concurrency", "4", "--no-progress", "--out",
                tmp.resolve("run").toString());
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "the child still runs after 60 s: " + err);
        assertEquals(ExitCodes.FAILURE, p.exitValue(), err);
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.matches("churn( run)?: out of memory: the JVM's heap \\(at most 24 MiB\\) is too small for this run;"
                + " give it more, e\\.g\\. JAVA_TOOL_OPTIONS=-Xmx512m \\(64 MiB at least: .*\\)\\s*"), err);
    }

    /**
     * A thread the JVM could not start is the same Error, and was said to be a heap too small, with advice to give it
     * more (QA, 2026-12-06: a cgroup's pids.max of 100 and --concurrency 200): it is said to be a limit on threads.
     */
    @Test
    void aThreadTheJvmCouldNotStartIsSaidToBeALimitOnThreads() {
        String said = OutOfMemory.message(
                new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource limits reached"));
        assertTrue(said.startsWith("out of threads: the JVM could not start another (unable to create native thread: ")
                && said.contains("the cgroup's pids.max") && !said.contains("heap"), said);
        assertTrue(OutOfMemory.message(new OutOfMemoryError("Java heap space"))
                .startsWith("out of memory: the JVM's heap (at most "));
    }
}
