package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.result.SummaryJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/scripts/HlogRates.java, which bench/scripts/jit-settle.sh reads a run's rate per interval
 * with: launched from source as the script launches it, over a real run's latency.hlog, its
 * intervals must hold every cycle the run completed, in order and within the run's span.
 */
class HlogRatesTest {

    private static final Path PROGRAM = Path.of("..", "bench", "scripts", "HlogRates.java"); // from the cli module
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path tmp;

    /** HdrHistogram's jar, which churn's shaded jar carries: the class path the script gives it. */
    private static String hdrHistogramJar() throws Exception {
        return Path.of(Histogram.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void itsIntervalsHoldEveryCycleTheRunCompleted() throws Exception {
        Path dir = tmp.resolve("run");
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("run", "--warmup", "0s", "--duration", "2s", "--out", dir.toString(), "--no-progress"),
                c.err::toString);
        JsonNode s = SummaryJson.read(dir);

        String hdr = hdrHistogramJar();
        Path out = tmp.resolve("rates.txt");
        Process p = new ProcessBuilder(List.of(JAVA, "-cp", hdr, PROGRAM.toString(), dir.resolve("latency.hlog").toString()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "HlogRates did not end within 60 s");
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> String.join("\n", lines));

        long cycles = 0;
        double previousEnd = 0;
        double start = s.at("/measuredFrom").isTextual()
                ? Instant.parse(s.at("/measuredFrom").asText()).toEpochMilli() / 1e3 : Double.NaN;
        for (String line : lines) {
            String[] f = line.split(" ");
            double from = Double.parseDouble(f[0]);
            double to = Double.parseDouble(f[1]);
            // The log keeps milliseconds: an interval may start a millisecond before the last one ended.
            assertTrue(to >= from && from >= previousEnd - 0.0025, () -> "intervals out of order: " + lines);
            previousEnd = to;
            cycles += Long.parseLong(f[2]);
        }
        assertTrue(lines.size() >= 5, () -> "a 2 s run ticks 5 times in its first second alone: " + lines);
        assertEquals(s.at("/connections/completed").asLong(), cycles, () -> String.join("\n", lines));
        double first = Double.parseDouble(lines.getFirst().split(" ")[0]);
        double last = previousEnd;
        // measuredFrom is the first cycle's start (a closed loop's span); the log's intervals run from the part's own
        // start, firstCycleAfterMillis before it: 14-25 ms cold, 51 ms on a machine busy with a build beside it.
        double partStart = start - s.path("firstCycleAfterMillis").asDouble(0) / 1e3;
        assertEquals(partStart, first, 0.05, "the first interval starts with the measured part");
        assertEquals(s.get("durationSeconds").asDouble(), last - first, 0.25, () -> String.join("\n", lines));
    }

    @Test
    void withoutItsOneArgumentItSaysHowToRunItAndExits2() throws Exception {
        Process p = new ProcessBuilder(List.of(JAVA, "-cp", hdrHistogramJar(), PROGRAM.toString())).redirectErrorStream(true)
                .start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), said);
        assertTrue(said.startsWith("usage: java -cp churn.jar HlogRates.java"), said);
    }
}
