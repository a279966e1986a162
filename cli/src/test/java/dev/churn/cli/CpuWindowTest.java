package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.engine.RunInfo;
import dev.churn.bench.engine.Tick;
import dev.churn.bench.result.CpuActivity;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jit.warmupSeconds is "the time from the run's start to its measured part": from startedAt (the latency log's
 * origin), not from the moment the CPU window's listener got round to reading its clocks. Until 2026-12-08 it began
 * there, after the listeners before it and a downcall's linking, and read 31-37 ms short of measuredFrom - startedAt
 * in every run of an audit (5.238 s for 5.272 s; 0.565 s for 0.602 s with --warmup 0s).
 */
class CpuWindowTest {

    @TempDir
    Path tmp;

    @Test
    void theWarmupIsCountedFromTheRunsStartNotFromTheListenersCall() {
        CpuWindow w = new CpuWindow(Path.of("/proc"), () -> -1);
        long runStart = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(300);
        w.started(new RunInfo(null, null, new int[0], System.currentTimeMillis() - 300, runStart));
        w.measuring();
        long now = System.nanoTime();
        w.tick(new Tick(false, now, now, Map.of(), 0, 0, 0, 0));

        CpuActivity a = w.activity();
        assertNotNull(a, "this JVM's compiler threads were not found in /proc");
        long expected = TimeUnit.NANOSECONDS.toMillis(now - runStart);
        assertTrue(a.warmupMillis() >= 300 && a.warmupMillis() <= expected, () -> "the warm-up read " + a.warmupMillis()
                + " ms; the run started 300 ms before the listener was called, " + expected + " ms before the measured part");
    }

    /** A real run: its summary's warm-up length agrees with its own timestamps, to their milliseconds. */
    @Test
    void aRunsWarmupLengthIsItsMeasuredPartsStartLessItsStart() throws IOException {
        Path dir = tmp.resolve("r");
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        int code = c.run("run", "--warmup", "0s", "--connections", "300", "--out", dir.toString(), "--no-progress");
        assertEquals(0, code, c.err::toString);

        JsonNode s = SummaryJson.read(dir);
        double startedAt = Instant.parse(s.get("startedAt").asText()).toEpochMilli();
        // A closed loop's measuredFrom is its first cycle, firstCycleAfterMillis into the measured part.
        double part = Instant.parse(s.get("measuredFrom").asText()).toEpochMilli() - s.get("firstCycleAfterMillis").asDouble();
        double expected = (part - startedAt) / 1e3;
        // startedAt and measuredFrom are whole milliseconds, warmupSeconds is read to the millisecond: 3 ms at most apart.
        assertEquals(expected, s.at("/jit/warmupSeconds").asDouble(), 0.003, s.get("jit")::toString);
    }
}
