package dev.churn.monitor;

import static dev.churn.monitor.TcpState.CLOSE_WAIT;
import static dev.churn.monitor.TcpState.ESTABLISHED;
import static dev.churn.monitor.TcpState.LISTEN;
import static dev.churn.monitor.TcpState.TIME_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateSeriesTest {

    private static final Sockstat STAT = new Sockstat(12, 3, 40, 15, 2);

    private static Sample sample(long elapsedMillis, StateCounts counts, Sockstat stat, long micros) {
        return new Sample(1_700_000_000_000L + elapsedMillis, elapsedMillis * 1_000_000L + 123_456, counts, stat, micros);
    }

    @Test
    void csvHasTheDocumentedHeaderAndOneRowPerSample() throws IOException {
        StateSeries series = new StateSeries(SourceKind.NETLINK);
        series.add(sample(0, ScriptedSource.counts(ESTABLISHED, 4, LISTEN, 1), STAT, 57));
        series.add(new Sample(1_700_000_000_200L, 200_123_456L, ScriptedSource.counts(TIME_WAIT, 30, CLOSE_WAIT, 2),
                Sockstat.UNKNOWN, 61, 200_000));
        StringWriter out = new StringWriter();
        series.writeCsv(out);
        // churn.states/2: version 1's columns, then interval_us (empty for the first sample)
        assertEquals("""
                t_ms,ESTABLISHED,SYN_SENT,SYN_RECV,FIN_WAIT1,FIN_WAIT2,TIME_WAIT,CLOSE,CLOSE_WAIT,LAST_ACK,LISTEN,CLOSING,sockstat_tw,sample_us,interval_us
                0,4,0,0,0,0,0,0,0,0,1,0,40,57,
                200,0,0,0,0,0,30,0,2,0,0,0,,61,200000
                """, out.toString());
    }

    @Test
    void aSampleAfterTheEndIsTheLastButNoPeak() {
        StateSeries series = new StateSeries(SourceKind.NETLINK);
        series.add(sample(0, ScriptedSource.counts(CLOSE_WAIT, 7, ESTABLISHED, 1), STAT, 5));
        series.addAfterEnd(sample(1, ScriptedSource.counts(TIME_WAIT, 9, ESTABLISHED, 3), STAT, 5));
        assertEquals(0, series.peaks().get(TIME_WAIT));
        assertEquals(7, series.peaks().get(CLOSE_WAIT));
        assertEquals(1, series.peaks().get(ESTABLISHED));
        assertEquals(9, series.last().orElseThrow().get(TIME_WAIT));
        assertEquals(2, series.samplesTaken());
    }

    @Test
    void jsonIsOneLinePerSampleWithAllElevenStatesInOrder() throws IOException {
        StateSeries series = new StateSeries(SourceKind.NETLINK);
        Sample s = sample(0, ScriptedSource.counts(ESTABLISHED, 4, TIME_WAIT, 9), STAT, 57);
        StringWriter out = new StringWriter();
        series.writeJsonLine(s, out);
        assertEquals("{\"time\": 1700000000000, \"source\": \"netlink\", \"states\": {\"ESTABLISHED\": 4, "
                + "\"SYN_SENT\": 0, \"SYN_RECV\": 0, \"FIN_WAIT1\": 0, \"FIN_WAIT2\": 0, \"TIME_WAIT\": 9, "
                + "\"CLOSE\": 0, \"CLOSE_WAIT\": 0, \"LAST_ACK\": 0, \"LISTEN\": 0, \"CLOSING\": 0}, "
                + "\"sockstat\": {\"tw\": 40, \"inuse\": 12, \"orphan\": 3}, \"sampleMicros\": 57, \"intervalMicros\": null}\n", out.toString());
    }

    @Test
    void jsonWritesUnknownSockstatAsNullAndWholeSeriesAsLines() throws IOException {
        StateSeries series = new StateSeries(SourceKind.PROC);
        series.add(sample(0, StateCounts.EMPTY, Sockstat.UNKNOWN, 5));
        series.add(new Sample(1_700_000_001_000L, 1_000_000_000L, StateCounts.EMPTY, STAT, 6, 1_000_000));
        StringWriter out = new StringWriter();
        series.writeJson(out);
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size());
        assertEquals(true, lines.get(0).contains("\"source\": \"proc\""));
        assertEquals(true, lines.get(0).contains("\"sockstat\": {\"tw\": null, \"inuse\": null, \"orphan\": null}"));
        assertEquals(true, lines.get(1).endsWith("\"sampleMicros\": 6, \"intervalMicros\": 1000000}"));
    }

    @Test
    void peaksAreThePerStateMaximumAndLastIsTheNewest() {
        StateSeries series = new StateSeries(SourceKind.NETLINK);
        assertFalse(series.last().isPresent());
        series.add(sample(0, ScriptedSource.counts(TIME_WAIT, 10, CLOSE_WAIT, 5), STAT, 1));
        series.add(sample(1, ScriptedSource.counts(TIME_WAIT, 30, CLOSE_WAIT, 1), Sockstat.UNKNOWN, 1));
        series.add(sample(2, ScriptedSource.counts(TIME_WAIT, 20, ESTABLISHED, 7), STAT, 1));
        StateCounts want = new StateCounts.Builder().add(TIME_WAIT, 30).add(CLOSE_WAIT, 5).add(ESTABLISHED, 7).build();
        assertEquals(want, series.peaks());
        assertEquals(2, series.last().orElseThrow().elapsedMillis());
        assertEquals(40, series.peakSockstatTw());
    }

    @Test
    void atTheCapTheSeriesThinsButKeepsPeaksLastAndTheWholeSpan() {
        StateSeries series = new StateSeries(SourceKind.NETLINK, 4);
        for (int i = 0; i < 10; i++) {
            long tw = i == 3 ? 99 : i; // the peak falls on a sample thinning drops
            series.add(sample(i, ScriptedSource.counts(TIME_WAIT, tw, LISTEN, 1), STAT, 1));
        }
        List<Long> kept = series.samples().stream().map(Sample::elapsedMillis).toList();
        // Every 4th sample, and the last one taken in the last row: a run's final sample (summary.json's states.final)
        // fell between the stored ones, and its states.csv ended on a row the summary did not speak of (review,
        // 2026-12-07). The row count is the same: the last one taken stands in for the stored one of its stretch.
        assertEquals(List.of(0L, 4L, 9L), kept);
        assertEquals(4, series.stride());
        assertEquals(10, series.samplesTaken());
        assertEquals(9, series.last().orElseThrow().elapsedMillis());
        assertEquals(99, series.peaks().get(TIME_WAIT));
    }

    /**
     * A thinned timeline's rows are as far apart as their intervals say: nine samples a second apart in a series of
     * four kept the rows at 0, 4 and 8 s, each still saying 1 s since the previous one, and the median said 1 s
     * (review, 2026-12-07).
     */
    @Test
    void afterThinningTheIntervalsAreTheGapsBetweenStoredRows() throws IOException {
        StateSeries series = new StateSeries(SourceKind.PROC, 4);
        for (int i = 0; i < 9; i++) {
            series.add(new Sample(1_700_000_000_000L + i * 1000L, i * 1_000_000_000L, ScriptedSource.counts(TIME_WAIT, i, LISTEN, 1),
                    STAT, 5, i == 0 ? Sample.NO_INTERVAL : 1_000_000));
        }
        assertEquals(List.of(0L, 4000L, 8000L), series.samples().stream().map(Sample::elapsedMillis).toList());
        assertEquals(List.of(-1L, 4_000_000L, 4_000_000L), series.samples().stream().map(Sample::intervalMicros).toList());
        assertEquals(4_000_000, series.medianIntervalMicros());
        StringWriter csv = new StringWriter();
        series.writeCsv(csv);
        List<String> rows = csv.toString().lines().skip(1).toList();
        assertEquals(List.of("", "4000000", "4000000"), rows.stream().map(r -> r.endsWith(",") ? "" : r.substring(r.lastIndexOf(',') + 1)).toList());
        // The last one taken, in the last row, is spaced from the row before it too.
        series.add(new Sample(1_700_000_000_000L + 9_000L, 9_000_000_000L, ScriptedSource.counts(TIME_WAIT, 9, LISTEN, 1),
                STAT, 5, 1_000_000));
        assertEquals(List.of(-1L, 4_000_000L, 5_000_000L), series.samples().stream().map(Sample::intervalMicros).toList());
        // Stored once a stride is set, a sample is spaced from the row before it too, not from the sample before it.
        for (int i = 10; i <= 12; i++) {
            series.add(new Sample(1_700_000_000_000L + i * 1000L, i * 1_000_000_000L,
                    ScriptedSource.counts(TIME_WAIT, i, LISTEN, 1), STAT, 5, 1_000_000));
        }
        assertEquals(List.of(-1L, 4_000_000L, 4_000_000L, 4_000_000L),
                series.samples().stream().map(Sample::intervalMicros).toList());
        // The samples taken keep their own intervals: last() is what the sampler took.
        assertEquals(1_000_000, series.last().orElseThrow().intervalMicros());
    }

    /** What a reader expects of a saved CSV's rows (a long run's are thinned) is what the series stored. */
    @Test
    void storedOfIsTheRowsASeriesKeepsForEveryCountTaken() {
        for (int cap : new int[] {2, 3, 4, 5, 7, 16}) {
            StateSeries series = new StateSeries(SourceKind.NETLINK, cap);
            assertEquals(0, StateSeries.storedOf(0, cap));
            for (int taken = 1; taken <= 300; taken++) {
                series.add(sample(taken, ScriptedSource.counts(TIME_WAIT, taken, LISTEN, 1), STAT, 1));
                assertEquals(series.size(), StateSeries.storedOf(taken, cap), "cap " + cap + ", taken " + taken);
            }
        }
        assertEquals(86_400, StateSeries.storedOf(86_400, StateSeries.DEFAULT_MAX_SAMPLES));
        assertEquals(43_201, StateSeries.storedOf(86_401, StateSeries.DEFAULT_MAX_SAMPLES));
    }

    @Test
    void errorsAreCountedAndTheFirstMessageKept() {
        StateSeries series = new StateSeries(SourceKind.NETLINK);
        series.recordError("first");
        series.recordError("second");
        assertEquals(2, series.errorCount());
        assertEquals("first", series.firstError().orElseThrow());
    }

    @Test
    void tooSmallACapIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StateSeries(SourceKind.PROC, 1));
        assertEquals("maxSamples: 1 must be at least 2", e.getMessage());
    }
}
