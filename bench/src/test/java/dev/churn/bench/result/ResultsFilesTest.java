package dev.churn.bench.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.engine.AcceptPairing;
import dev.churn.bench.engine.FailureKind;
import dev.churn.bench.engine.Failures;
import dev.churn.bench.engine.Phase;
import dev.churn.bench.engine.RunInfo;
import dev.churn.bench.engine.RunResult;
import dev.churn.bench.engine.RunSpec;
import dev.churn.bench.engine.Tick;
import dev.churn.monitor.Sample;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.Sockstat;
import dev.churn.monitor.StateCounts;
import dev.churn.monitor.StateSeries;
import dev.churn.monitor.TcpState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A format test: a synthetic run with histograms filled by hand, written and read back. */
class ResultsFilesTest {

    private static final long START_MS = 1_700_000_000_000L;
    private static final long START_NS = 5_000_000_000L;

    @TempDir
    Path root;

    @Test
    void writesEveryFileInItsFormat() throws IOException {
        RunSpec spec = new RunSpec(TransportKind.BLOCKING, SocketConfig.DEFAULTS.withLinger(Linger.ABORT), Closer.CLIENT,
                new Load.Open(2500, 64), 1000, null, Duration.ofMillis(1500), 16, 32, null, Duration.ofSeconds(5), 0);
        RunInfo info = new RunInfo(spec, new InetSocketAddress("127.0.0.1", 40123), new int[] {40123}, START_MS, START_NS);
        ResultsDirectory dir = ResultsDirectory.create(root, "fmt-test", Instant.ofEpochMilli(START_MS));
        assertTrue(dir.path().getFileName().toString().matches("\\d{8}-\\d{6}-fmt-test"), dir.toString());

        // Two measured ticks (and a warm-up one that must not reach the log); accept has no samples.
        ResultCollector collector = new ResultCollector(dir, "fmt-test");
        collector.started(info);
        collector.tick(tick(true, 0, 1, 999_000));
        collector.tick(tick(false, 1, 2, 1_000));
        try (Stream<Path> files = Files.list(dir.path())) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("\\.latency\\.hlog\\.[0-9a-f]{16}\\.tmp")),
                    "the log is written under an unpredictable temporary name");
        }
        assertFalse(Files.exists(dir.path().resolve(ResultCollector.FILE)), "and not visible before it is complete");
        collector.tick(tick(false, 2, 3, 2_000));

        Map<Phase, Histogram> totals = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            totals.put(p, new Histogram(3));
        }
        // cycle: 1..1000 µs once each, so p50 is 500 µs, p99 990 µs, max 1000 µs (within HdrHistogram's 0.1%).
        for (int us = 1; us <= 1000; us++) {
            totals.get(Phase.CYCLE).recordValue(us * 1000L);
        }
        totals.get(Phase.CONNECT).recordValue(42_000);
        Map<FailureKind, Failures.Stat> failures = new EnumMap<>(FailureKind.class);
        failures.put(FailureKind.ECONNREFUSED, new Failures.Stat(3, 120, "ConnectException: Connection refused"));
        RunResult result = new RunResult(info, 1003, 1000, 3, START_MS + 1500, 2_000_000_000L, totals, failures,
                RunResult.EndReason.COUNT_REACHED, false, null, null, new AcceptPairing(2, 1, 5, 4, 6, 4))
                .withSinkFaults(new RunResult.SinkFaults(0, null, 3, 2)) // no failed accept, 3 idle resets, 2 TLS
                .withShortagePauses(new RunResult.ShortagePauses(7, 12_345_678)); // 7 pauses, 12.3 ms held back
        collector.finished(result);
        collector.checkWritten();

        StateSeries series = new StateSeries(SourceKind.PROC);
        series.add(sample(0, 10, 3));
        series.add(sample(100, 250, 0));
        series.add(sample(200, 40, 1));
        RunRecord record = new RunRecord("fmt-test", result, series, Map.of("ActiveOpens", 1003L, "TW", 990L),
                new Environment("6.1.0", "Linux amd64", "Eclipse Adoptium", "25+36", 2, "box",
                        Map.of("net.core.somaxconn", "4096")));
        ResultsWriter.write(dir, record);

        checkSummary(SummaryJson.read(dir.path()), totals.get(Phase.CYCLE));
        checkHlog(dir.path().resolve(ResultCollector.FILE));
        checkHgrm(dir.path());
        List<String> csv = Files.readAllLines(dir.path().resolve(ResultsWriter.STATES_CSV));
        assertEquals(StateSeries.CSV_HEADER, csv.get(0));
        assertEquals(4, csv.size());
        try (Stream<Path> files = Files.list(dir.path())) {
            List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
            assertEquals(List.of("connect.hgrm", "cycle.hgrm", "latency.hlog", "states.csv", "summary.json"), names,
                    "every file in place, no temporary ones left");
        }
    }

    private static void checkSummary(JsonNode s, Histogram cycle) {
        assertEquals("churn.run/1", s.get("schema").asText());
        assertEquals("fmt-test", s.get("label").asText());
        assertEquals(Instant.ofEpochMilli(START_MS).toString(), s.get("startedAt").asText());
        JsonNode sc = s.get("scenario");
        assertEquals("blocking", sc.get("transport").asText());
        assertEquals("client", sc.get("closer").asText());
        assertEquals("0", sc.get("linger").asText());
        assertEquals("open", sc.at("/load/type").asText());
        assertEquals(2500.0, sc.at("/load/rate").asDouble());
        assertEquals(64, sc.at("/load/maxInFlight").asInt());
        assertEquals(1000, sc.get("connections").asLong());
        assertTrue(sc.get("duration").isNull());
        assertEquals("1500ms", sc.get("warmup").asText());
        assertEquals("5s", sc.get("connectTimeout").asText());
        assertEquals("127.0.0.1:40123", sc.get("target").asText());
        assertTrue(sc.get("builtInSink").asBoolean());
        assertEquals(16, sc.get("requestBytes").asInt());

        // The built-in sink's own faults: none of its accepts failed (so no first error), 3 idle resets, 2 TLS.
        assertEquals(0, s.at("/sinkAcceptFailures/count").asLong(-1));
        assertTrue(s.at("/sinkAcceptFailures/first").isMissingNode(), s.path("sinkAcceptFailures")::toString);
        assertEquals(3, s.path("sinkIdleResets").asLong(-1));
        assertEquals(2, s.path("sinkTlsFailures").asLong(-1));
        assertEquals(7, s.at("/shortagePauses/count").asLong(-1));
        assertEquals(0.012, s.at("/shortagePauses/seconds").asDouble(-1), 1e-9);
        assertEquals(1003, s.at("/connections/attempted").asLong());
        assertEquals(1000, s.at("/connections/completed").asLong());
        assertEquals(3, s.at("/connections/failed").asLong());
        assertEquals(500.0, s.at("/connections/perSecond").asDouble(), 1e-9);
        assertEquals(2.0, s.get("durationSeconds").asDouble(), 1e-9);
        assertEquals("COUNT_REACHED", s.get("endReason").asText());
        assertEquals(2, s.at("/acceptPairing/connectsWithoutAccept").asLong());
        assertEquals(1, s.at("/acceptPairing/acceptsWithoutConnect").asLong());
        assertEquals(4, s.at("/acceptPairing/acceptedBeforeConnectReturned").asLong());
        assertEquals(6, s.at("/acceptPairing/connectsBeyondDepth").asLong());
        assertEquals(4, s.at("/acceptPairing/portDepth").asInt());
        assertEquals(5, s.get("acceptPairing").size(), "the reuse figure is a diagnostic, not in the file");

        JsonNode c = s.at("/phases/cycle");
        assertEquals(1000, c.get("count").asLong());
        // Microseconds: 1..1000 µs recorded as nanoseconds.
        assertEquals(500.0, c.get("p50").asDouble(), 0.5);
        assertEquals(900.0, c.get("p90").asDouble(), 0.9);
        assertEquals(990.0, c.get("p99").asDouble(), 1.0);
        assertEquals(999.0, c.get("p999").asDouble(), 1.0);
        assertEquals(1000.0, c.get("max").asDouble(), 1.0);
        assertEquals(500.5, c.get("mean").asDouble(), 0.5);
        assertEquals(Math.round(cycle.getValueAtPercentile(99) / 1000.0 * 1000) / 1000.0, c.get("p99").asDouble(), 0.0,
                "p99 is the histogram's own, in µs to 3 decimals");
        assertEquals(42.0, s.at("/phases/connect/p50").asDouble(), 0.05);
        assertTrue(s.at("/phases/accept").isMissingNode(), "phases without samples are left out");

        JsonNode f = s.get("failures");
        assertEquals(FailureKind.values().length, f.size());
        for (FailureKind k : FailureKind.values()) {
            assertTrue(f.has(k.label()), k.label());
        }
        assertEquals(3, f.at("/econnrefused/count").asLong());
        assertEquals(120, f.at("/econnrefused/firstAtMs").asLong());
        assertEquals("ConnectException: Connection refused", f.at("/econnrefused/firstMessage").asText());
        assertEquals(0, f.at("/eaddrnotavail/count").asLong());
        assertTrue(f.at("/eaddrnotavail/firstAtMs").isNull());

        JsonNode st = s.get("states");
        assertEquals("proc", st.get("source").asText());
        assertEquals(40123, st.at("/ports/0").asInt());
        assertEquals(TcpState.values().length, st.get("peak").size());
        assertEquals(250, st.at("/peak/TIME_WAIT").asLong());
        assertEquals(3, st.at("/peak/CLOSE_WAIT").asLong());
        assertEquals(40, st.at("/final/TIME_WAIT").asLong());
        assertEquals(1, st.at("/final/CLOSE_WAIT").asLong());
        assertEquals(0, st.at("/final/ESTABLISHED").asLong());
        assertEquals(3, st.get("samples").asLong());
        assertEquals(300, st.get("sockstatTwPeak").asLong());

        assertEquals(1003, s.at("/kernel/ActiveOpens").asLong());
        assertEquals("6.1.0", s.at("/environment/kernelRelease").asText());
        assertEquals(2, s.at("/environment/cpus").asInt());
        assertEquals("4096", s.at("/environment/sysctls/net.core.somaxconn").asText());
    }

    private static void checkHlog(Path hlog) throws IOException {
        List<EncodableHistogram> read = new ArrayList<>();
        HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        try {
            for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                read.add(h);
            }
            assertEquals(START_MS / 1000.0, reader.getStartTimeSec(), 0.001);
        } finally {
            reader.close();
        }
        // Two measured ticks x the four phases that had counts (accept had none); warm-up left out.
        assertEquals(8, read.size(), read::toString);
        List<String> tags = read.stream().map(EncodableHistogram::getTag).toList();
        assertEquals(List.of("connect", "first_byte", "close", "cycle", "connect", "first_byte", "close", "cycle"), tags);
        Histogram second = (Histogram) read.get(4);
        assertEquals(1, second.getTotalCount());
        assertEquals(2_000, second.getMaxValue(), 2, "values in nanoseconds");
        // Timestamps: absolute, the interval from 2 s to 3 s after the run's start.
        assertEquals(START_MS + 2_000, second.getStartTimeStamp(), 1);
        assertEquals(START_MS + 3_000, second.getEndTimeStamp(), 1);
        String text = Files.readString(hlog);
        assertTrue(text.contains("churn run fmt-test"), "a comment names the run");
        // Its load as the run had it: an open loop's rate, not its in-flight cap called a concurrency.
        assertTrue(text.contains(", open loop 2500.0/s (at most 64 in flight), "), text.lines().findFirst().orElse(""));
    }

    private static void checkHgrm(Path dir) throws IOException {
        String cycle = Files.readString(dir.resolve("cycle.hgrm"));
        assertTrue(cycle.startsWith("       Value     Percentile TotalCount 1/(1-Percentile)"), cycle.lines().findFirst().orElse(""));
        assertTrue(cycle.contains("#[Max     =     1000.447"), "max in microseconds: " + cycle);
        assertFalse(Files.exists(dir.resolve("accept.hgrm")));
    }

    /** A tick whose every phase but accept and tls (a plain run) saw one value of {@code nanos}. */
    private static Tick tick(boolean warmup, int fromSec, int toSec, long nanos) {
        Map<Phase, Histogram> m = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            Histogram h = new Histogram(3);
            if (p != Phase.ACCEPT && p != Phase.TLS) {
                h.recordValue(nanos);
            }
            h.setTag(p.label());
            m.put(p, h);
        }
        return new Tick(warmup, START_NS + fromSec * 1_000_000_000L, START_NS + toSec * 1_000_000_000L, m, 0, 0, 0, 0);
    }

    @Test
    void warmUpTicksAreEncodedButNotLogged() throws IOException {
        // The warm-up's ticks take the measured ticks' encoding, so its code is compiled before the
        // measured part (docs/performance.md); what they encode goes to the rehearsal, not the file.
        RunSpec spec = new RunSpec(TransportKind.BLOCKING, SocketConfig.DEFAULTS, Closer.CLIENT,
                new Load.Closed(1), 10, null, Duration.ofSeconds(1), 1, 1, null, Duration.ofSeconds(5), 0);
        RunInfo info = new RunInfo(spec, new InetSocketAddress("127.0.0.1", 40123), new int[] {40123}, START_MS, START_NS);
        ResultsDirectory dir = ResultsDirectory.create(root, "rehearsal", Instant.ofEpochMilli(START_MS));
        ByteArrayOutputStream rehearsal = new ByteArrayOutputStream();
        ResultCollector collector = new ResultCollector(dir, "rehearsal", rehearsal);
        collector.started(info);
        collector.tick(tick(true, 0, 1, 999_000));
        collector.tick(tick(false, 1, 2, 1_000));
        collector.close();
        collector.checkWritten();

        List<Long> rehearsed = maxima(new HistogramLogReader(new ByteArrayInputStream(rehearsal.toByteArray())));
        assertEquals(4, rehearsed.size(), "the warm-up tick's four phases with counts were encoded");
        rehearsed.forEach(max -> assertEquals(999_000, max, 999));
        List<Long> logged = maxima(new HistogramLogReader(dir.path().resolve(ResultCollector.FILE).toFile()));
        assertEquals(4, logged.size(), "only the measured tick is in the file");
        logged.forEach(max -> assertEquals(1_000, max, 1));
    }

    private static List<Long> maxima(HistogramLogReader reader) {
        List<Long> max = new ArrayList<>();
        try (reader) {
            for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                max.add(((Histogram) h).getMaxValue());
            }
        }
        return max;
    }

    private static Sample sample(long ms, long timeWait, long closeWait) {
        StateCounts c = new StateCounts.Builder().add(TcpState.TIME_WAIT, timeWait).add(TcpState.CLOSE_WAIT, closeWait).build();
        return new Sample(START_MS + ms, ms * 1_000_000L, c, new Sockstat(5, 0, timeWait + 50, 5, 1), 12);
    }

    @Test
    void outFolderHoldingARunIsRefused() throws IOException {
        Path out = root.resolve("given");
        ResultsDirectory dir = ResultsDirectory.at(out);
        dir.write(SummaryJson.FILE, w -> w.write("{\"schema\": \"churn.run/1\"}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsDirectory.at(out));
        assertTrue(e.getMessage().startsWith("--out: "), e.getMessage());
        assertTrue(Files.isRegularFile(out.resolve(SummaryJson.FILE)), "the run's file is left alone");
    }

    /**
     * A joined run's join.json is one of the run's files: --force removed the others and kept it, so the folder held a new
     * run beside the record of a session it never joined (review, 2026-12-07).
     */
    @Test
    void aJoinedRunsRecordIsTheRunsAndGoesWithForce() throws IOException {
        Path out = root.resolve("joined");
        Files.createDirectories(out);
        Files.writeString(out.resolve("join.json"), "{\"schema\": \"churn.join/1\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsDirectory.at(out));
        assertTrue(e.getMessage().contains("already holds join.json"), e.getMessage());
        ResultsDirectory.at(out, true);
        assertFalse(Files.exists(out.resolve("join.json")), "removed with --force, as the run's other files are");
    }

    @Test
    void abandonedFileLeavesNothingAndLabelsAreChecked() throws IOException {
        Instant now = Instant.now();
        ResultsDirectory dir = ResultsDirectory.create(root, "x", now);
        assertThrows(IOException.class, () -> dir.write("a.txt", w -> {
            w.write("half");
            throw new IOException("interrupted");
        }));
        try (Stream<Path> files = Files.list(dir.path())) {
            assertEquals(0, files.count(), "neither the file nor its temporary name");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsDirectory.checkLabel("a b/c"));
        assertTrue(e.getMessage().startsWith("--label: 'a b/c'"), e.getMessage());
        ResultsDirectory second = ResultsDirectory.create(root, "x", now);
        assertEquals(dir.path().getFileName() + "-2", second.path().getFileName().toString(), "same second, same label");
    }

    @Test
    void readRefusesWhatIsNoRunSummary() throws IOException {
        Path f = root.resolve("other.json");
        Files.writeString(f, "{\"schema\": \"something/2\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SummaryJson.read(f));
        assertTrue(e.getMessage().contains("not a churn run summary"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SummaryJson.read(root.resolve("missing")));
    }
}
