package dev.churn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * A saved run written by hand, for the readers' tests (merge, report): a summary.json of schema
 * churn.run/1 and a latency.hlog whose cycle and connect intervals hold known counts, so merged
 * rates and windows have exact expected values. Build with {@link #at}, add {@link #interval}s,
 * then {@link #write}.
 */
final class RunFixture {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dir;
    private final long startMillis;
    private final ObjectNode summary;
    private final java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    private final HistogramLogWriter writer;
    private long count;
    private long lastEndMillis;
    private long firstCycleMillis;
    private double measuredSeconds = -1;
    private String statesCsv;
    private final java.util.Map<String, Long> extraPhases = new java.util.TreeMap<>();
    private final java.util.Map<String, Long> extraNanos = new java.util.HashMap<>();

    private RunFixture(Path dir, String label, long startMillis) {
        this.dir = dir;
        this.startMillis = startMillis;
        this.lastEndMillis = startMillis;
        summary = MAPPER.createObjectNode();
        summary.put("schema", "churn.run/1");
        summary.put("label", label);
        summary.put("startedAt", Instant.ofEpochMilli(startMillis).toString());
        summary.put("measuredFrom", Instant.ofEpochMilli(startMillis).toString());
        ObjectNode sc = summary.putObject("scenario");
        sc.put("transport", "blocking").put("closer", "client").put("linger", "off").put("target", "127.0.0.1:7000");
        sc.put("requestBytes", 0).put("responseBytes", 0);
        sc.putObject("load").put("type", "closed").put("concurrency", 1);
        summary.putObject("environment").put("hostname", "fixture-" + label).putObject("sysctls");
        summary.putObject("kernel").put("ActiveOpens", 0);
        summary.putObject("failures");
        summary.putNull("states");
        writer = new HistogramLogWriter(new PrintStream(log, true, StandardCharsets.UTF_8));
        writer.outputLogFormatVersion();
        writer.outputStartTime(startMillis);
        writer.outputBaseTime(startMillis);
        writer.outputLegend();
    }

    /** A closed-loop run labelled {@code label} in {@code dir}, started at this epoch millisecond. */
    static RunFixture at(Path dir, String label, long startMillis) {
        return new RunFixture(dir, label, startMillis);
    }

    /** Sets a scenario field (text). */
    RunFixture scenario(String field, String value) {
        ((ObjectNode) summary.get("scenario")).put(field, value);
        return this;
    }

    /** An open loop at this rate. */
    RunFixture openLoop(double rate) {
        ((ObjectNode) summary.get("scenario")).putObject("load").put("type", "open").put("rate", rate).put("maxInFlight", 100);
        return this;
    }

    /** The open loop's schedule: starts intended and made, the latest start's lateness, its peak of 100 in flight. */
    RunFixture schedule(long intended, long started, double maxLagMicros, int peakInFlight, boolean generatorLimited) {
        summary.putObject("schedule").put("intended", intended).put("started", started).put("missed", intended - started)
                .put("maxLagMicros", maxLagMicros).put("peakInFlight", peakInFlight).put("maxInFlight", 100)
                .put("generatorLimited", generatorLimited);
        return this;
    }

    /** {@code n} cycles (and connects) of 100 µs in the interval [fromSeconds, toSeconds) after the start. */
    RunFixture interval(double fromSeconds, double toSeconds, int n) {
        for (String tag : new String[] {"connect", "cycle"}) {
            Histogram h = new Histogram(3);
            h.recordValueWithCount(100_000, n);
            h.setTag(tag);
            writer.outputIntervalHistogram(fromSeconds, toSeconds, h, 1_000_000.0);
        }
        count += n;
        lastEndMillis = Math.max(lastEndMillis, startMillis + Math.round(toSeconds * 1000));
        return this;
    }

    /**
     * {@code n} latencies of {@code nanos} tagged {@code phase} (accept, close...) in the interval [fromSeconds,
     * toSeconds), counted in the summary's phases (each of its figures that latency); no cycle, so no rate.
     */
    RunFixture phase(String phase, double fromSeconds, double toSeconds, long nanos, int n) {
        Histogram h = new Histogram(3);
        h.recordValueWithCount(nanos, n);
        h.setTag(phase);
        writer.outputIntervalHistogram(fromSeconds, toSeconds, h, 1_000_000.0);
        extraPhases.merge(phase, (long) n, Long::sum);
        extraNanos.put(phase, nanos);
        return this;
    }

    /**
     * A closed loop whose first cycle started this long after its measured part (its threads starting): its window,
     * measuredFrom and durationSeconds, starts there; its log's first interval still starts with the part.
     */
    RunFixture firstCycleAt(double seconds) {
        firstCycleMillis = Math.round(seconds * 1000);
        summary.put("measuredFrom", Instant.ofEpochMilli(startMillis + firstCycleMillis).toString());
        summary.put("firstCycleAfterMillis", seconds * 1000);
        return this;
    }

    /**
     * A measured part of this length, whatever the intervals' span: a real log's intervals start a few ms after the
     * part and end at the tick after its last cycle, past its end.
     */
    RunFixture measuredSeconds(double seconds) {
        measuredSeconds = seconds;
        return this;
    }

    /**
     * A states.csv of {@code rows} samples beside the log, and a summary whose {@code states.samples} counts
     * {@code counted} of them.
     */
    RunFixture states(int rows, long counted) {
        summary.putObject("states").put("samples", counted);
        StringBuilder csv = new StringBuilder(dev.churn.monitor.StateSeries.CSV_HEADER).append('\n');
        for (int i = 0; i < rows; i++) {
            csv.append(i * 100).append(",1,0,0,0,0,").append(i).append(",0,0,0,1,0,").append(i).append(",50,")
                    .append(i == 0 ? "" : "100000").append('\n');
        }
        statesCsv = csv.toString();
        return this;
    }

    /**
     * Replaces the latency.hlog in {@code dir} with one of 3 one-second intervals from {@code startMillis}, each phase's
     * histogram of {@code digits} significant digits holding one value of {@code nanos} (a fixture of 3 intervals of 1
     * counts as many): QA's log that no churn writes
     * (2026-12-06: 300 such intervals of 5 digits and 2^61 ns ran a server out of memory).
     */
    static void outsizedLog(Path dir, long startMillis, int digits, long nanos) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        HistogramLogWriter w = new HistogramLogWriter(new PrintStream(b, true, StandardCharsets.UTF_8));
        w.outputLogFormatVersion();
        w.outputStartTime(startMillis);
        w.outputBaseTime(startMillis);
        w.outputLegend();
        for (int i = 0; i < 3; i++) {
            for (String tag : new String[] {"connect", "cycle"}) {
                Histogram h = new Histogram(digits);
                h.recordValue(nanos);
                h.setTag(tag);
                w.outputIntervalHistogram(i, i + 1, h, 1_000_000.0);
            }
        }
        Files.write(dir.resolve("latency.hlog"), b.toByteArray());
    }

    /** Writes summary.json and latency.hlog (and states.csv, when given); returns the folder. */
    Path write() throws IOException {
        Files.createDirectories(dir);
        ObjectNode c = summary.putObject("connections");
        c.put("attempted", count).put("completed", count).put("failed", 0);
        double seconds = measuredSeconds >= 0 ? measuredSeconds : (lastEndMillis - startMillis - firstCycleMillis) / 1000.0;
        c.put("perSecond", seconds > 0 ? count / seconds : 0);
        summary.put("durationSeconds", seconds);
        summary.put("endReason", "COUNT_REACHED");
        ObjectNode phases = summary.putObject("phases");
        for (String tag : new String[] {"connect", "cycle"}) {
            phases.putObject(tag).put("count", count).put("mean", 100.0).put("p50", 100.0).put("p90", 100.0)
                    .put("p99", 100.0).put("p999", 100.0).put("max", 100.0);
        }
        extraPhases.forEach((tag, n) -> {
            double micros = extraNanos.get(tag) / 1000.0;
            phases.putObject(tag).put("count", n).put("mean", micros).put("p50", micros).put("p90", micros)
                    .put("p99", micros).put("p999", micros).put("max", micros);
        });
        Files.writeString(dir.resolve("summary.json"), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        Files.write(dir.resolve("latency.hlog"), log.toByteArray());
        if (statesCsv != null) {
            Files.writeString(dir.resolve("states.csv"), statesCsv);
        }
        return dir;
    }
}
