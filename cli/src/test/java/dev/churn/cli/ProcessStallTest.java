package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.result.SummaryJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose process is stopped (SIGSTOP, as Ctrl-Z sends SIGTSTP) stands still whole: a 5 s stop was counted as one
 * connect timeout the watchdog found on waking, and nothing said the client had stood still (QA, 2026-12-06).
 */
@Tag("alone") // stops its run for 2.5 s and times what the run saw of it (pom.xml: surefire)
class ProcessStallTest {

    private static Process churn(Path out, String warmup) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--warmup", warmup, "--duration", "1s", "--no-progress", "--out", out.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /**
     * Waits until the run has begun its latency log (the reporter opens it as it starts), then a moment: the reporter
     * is timing its wake-ups by then. A stop at a fixed time after launch fell in the JVM's start on a busy machine,
     * where nothing times anything (review, 2026-12-06).
     */
    private static void awaitRunning(Path out) throws Exception {
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until) {
            try (var files = java.nio.file.Files.list(out)) {
                if (files.anyMatch(f -> f.getFileName().toString().contains("latency.hlog"))) {
                    Thread.sleep(300);
                    return;
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // not made yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the run began no latency log in 30 s: " + out);
    }

    private static void signal(Process p, String sig) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor());
    }

    @Test
    void aRunStoppedForAWhileSaysItsProcessStoodStill(@TempDir Path tmp) throws Exception {
        Path stopped = tmp.resolve("stopped");
        Process p = churn(stopped, "3s");
        try {
            awaitRunning(stopped);
            signal(p, "STOP");
            // The stimulus itself, not a wait for a condition: 2.5 s stopped is a stall the reporter sees as 1.5 s or
            // more late whatever its tick (a second at most), past the 1 s it says.
            Thread.sleep(2_500);
            signal(p, "CONT");
            String console = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            JsonNode stall = SummaryJson.read(stopped).path("stall");
            // At least the oversleep past a tick of up to a second, at most the stop and a busy moment beside it.
            assertTrue(stall.path("seconds").asDouble() >= 1.4 && stall.path("seconds").asDouble() <= 4.0, stall::toString);
            // Stopped early in a 3 s warm-up, as a rule: the warm-up's stall is said too, and says it was there.
            assertTrue(stall.path("inWarmup").isBoolean(), stall::toString);
            assertTrue(console.replaceAll("\\s+", " ").contains("warning the process stood still for "), console);
        } finally {
            p.destroyForcibly();
        }
        Path alone = tmp.resolve("alone");
        Process q = churn(alone, "0s");
        try {
            String console = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(q.waitFor(60, TimeUnit.SECONDS));
            assertTrue(SummaryJson.read(alone).path("stall").isNull(), console);
            assertFalse(console.contains("stood still"), console);
        } finally {
            q.destroyForcibly();
        }
    }
}
