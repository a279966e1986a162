package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.engine.RunInfo;
import dev.churn.bench.result.SummaryJson;
import dev.churn.monitor.Sample;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.StateSampler;
import dev.churn.monitor.StateSeries;
import dev.churn.monitor.StateSource;
import dev.churn.monitor.StateSources;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's states and its latencies share one time axis: states.csv's t_ms counts from startedAt, as the latency log
 * does. Counted from the sampler's own start, which follows the run's by 20-700 ms, the report drew every state
 * change that much before the connections that made it (QA, 2026-12-06).
 */
@Tag("alone") // times its samples to within 10 ms of the measured part's start (pom.xml: surefire)
class StateTimelineTest {

    @TempDir
    Path tmp;

    @Test
    void theStatesCountFromTheRunsStartNotTheSamplersOwn() throws Exception {
        // A run that began 400 ms before its state watch started, as a loaded machine's listeners and first count delay it.
        long runStart = System.nanoTime() - 400_000_000L;
        RunInfo info = new RunInfo(null, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), new int[] {9},
                System.currentTimeMillis() - 400, runStart);
        try (StateSource source = StateSources.open(SourceKind.AUTO)) {
            StateWatch watch = new StateWatch(source, Duration.ofMillis(50), StateSampler.SockstatProbe.NONE);
            watch.started(info);
            watch.finished(null);
            StateSeries series = watch.stop(false);
            List<Sample> samples = series.samples();
            assertTrue(samples.getFirst().elapsedNanos() >= 400_000_000L, () -> "first sample at "
                    + samples.getFirst().elapsedNanos() / 1e6 + " ms from the run's start, which was 400 ms before it");
        }
    }

    @Test
    void noTimeWaitIsDrawnBeforeTheMeasuredPartThatLeftIt() throws Exception {
        // The warm-up closes with SO_LINGER 0 and leaves no TIME_WAIT; the measured connections leave one each.
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        Path run = tmp.resolve("run");
        assertEquals(0, c.run("run", "--warmup", "1s", "--connections", "3000", "--interval", "10ms", "--no-progress",
                "--out", run.toString()), c.err::toString);
        JsonNode s = SummaryJson.read(run);
        long measuredFromMs = Instant.parse(s.path("measuredFrom").asText()).toEpochMilli()
                - Instant.parse(s.path("startedAt").asText()).toEpochMilli();
        assertTrue(measuredFromMs >= 900, "the measured part began " + measuredFromMs + " ms after startedAt");

        List<String> lines = Files.readAllLines(run.resolve("states.csv"));
        List<String> header = List.of(lines.getFirst().split(","));
        int t = header.indexOf("t_ms");
        int tw = header.indexOf("TIME_WAIT");
        long firstTimeWait = -1;
        for (String line : lines.subList(1, lines.size())) {
            String[] row = line.split(",");
            assertTrue(Long.parseLong(row[t]) >= 0, line);
            if (firstTimeWait < 0 && Long.parseLong(row[tw]) > 0) {
                firstTimeWait = Long.parseLong(row[t]);
            }
        }
        assertTrue(firstTimeWait >= 0, "no sample saw the run's TIME_WAIT:\n" + String.join("\n", lines));
        // A sample's time is taken as its count begins, and a count takes a few milliseconds at most here.
        assertTrue(firstTimeWait >= measuredFromMs - 10, "TIME_WAIT drawn at " + firstTimeWait + " ms, before the measured part "
                + "that left it began, at " + measuredFromMs + " ms");
        assertTrue(firstTimeWait <= measuredFromMs + s.path("durationSeconds").asDouble() * 1000 + 1000,
                "TIME_WAIT first drawn at " + firstTimeWait + " ms");
    }
}
