package dev.churn.bench.result;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading saved runs: every committed run still reads, and damaged files are refused in one line naming them. */
class SavedRunReadingTest {

    private static final Path REFERENCE = Path.of("..", "results", "reference");

    @TempDir
    Path tmp;

    @Test
    void everyCommittedReferenceRunReadsAndItsLogMatchesItsSummary() throws IOException {
        List<Path> runs;
        try (Stream<Path> s = Files.list(REFERENCE)) {
            runs = s.filter(d -> Files.isRegularFile(d.resolve(SummaryJson.FILE))).sorted().toList();
        }
        assertTrue(runs.size() >= 10, () -> "reference runs: " + runs);
        for (Path d : runs) {
            var summary = assertDoesNotThrow(() -> SummaryJson.read(d), d::toString);
            Map<String, Long> counts = new HashMap<>();
            LatencyLog.read(d.resolve(ResultCollector.FILE), (tag, from, to, h) -> counts.merge(tag, h.getTotalCount(), Long::sum));
            assertDoesNotThrow(() -> LatencyLog.checkCounts(d.resolve(ResultCollector.FILE), summary, counts), d::toString);
            assertDoesNotThrow(() -> StatesCsv.checkIfPresent(d.resolve(ResultsWriter.STATES_CSV)), d::toString);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"failed\" : 0|\"failed\" : \"none\"|connections.failed",
        "\"failed\" : 0|\"failed\" : -1|connections.failed",
        "\"perSecond\" : |\"perSecond\" : \"fast\", \"x\" : |connections.perSecond",
        "\"startedAt\" : \"|\"startedAt\" : \"yesterday|startedAt",
        "\"phases\" : {|\"phases\" : {\"bogus\": {\"count\": 1.5}, |phases.bogus.count",
        "\"kernel\" : {|\"kernel\" : {\"Bogus\": \"many\", |kernel.Bogus",
        "\"phases\" : {|\"command\" : [\"run\", 5], \"phases\" : {|command",
        "\"transport\" : |\"intervalMicros\" : \"often\", \"transport\" : |scenario.intervalMicros",
        "\"transport\" : |\"source\" : 1, \"transport\" : |scenario.source",
        "\"phases\" : {|\"latencyLog\" : {\"lost\": 3}, \"phases\" : {|latencyLog.lost"})
    void aFieldOfTheWrongTypeIsNamedWithItsFile(String from, String to, String field) throws IOException {
        Path d = Files.createDirectory(tmp.resolve("run"));
        Path reference = REFERENCE.resolve("01-linger-off.closer-client.transport-blocking-r1").resolve(SummaryJson.FILE);
        String text = Files.readString(reference);
        assertTrue(text.contains(from), from);
        Files.writeString(d.resolve(SummaryJson.FILE), text.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SummaryJson.read(d));
        assertTrue(e.getMessage().startsWith(d.resolve(SummaryJson.FILE) + ": field " + field + " "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /**
     * A states.csv cut at a row boundary is a whole CSV: only its summary's {@code states.samples} tells (QA,
     * 2026-12-06). More rows than counted are refused too; a long run's thinned file, and a summary from before the
     * count, are not.
     */
    @Test
    void aStatesFileWithOtherRowsThanItsSummaryCountsIsRefused() throws IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        Path csv = tmp.resolve(ResultsWriter.STATES_CSV);
        statesRows(csv, 7);
        IllegalArgumentException fewer = assertThrows(IllegalArgumentException.class,
                () -> StatesCsv.read(csv, json.readTree("{\"samples\": 20}")));
        assertEquals(csv + " holds 7 samples but its summary.json counts 20 (a cut-off CSV, or one from another run)",
                fewer.getMessage());
        IllegalArgumentException more = assertThrows(IllegalArgumentException.class,
                () -> StatesCsv.read(csv, json.readTree("{\"samples\": 6}")));
        assertEquals(csv + " holds 7 samples but its summary.json counts 6 (a cut-off CSV, or one from another run)",
                more.getMessage());
        assertEquals(7, StatesCsv.read(csv, json.readTree("{\"samples\": 7}")).rows().size());
        assertEquals(7, StatesCsv.read(csv, json.readTree("{\"source\": \"netlink\"}")).rows().size(), "an older summary");
        // Past its cap of 86,400 a series keeps every other sample: 86,401 taken are 43,201 rows.
        statesRows(csv, 43_201);
        assertEquals(43_201, StatesCsv.read(csv, json.readTree("{\"samples\": 86401}")).rows().size());
        IllegalArgumentException thinned = assertThrows(IllegalArgumentException.class,
                () -> StatesCsv.read(csv, json.readTree("{\"samples\": 90000}")));
        assertEquals(csv + " holds 43201 rows but its summary.json counts 90000 samples, which a long run keeps as 45000 rows"
                + " (a cut-off CSV, or one from another run)", thinned.getMessage());
    }

    private static void statesRows(Path csv, int rows) throws IOException {
        StringBuilder b = new StringBuilder(dev.churn.monitor.StateSeries.CSV_HEADER).append('\n');
        for (int i = 0; i < rows; i++) {
            b.append(i * 100).append(",0,0,0,0,0,0,0,0,0,0,0,,40,").append(i == 0 ? "" : "100000").append('\n');
        }
        Files.writeString(csv, b);
    }

    /** Its '#' lines removed, a log's times would be seconds from 1970: refused, not charted from there. */
    @Test
    void aLogWithoutItsStartTimeIsRefused() throws IOException {
        Path log = REFERENCE.resolve("01-linger-off.closer-client.transport-blocking-r1").resolve(ResultCollector.FILE);
        Path bare = tmp.resolve("latency.hlog");
        Files.write(bare, Files.readAllLines(log).stream().filter(l -> !l.startsWith("#")).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatencyLog.read(bare, (t, f, x, h) -> {}));
        assertEquals(bare + " has no #[StartTime: ...] line before its intervals: not a churn latency log, or its header was"
                + " cut off", e.getMessage());
    }

    /** An interval whose histogram text lost its last 8 characters, the line kept whole: said as damage, not as a decoder's index. */
    @Test
    void anIntervalWhoseHistogramIsCutShortIsSaidToBeDamaged() throws IOException {
        Path log = REFERENCE.resolve("01-linger-off.closer-client.transport-blocking-r1").resolve(ResultCollector.FILE);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(log));
        int first = 0;
        while (lines.get(first).startsWith("#") || lines.get(first).startsWith("\"")) {
            first++; // the header, then the legend line
        }
        String line = lines.get(first);
        lines.set(first, line.substring(0, line.length() - 8));
        Path damaged = tmp.resolve("latency.hlog");
        Files.write(damaged, lines);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatencyLog.read(damaged, (t, f, x, h) -> {}));
        assertEquals(damaged + " is corrupt at interval 1: its histogram is cut short or damaged (its base64 text does not"
                + " decode to a whole histogram)", e.getMessage());
    }

    @Test
    void aTruncatedLogSaysSoAndNamesTheFile() throws IOException {
        Path log = REFERENCE.resolve("01-linger-off.closer-client.transport-blocking-r1").resolve(ResultCollector.FILE);
        byte[] full = Files.readAllBytes(log);
        Path cut = tmp.resolve("latency.hlog");
        Files.write(cut, java.util.Arrays.copyOf(full, full.length / 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatencyLog.read(cut, (t, f, x, h) -> {}));
        assertTrue(e.getMessage().startsWith(cut + " is truncated") || e.getMessage().startsWith(cut + " is corrupt"),
                e.getMessage());
    }
}
