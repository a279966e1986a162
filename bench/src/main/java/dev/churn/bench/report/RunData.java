package dev.churn.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.engine.Phase;
import dev.churn.bench.result.LatencyLog;
import dev.churn.bench.result.ResultCollector;
import dev.churn.bench.result.ResultsWriter;
import dev.churn.bench.result.RunMerger;
import dev.churn.bench.result.StatesCsv;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * What the report draws of one run folder, as JSON for the page: {@link #of} reads summary.json,
 * latency.hlog (percentile curves per phase, connection rate per interval) and states.csv (or a
 * merged run's states-&lt;host&gt;.csv files).
 */
public final class RunData {

    /** States sampled more often than this are thinned to keep the page small. */
    static final int MAX_STATE_POINTS = 2000;
    /** Percentile curve resolution: HdrHistogram's ticks per half-distance to 100%. */
    static final int TICKS_PER_HALF_DISTANCE = 5;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RunData() {}

    /** The page's data for the run in this folder (which must hold summary.json and latency.hlog). */
    public static ObjectNode of(Path dir) throws IOException {
        JsonNode s = SummaryJson.read(dir);
        long start = Instant.parse(s.path("startedAt").asText()).toEpochMilli();
        ObjectNode run = MAPPER.createObjectNode();
        run.put("label", s.path("label").asText());
        run.put("dir", dir.toAbsolutePath().normalize().toString());
        run.set("summary", s);
        // Where the measured part began on the timeline's axis (seconds since startedAt): the page shades what comes
        // before it, the warm-up, whose idle seconds read as a stalled run (QA, 2026-12-06). A closed loop's
        // measuredFrom is its first cycle, firstCycleAfterMillis into the part.
        if (s.hasNonNull("measuredFrom")) {
            long part = Instant.parse(s.path("measuredFrom").asText()).toEpochMilli()
                    - Math.round(s.path("firstCycleAfterMillis").asDouble(0)) - start;
            if (part > 0) {
                run.put("measuredPartFrom", round(part / 1000.0));
            }
        }
        Map<String, Histogram> totals = new LinkedHashMap<>();
        TreeMap<Double, double[]> rate = new TreeMap<>();
        // A file the run wrote but the folder lost is said on the page (and by the command), not drawn as an empty chart.
        ArrayNode missing = run.putArray("missing");
        Path hlog = dir.resolve(ResultCollector.FILE);
        if (hasBytes(hlog)) {
            readLog(hlog, s, start, totals, rate);
        } else if (s.at("/connections/completed").asLong(0) > 0) {
            // The run's summary says why when the log was lost during the run (a full disk): the page says it too.
            String lost = s.at("/latencyLog/lost").isTextual() ? " (lost during the run: " + s.at("/latencyLog/lost").asText()
                    + ")" : "";
            missing.add(ResultCollector.FILE + absent(hlog) + lost + ": no percentile curves and no connection rate over time");
        }
        ObjectNode curves = run.putObject("percentiles");
        for (Phase p : Phase.values()) {
            Histogram h = totals.get(p.label());
            if (h != null && h.getTotalCount() > 0) {
                curves.set(p.label(), curve(h));
            }
        }
        ArrayNode r = run.putArray("rate");
        rate.forEach((t, v) -> r.addArray().add(round(t)).add(round(v[0])));
        ArrayNode states = run.putArray("states");
        if (s.path("hosts").isArray()) {
            for (JsonNode host : s.path("hosts")) {
                String file = host.path("statesFile").asText(null);
                if (file != null && hasBytes(dir.resolve(file))) {
                    // On the server's clock, as the merged log is: a host whose clock was 500 ms off had its latencies moved
                    // by clockShiftMillis and its states not, and they were drawn 500 ms early (QA, 2026-12-06).
                    states.add(states(dir.resolve(file), host.path("states"), host.path("host").asText(),
                            Instant.parse(host.path("startedAt").asText()).toEpochMilli()
                                    + host.path("clockShiftMillis").asLong(0) - start));
                } else if (file != null) {
                    missing.add(file + absent(dir.resolve(file)) + ": no TCP states over time for " + host.path("host").asText());
                }
            }
        } else if (hasBytes(dir.resolve(ResultsWriter.STATES_CSV))) {
            states.add(states(dir.resolve(ResultsWriter.STATES_CSV), s.path("states"), s.path("label").asText(), 0));
        } else if (s.path("states").isObject()) {
            missing.add(ResultsWriter.STATES_CSV + absent(dir.resolve(ResultsWriter.STATES_CSV)) + ": no TCP states over time");
        }
        return run;
    }

    // A file of 0 bytes is one a run opened and never wrote to (killed at once, or a full disk): as good
    // as missing, and said the same way, so the page still shows what the other files hold.
    private static boolean hasBytes(Path f) throws IOException {
        return Files.isRegularFile(f) && Files.size(f) > 0;
    }

    private static String absent(Path f) {
        return Files.isRegularFile(f) ? " is empty (0 bytes)" : " is missing";
    }

    /** Percentile curve points [1/(1-p), µs], p below 100%. */
    static ArrayNode curve(Histogram h) {
        ArrayNode a = MAPPER.createArrayNode();
        for (HistogramIterationValue v : h.percentiles(TICKS_PER_HALF_DISTANCE)) {
            double p = v.getPercentileLevelIteratedTo();
            if (p >= 100.0) {
                break;
            }
            a.addArray().add(round(100.0 / (100.0 - p))).add(round(h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0));
        }
        return a;
    }

    /**
     * When a closed loop's first measured cycle started (epoch ms: its window's start, measuredFrom), or
     * {@link Long#MIN_VALUE} where the log's intervals say it (an open loop's window starts with its schedule; a merge's
     * measuredFrom is its earliest host's).
     */
    private static long firstCycle(JsonNode summary) {
        if (!summary.hasNonNull("measuredFrom") || summary.at("/scenario/load/type").asText("").equals("open")
                || summary.path("merged").asBoolean(false)) {
            return Long.MIN_VALUE;
        }
        try {
            return Instant.parse(summary.path("measuredFrom").asText()).toEpochMilli();
        } catch (RuntimeException e) {
            return Long.MIN_VALUE; // SummaryCheck refuses a broken one before this is read
        }
    }

    /**
     * Adds the log's histograms into per-phase totals and its cycle intervals into the rate: one
     * point per interval end, whatever the intervals' length (sub-second ones included), plus one
     * at the first interval's start so the first interval, even a lone one, draws as a step.
     */
    private static void readLog(Path hlog, JsonNode summary, long start, Map<String, Histogram> totals,
            TreeMap<Double, double[]> rate) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        List<long[]> spans = new ArrayList<>();
        long firstCycle = firstCycle(summary);
        LatencyLog.read(hlog, (tag, logFrom, to, h) -> {
            totals.computeIfAbsent(tag, t -> new Histogram(h.getNumberOfSignificantValueDigits())).add(h);
            counts.merge(tag, h.getTotalCount(), Long::sum);
            // A closed loop's first interval starts with the measured part, its first cycle a little later (the loops'
            // threads starting): the rate over the whole interval was diluted by that wait, and drawn from before any
            // cycle (review, 2026-12-07: 10,205/s from 0.242 s where 2,041 cycles in 172 ms are 11,866/s from 0.270 s).
            long from = logFrom < firstCycle && firstCycle < to ? firstCycle : logFrom;
            long span = to - from;
            if (Phase.CYCLE.label().equals(tag) && span > 0) {
                double perSecond = h.getTotalCount() * 1000.0 / span;
                rate.computeIfAbsent((to - start) / 1000.0, k -> new double[1])[0] += perSecond;
                spans.add(new long[] {from, to});
            }
        });
        LatencyLog.checkCounts(hlog, summary, counts);
        if (spans.isEmpty()) {
            return;
        }
        spans.sort(Comparator.comparingLong(x -> x[0]));
        // The log holds no line for an interval in which nothing completed: drawn as a step ending at each point, the
        // next interval's rate was stretched back over the silence, 2 s of a stalled server drawn at 14,100/s (QA,
        // 2026-12-06). A point of 0 where each silence ends draws it as 0/s.
        long firstFrom = spans.getFirst()[0];
        long windowStart = firstFrom;
        if (summary.at("/scenario/load/type").asText("").equals("open") && summary.hasNonNull("measuredFrom")) {
            // An open loop's window begins at measuredFrom, whether or not anything completed in its first interval.
            windowStart = Math.min(firstFrom, Instant.parse(summary.path("measuredFrom").asText()).toEpochMilli());
        }
        if (firstFrom - windowStart > SILENCE_MILLIS) {
            rate.putIfAbsent((windowStart - start) / 1000.0, new double[1]);
            rate.putIfAbsent((firstFrom - start) / 1000.0, new double[1]);
        } else {
            // Drawn as a step ending at each point, the first point's value holds from here.
            rate.putIfAbsent((firstFrom - start) / 1000.0, rate.get((spans.getFirst()[1] - start) / 1000.0).clone());
        }
        long reached = spans.getFirst()[1];
        for (long[] span : spans) {
            if (span[0] - reached > SILENCE_MILLIS) {
                rate.putIfAbsent((span[0] - start) / 1000.0, new double[1]);
            }
            reached = Math.max(reached, span[1]);
        }
        // A silence at the end too: the window runs to its last cycle, failed ones included, and the log's last line is
        // of the last interval in which one completed. A run whose last 7.5 s only failed (--bind-ports held by TIME_WAIT)
        // drew its rate for 0.4 s and stopped there (QA, 2026-12-07).
        if (summary.hasNonNull("measuredFrom") && summary.path("durationSeconds").isNumber()) {
            long windowEnd = Instant.parse(summary.path("measuredFrom").asText()).toEpochMilli()
                    + Math.round(summary.path("durationSeconds").asDouble() * 1000);
            if (windowEnd - reached > SILENCE_MILLIS) {
                rate.putIfAbsent((windowEnd - start) / 1000.0, new double[1]);
            }
        }
    }

    private static long value(Path csv, List<String[]> rows, int row, int column) {
        try {
            return Long.parseLong(rows.get(row)[column]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(csv + ": row " + (row + 2) + " is not numbers (a damaged CSV)");
        }
    }

    /** A gap between a log's intervals longer than this is a silence (its intervals otherwise abut within a millisecond). */
    private static final long SILENCE_MILLIS = 50;

    /**
     * One host's TIME_WAIT and CLOSE_WAIT (and ESTABLISHED) over time, seconds since the report's start; {@code
     * counted} is the host's summary's {@code states}, whose sample count the file must hold.
     */
    static ObjectNode states(Path csv, JsonNode counted, String host, long offsetMillis) throws IOException {
        StatesCsv table = StatesCsv.read(csv, counted);
        List<String[]> rows = table.rows();
        List<String> cols = table.header();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("host", host);
        int stride = Math.max(1, (rows.size() + MAX_STATE_POINTS - 1) / MAX_STATE_POINTS);
        for (String name : List.of("TIME_WAIT", "CLOSE_WAIT", "ESTABLISHED")) {
            int c = cols.indexOf(name);
            int t = cols.indexOf("t_ms");
            if (c < 0) {
                continue;
            }
            ArrayNode a = o.putArray(name);
            // Thinned, each stride of samples gives its highest: its first alone could drop a one-sample peak that the
            // table beside the chart quotes (a 10-minute run at 100 ms is 6,000 samples). The last sample, the state
            // the run left, is always drawn.
            int last = -1;
            for (int i = 0; i < rows.size(); i += stride) {
                int top = -1;
                for (int j = i; j < Math.min(rows.size(), i + stride); j++) {
                    if (rows.get(j).length > Math.max(c, t) && (top < 0 || value(csv, rows, j, c) > value(csv, rows, top, c))) {
                        top = j;
                    }
                }
                if (top >= 0) {
                    a.addArray().add(round((value(csv, rows, top, t) + offsetMillis) / 1000.0)).add(value(csv, rows, top, c));
                    last = top;
                }
            }
            int end = rows.size() - 1;
            if (end > last && rows.get(end).length > Math.max(c, t)) {
                a.addArray().add(round((value(csv, rows, end, t) + offsetMillis) / 1000.0)).add(value(csv, rows, end, c));
            }
        }
        return o;
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
