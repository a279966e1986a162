package dev.churn.bench.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.engine.Phase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Merges runs made at the same time from several client machines against one server into one
 * results folder: {@link #read} checks and reads the runs, {@link #write} writes the merged folder
 * ({@link #merge} does both). Latency histograms add exactly (per phase, per second of wall clock
 * since the earliest host's start); the rate is the completions inside the common window (where
 * every run was measuring) over its length; TCP state series stay per host ({@code
 * states-<host>.csv}) and so do kernel counters and environments (the {@code hosts} array of the
 * merged summary.json). Runs that do not belong together are refused ({@link MergeCheck}).
 */
public final class RunMerger {

    /** The label of a merged run unless the caller names one. */
    public static final String DEFAULT_LABEL = "merged";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final double MAX_VALUE_UNIT_RATIO = 1_000_000.0;

    /**
     * The histograms of one phase in one wall-clock second, where their intervals start, and per host the values and
     * the milliseconds of its intervals in it (for {@link #lengthMillis}).
     */
    private static final class Bucket {
        final Histogram histogram;
        long from = Long.MAX_VALUE;
        private final Map<Integer, long[]> hosts = new HashMap<>();

        Bucket(int digits) {
            histogram = new Histogram(digits);
        }

        void add(int host, long from, long to, Histogram h) {
            histogram.add(h);
            this.from = Math.min(this.from, from);
            long[] own = hosts.computeIfAbsent(host, k -> new long[2]);
            own[0] += h.getTotalCount();
            own[1] += Math.max(1, to - from);
        }

        /**
         * The merged interval's length: the one over which its count is the hosts' rates added up. The hosts'
         * intervals in one second start at different instants, so their union spans up to two seconds; written as the
         * interval, it showed a rate chart at about two thirds of the combined rate (QA, 2026-12-06).
         */
        long lengthMillis() {
            double perMilli = 0;
            for (long[] own : hosts.values()) {
                perMilli += (double) own[0] / own[1];
            }
            return perMilli > 0 ? Math.max(1, Math.round(histogram.getTotalCount() / perMilli)) : 1;
        }
    }

    /** Checked runs, read and ready to write: {@link #read}, then {@link #write}. */
    public static final class Plan {
        private final List<MergeCheck.Input> inputs;
        private final long start;
        private final Map<String, TreeMap<Long, Bucket>> perSecond;
        private final Map<String, Histogram> totals;
        private final List<String> mismatches;
        private final boolean forced;
        private final MergeCheck.Window window;
        private final boolean common;
        private final double completedInWindow;
        /** Per input, milliseconds added to its timestamps (its clock's offset to the merge's); null: none. */
        private final long[] shifts;

        private Plan(List<MergeCheck.Input> inputs, long start, Map<String, TreeMap<Long, Bucket>> perSecond,
                Map<String, Histogram> totals, List<String> mismatches, boolean forced, MergeCheck.Window window,
                boolean common, double completedInWindow, long[] shifts) {
            this.inputs = inputs;
            this.start = start;
            this.perSecond = perSecond;
            this.totals = totals;
            this.mismatches = mismatches;
            this.forced = forced;
            this.window = window;
            this.common = common;
            this.completedInWindow = completedInWindow;
            this.shifts = shifts;
        }
    }

    private RunMerger() {}

    /** The states file of one host in a merged folder. */
    public static String statesFile(String host) {
        return "states-" + host + ".csv";
    }

    /** {@link #merge(List, ResultsDirectory, String, boolean)} without --force: runs that do not belong together are refused. */
    public static JsonNode merge(List<Path> runDirs, ResultsDirectory out, String label) throws IOException {
        return merge(runDirs, out, label, false);
    }

    /** {@link #read} then {@link #write}. */
    public static JsonNode merge(List<Path> runDirs, ResultsDirectory out, String label, boolean force) throws IOException {
        return write(read(runDirs, force), out, label);
    }

    /**
     * Reads and checks these run folders (two or more) without writing anything. Throws
     * IllegalArgumentException (one line, naming the folder or file) when an input is not a complete,
     * consistent run, is given twice, or, unless {@code force}, does not belong with the others
     * ({@link MergeCheck#mismatches}: another scenario, or a window that does not overlap).
     */
    public static Plan read(List<Path> runDirs, boolean force) throws IOException {
        return read(runDirs, force, null);
    }

    /**
     * {@link #read(List, boolean)} with each run's timestamps moved by {@code shiftMillis[i]} first:
     * runs measured against clocks of their own, whose offsets to one reference clock are known (a
     * joined session's clients, each measured against the server's), are merged on that clock, so
     * their windows and per-second buckets line up even when the hosts' clocks do not. Null: none.
     */
    public static Plan read(List<Path> runDirs, boolean force, long[] shiftMillis) throws IOException {
        if (shiftMillis != null && shiftMillis.length != runDirs.size()) {
            throw new IllegalArgumentException("merge: " + shiftMillis.length + " clock shifts for " + runDirs.size() + " runs");
        }
        if (runDirs.size() < 2) {
            throw new IllegalArgumentException("merge: give at least two run folders (one per client host), got " + runDirs.size());
        }
        List<JsonNode> summaries = new ArrayList<>();
        for (Path d : runDirs) {
            JsonNode s = SummaryJson.read(d);
            if (s.path("hosts").isArray()) {
                throw new IllegalArgumentException(d + " is already a merged run; merge the hosts' own folders");
            }
            if (!Files.isRegularFile(d.resolve(ResultCollector.FILE))) {
                throw new IllegalArgumentException(d + " has no " + ResultCollector.FILE + " to merge");
            }
            summaries.add(s);
        }
        MergeCheck.duplicates(runDirs, summaries);
        long start = Long.MAX_VALUE;
        for (int i = 0; i < summaries.size(); i++) {
            start = Math.min(start, Instant.parse(summaries.get(i).path("startedAt").asText()).toEpochMilli() + shift(shiftMillis, i));
        }
        Map<String, TreeMap<Long, Bucket>> perSecond = new LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            perSecond.put(p.label(), new TreeMap<>());
        }
        Map<String, Histogram> totals = new LinkedHashMap<>();
        List<MergeCheck.Input> inputs = new ArrayList<>();
        List<List<long[]>> cycles = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < runDirs.size(); i++) {
            Path d = runDirs.get(i);
            JsonNode s = summaries.get(i);
            List<long[]> hostCycles = new ArrayList<>();
            MergeCheck.Window w = readLog(d, i, s, start, shift(shiftMillis, i), perSecond, totals, hostCycles);
            // Copied as it is into the merged folder: a damaged one is refused here, as report would refuse it there.
            StatesCsv.checkIfPresent(d.resolve(ResultsWriter.STATES_CSV), s.path("states"));
            String base = hostName(s, d, i);
            String name = base;
            for (int n = 2; !names.add(name); n++) {
                name = base + "-" + n;
            }
            inputs.add(new MergeCheck.Input(name, d, s, w));
            cycles.add(hostCycles);
        }
        List<String> mismatches = MergeCheck.mismatches(inputs);
        if (!mismatches.isEmpty() && !force) {
            throw new IllegalArgumentException("will not merge: " + mismatches.getFirst()
                    + (mismatches.size() > 1 ? " (and " + (mismatches.size() - 1) + " more)" : "") + "; --force merges anyway");
        }
        MergeCheck.Window common = MergeCheck.common(inputs);
        // Forced past windows that do not overlap, the only honest span left is the union.
        MergeCheck.Window window = common.isEmpty() ? MergeCheck.union(inputs) : common;
        double inWindow = 0;
        for (int i = 0; i < cycles.size(); i++) {
            inWindow += completedWithin(cycles.get(i), window, inputs.get(i).window());
        }
        return new Plan(List.copyOf(inputs), start, perSecond, totals, List.copyOf(mismatches), force, window,
                !common.isEmpty(), inWindow, shiftMillis == null ? null : shiftMillis.clone());
    }

    /**
     * The name a run goes by in the merge, its states file's and its hosts entry's: its summary's label when that is a
     * label, else its folder's name, else host-N. A label is anyone's summary.json: one with a newline and terminal
     * escapes was printed raw by merge, broke merged/latency.hlog's comment line in two, and named a states file with
     * escapes in it (QA, 2026-12-06).
     */
    private static String hostName(JsonNode summary, Path dir, int i) {
        String label = summary.path("label").asText("");
        if (ResultsDirectory.isLabel(label)) {
            return label;
        }
        Path folder = dir.toAbsolutePath().normalize().getFileName();
        return folder != null && ResultsDirectory.isLabel(folder.toString()) ? folder.toString() : "host-" + (i + 1);
    }

    private static long shift(long[] shiftMillis, int i) {
        return shiftMillis == null ? 0 : shiftMillis[i];
    }

    /** The merged summary of a plan, as {@link #write} writes it: for a table when its files could not be written. */
    public static JsonNode summaryOf(Plan plan, String label) {
        ResultsDirectory.checkLabel(label);
        return summary(label, plan);
    }

    /** Writes the merged folder of a plan into {@code out}; returns the merged summary. */
    public static JsonNode write(Plan plan, ResultsDirectory out, String label) throws IOException {
        ResultsDirectory.checkLabel(label);
        writeLog(out, label, plan);
        for (Phase p : Phase.values()) {
            Histogram t = plan.totals.get(p.label());
            if (t != null && t.getTotalCount() > 0) {
                out.writeStream(ResultsWriter.hgrmName(p), o -> {
                    PrintStream ps = new PrintStream(o, false, StandardCharsets.UTF_8);
                    t.outputPercentileDistribution(ps, ResultsWriter.HGRM_UNIT_RATIO);
                    ps.flush();
                });
            }
        }
        for (MergeCheck.Input h : plan.inputs) {
            Path states = h.dir().resolve(ResultsWriter.STATES_CSV);
            if (Files.isRegularFile(states)) {
                out.writeStream(statesFile(h.name()), o -> Files.copy(states, o));
            }
        }
        ObjectNode summary = summary(label, plan);
        out.write(SummaryJson.FILE, w -> {
            w.write(MAPPER.writeValueAsString(summary));
            w.write('\n');
        });
        return summary;
    }

    /**
     * Completions inside the window: each cycle interval's count, pro-rated by the share of the
     * interval inside the window (completions are assumed even within one interval), the interval first cut to the
     * host's own measured span ({@code host}), where all its completions are.
     */
    static double completedWithin(List<long[]> cycleIntervals, MergeCheck.Window w, MergeCheck.Window host) {
        double n = 0;
        for (long[] c : cycleIntervals) {
            // No cycle of the host completed before its own window began (a closed loop's first cycle's start, a few
            // ms into its first interval), nor after it ended (its last interval ends at the tick after its last cycle,
            // 7-215 ms past its window): spread the interval's completions over the part inside it only. Spread over
            // the whole last interval, two hosts with the same window lost 5 of their 3,600 completions, and a loaded
            // session 2.7% of its rate (QA, 2026-12-06).
            long from = Math.min(Math.max(c[0], host.from()), c[1]);
            long to = Math.max(from, Math.min(c[1], host.to()));
            if (to <= from) {
                n += from >= w.from() && from <= w.to() ? c[2] : 0;
                continue;
            }
            long overlap = Math.min(to, w.to()) - Math.max(from, w.from());
            if (overlap > 0) {
                n += c[2] * (double) overlap / (to - from);
            }
        }
        return n;
    }

    /**
     * Adds one run's log into the buckets and totals, collects its cycle intervals {start, end,
     * count}, checks the log against the summary, and returns the span the log covers (the
     * summary's measured span when the log has no intervals).
     */
    private static MergeCheck.Window readLog(Path dir, int host, JsonNode summary, long start, long shift,
            Map<String, TreeMap<Long, Bucket>> perSecond, Map<String, Histogram> totals, List<long[]> cycles) throws IOException {
        Path file = dir.resolve(ResultCollector.FILE);
        Map<String, Long> counts = new HashMap<>();
        long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
        LatencyLog.read(file, (tag, ownFrom, ownTo, hist) -> {
            long from = ownFrom + shift;
            long to = ownTo + shift;
            // Timestamps are absolute (the log's BaseTime is its start): bucket by wall-clock second.
            long second = Math.max(0, Math.floorDiv(from - start, 1000));
            Bucket b = perSecond.get(tag).computeIfAbsent(second, s -> new Bucket(hist.getNumberOfSignificantValueDigits()));
            b.add(host, from, to, hist);
            totals.computeIfAbsent(tag, t -> new Histogram(hist.getNumberOfSignificantValueDigits())).add(hist);
            counts.merge(tag, hist.getTotalCount(), Long::sum);
            if (Phase.CYCLE.label().equals(tag)) {
                cycles.add(new long[] {from, to, hist.getTotalCount()});
            }
            span[0] = Math.min(span[0], from);
            span[1] = Math.max(span[1], to);
        });
        LatencyLog.checkCounts(file, summary, counts);
        // The host's measured window as its summary has it, the span its own rate is over: its log's first interval
        // starts at its first tick with a completion, so a start-up stall (no cycle done in the first 200 ms) would
        // fall outside a window taken from the log, and the merged rate would exceed the hosts' rates added up.
        // The log's span stands in only for a summary without a measured start.
        String measuredFrom = summary.path("measuredFrom").asText("");
        if (!measuredFrom.isEmpty()) {
            long from = Instant.parse(measuredFrom).toEpochMilli() + shift;
            return new MergeCheck.Window(from, from + Math.round(summary.path("durationSeconds").asDouble() * 1000));
        }
        return span[0] == Long.MAX_VALUE ? new MergeCheck.Window(0, 0) : new MergeCheck.Window(span[0], span[1]);
    }

    private static void writeLog(ResultsDirectory out, String label, Plan plan) throws IOException {
        List<String> names = plan.inputs.stream().map(MergeCheck.Input::name).toList();
        out.writeStream(ResultCollector.FILE, o -> {
            PrintStream ps = new PrintStream(o, false, StandardCharsets.UTF_8);
            HistogramLogWriter log = new HistogramLogWriter(ps);
            log.outputComment("churn merge " + label + ": " + names.size() + " hosts (" + String.join(", ", names)
                    + "), histograms added per wall-clock second; each interval starts at the first host's and its count"
                    + " over its length is the hosts' rates added");
            log.outputComment("values in nanoseconds; tags are phases; MaxValue column in milliseconds; "
                    + "timestamps in seconds since StartTime");
            log.outputLogFormatVersion();
            log.outputStartTime(plan.start);
            log.outputBaseTime(plan.start);
            log.outputLegend();
            long last = plan.perSecond.values().stream().filter(m -> !m.isEmpty()).mapToLong(TreeMap::lastKey).max().orElse(-1);
            for (long s = 0; s <= last; s++) {
                for (Map.Entry<String, TreeMap<Long, Bucket>> e : plan.perSecond.entrySet()) {
                    Bucket b = e.getValue().get(s);
                    if (b != null && b.histogram.getTotalCount() > 0) {
                        b.histogram.setTag(e.getKey());
                        long from = b.from - plan.start;
                        log.outputIntervalHistogram(from / 1000.0, (from + b.lengthMillis()) / 1000.0,
                                b.histogram, MAX_VALUE_UNIT_RATIO);
                    }
                }
            }
            ps.flush();
        });
    }

    /**
     * The open-loop hosts' schedules together, or null when no host ran one: their starts intended, made and missed
     * added up, the latest start of any, and each host's peak in flight added up (an upper bound: the peaks need not
     * have been at once). Lateness percentiles do not add up from percentiles, so each host's stay in {@code hosts}.
     * A merge dropped them all (two clients, one at 50,000/s that missed 127,544 of its 150,000 starts: the merged
     * table said nothing of it, 2026-12-05).
     */
    private static JsonNode schedule(List<MergeCheck.Input> hosts) {
        List<JsonNode> open = hosts.stream().map(h -> h.summary().path("schedule")).filter(JsonNode::isObject).toList();
        if (open.isEmpty()) {
            return MAPPER.nullNode();
        }
        ObjectNode n = MAPPER.createObjectNode();
        for (String k : List.of("intended", "started", "missed")) {
            n.put(k, open.stream().mapToLong(s -> s.path(k).asLong(k.equals("missed")
                    ? s.path("intended").asLong() - s.path("started").asLong() : 0)).sum());
        }
        n.put("maxLagMicros", open.stream().mapToDouble(s -> s.path("maxLagMicros").asDouble()).max().orElse(0));
        n.put("peakInFlight", open.stream().mapToLong(s -> s.path("peakInFlight").asLong()).sum());
        n.put("maxInFlight", open.stream().mapToLong(s -> s.path("maxInFlight").asLong()).sum());
        n.put("generatorLimited", open.stream().anyMatch(s -> s.path("generatorLimited").asBoolean(false)));
        n.put("hosts", open.size());
        return n;
    }

    private static ObjectNode summary(String label, Plan plan) {
        List<MergeCheck.Input> hosts = plan.inputs;
        JsonNode first = hosts.getFirst().summary();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SummaryJson.SCHEMA);
        root.put("label", label);
        root.put("merged", true);
        root.put("startedAt", Instant.ofEpochMilli(plan.start).toString());
        // The earliest host's, compared as instants: as strings "...:14Z" (an instant on a whole second) sorted after
        // "...:14.494Z" (QA, 2026-12-06).
        // On the reference clock, as startedAt: each host's own moved by its clock shift (a joined session's).
        Instant measuredFrom = IntStream.range(0, hosts.size()).mapToObj(i -> measuredFrom(hosts, plan, i))
                .min(Instant::compareTo).orElseThrow();
        root.put("measuredFrom", measuredFrom.toString());
        ObjectNode scenario = first.path("scenario").deepCopy();
        scenario.set("load", combinedLoad(hosts));
        root.set("scenario", scenario);
        ObjectNode conn = root.putObject("connections");
        for (String k : List.of("attempted", "completed", "failed")) {
            conn.put(k, hosts.stream().mapToLong(h -> h.summary().at("/connections/" + k).asLong()).sum());
        }
        // The server saw every host's load only where all were measuring: the rate is over that window.
        double seconds = plan.window.seconds();
        conn.put("perSecond", seconds > 0 ? Micros.round3(plan.completedInWindow / seconds) : 0);
        root.put("durationSeconds", Micros.round3(seconds));
        List<String> reasons = hosts.stream().map(h -> h.summary().path("endReason").asText()).distinct().toList();
        root.put("endReason", reasons.size() == 1 ? reasons.getFirst() : String.join("+", reasons));
        root.set("schedule", schedule(hosts));
        ObjectNode phases = root.putObject("phases");
        for (Phase p : Phase.values()) {
            Histogram h = plan.totals.get(p.label());
            if (h == null || h.getTotalCount() == 0) {
                continue;
            }
            phases.set(p.label(), SummaryJson.phase(h));
        }
        if (first.has("tlsHandshakes")) {
            // Whole runs' counts, as each host's summary gives them (not cut to the merge's window).
            ObjectNode t = root.putObject("tlsHandshakes");
            long all = hosts.stream().mapToLong(h -> h.summary().at("/tlsHandshakes/handshakes").asLong()).sum();
            long resumed = hosts.stream().mapToLong(h -> h.summary().at("/tlsHandshakes/resumed").asLong()).sum();
            t.put("handshakes", all);
            t.put("resumed", resumed);
            t.put("resumedShare", all == 0 ? 0 : Micros.round3((double) resumed / all));
        }
        root.set("failures", failures(hosts, plan, measuredFrom));
        // Every host's latencies above the histograms' ceiling, by phase: the merged histograms hold them at it too.
        ObjectNode over = root.putObject("overCeiling");
        for (MergeCheck.Input h : hosts) {
            h.summary().path("overCeiling").properties().forEach(e -> over.put(e.getKey(),
                    over.path(e.getKey()).asLong(0) + e.getValue().asLong()));
        }
        ObjectNode pauses = root.putObject("shortagePauses");
        pauses.put("count", hosts.stream().mapToLong(h -> h.summary().at("/shortagePauses/count").asLong()).sum());
        // Each host's own time held back, added: host-seconds, as the failures are every host's.
        pauses.put("seconds", Micros.round3(hosts.stream().mapToDouble(h -> h.summary().at("/shortagePauses/seconds").asDouble()).sum()));
        // States and kernel counters belong to a machine: see hosts[].
        root.putNull("states");
        root.putObject("kernel");
        root.set("environment", first.path("environment").deepCopy());
        ObjectNode merge = root.putObject("merge");
        merge.put("forced", plan.forced);
        ArrayNode mm = merge.putArray("mismatches");
        plan.mismatches.forEach(mm::add);
        ObjectNode w = merge.putObject("rateWindow");
        w.put("kind", plan.common ? "common" : "union");
        w.put("from", Instant.ofEpochMilli(plan.window.from()).toString());
        w.put("to", Instant.ofEpochMilli(plan.window.to()).toString());
        w.put("seconds", Micros.round3(seconds));
        w.put("completed", Micros.round3(plan.completedInWindow));
        merge.put("sumOfHostRates", Micros.round3(hosts.stream().mapToDouble(h -> h.summary().at("/connections/perSecond").asDouble()).sum()));
        ArrayNode ha = root.putArray("hosts");
        for (int i = 0; i < hosts.size(); i++) {
            MergeCheck.Input h = hosts.get(i);
            JsonNode s = h.summary();
            ObjectNode o = ha.addObject();
            o.put("host", h.name());
            o.put("label", s.path("label").asText());
            o.put("hostname", s.at("/environment/hostname").asText());
            o.put("dir", h.dir().toAbsolutePath().normalize().toString());
            o.put("startedAt", s.path("startedAt").asText());
            if (plan.shifts != null) {
                o.put("clockShiftMillis", plan.shifts[i]); // added to this host's timestamps in the merge
            }
            o.set("load", s.at("/scenario/load").deepCopy());
            o.set("connections", s.path("connections").deepCopy());
            o.set("schedule", s.path("schedule").isObject() ? s.path("schedule").deepCopy() : MAPPER.nullNode());
            o.put("statesFile", Files.isRegularFile(h.dir().resolve(ResultsWriter.STATES_CSV)) ? statesFile(h.name()) : null);
            o.set("states", s.path("states").deepCopy());
            o.set("kernel", s.path("kernel").deepCopy());
            o.set("environment", s.path("environment").deepCopy());
            // Each host's stall, and the longest as the merge's: a stopped client's timeouts were summed into the
            // merge's failures with no word of why (review, 2026-12-06).
            o.set("stall", s.path("stall").isObject() ? s.path("stall").deepCopy() : MAPPER.nullNode());
            // The longest in a measured part first: one in a warm-up touched no figure, and hid a shorter one that did
            // (QA, 2026-12-06).
            JsonNode longest = root.path("stall");
            JsonNode mine = s.path("stall");
            boolean measured = mine.isObject() && !mine.path("inWarmup").asBoolean(false);
            boolean theirsMeasured = longest.isObject() && !longest.path("inWarmup").asBoolean(false);
            if (mine.isObject() && (!longest.isObject() || measured && !theirsMeasured
                    || measured == theirsMeasured && mine.path("seconds").asDouble() > longest.path("seconds").asDouble())) {
                ObjectNode st = s.path("stall").deepCopy();
                st.put("host", h.name());
                root.set("stall", st);
            }
        }
        if (!root.path("stall").isObject()) {
            root.putNull("stall");
        }
        return root;
    }

    /**
     * The load the server saw from all hosts together: open loops add their rates (and in-flight
     * caps), closed loops their concurrency; {@code clients} says how many. Loads of different
     * kinds (only with --force) are {@code "mixed"}.
     */
    static ObjectNode combinedLoad(List<MergeCheck.Input> hosts) {
        ObjectNode load = MAPPER.createObjectNode();
        List<JsonNode> loads = hosts.stream().map(h -> h.summary().at("/scenario/load")).toList();
        List<String> types = loads.stream().map(l -> l.path("type").asText()).distinct().toList();
        if (types.size() != 1) {
            load.put("type", "mixed");
        } else if (types.getFirst().equals("open")) {
            load.put("type", "open");
            load.put("rate", Micros.round3(loads.stream().mapToDouble(l -> l.path("rate").asDouble()).sum()));
            load.put("maxInFlight", loads.stream().mapToLong(l -> l.path("maxInFlight").asLong()).sum());
        } else {
            load.put("type", types.getFirst());
            load.put("concurrency", loads.stream().mapToLong(l -> l.path("concurrency").asLong()).sum());
        }
        load.put("clients", hosts.size());
        return load;
    }

    /** Host {@code i}'s measuredFrom moved by its clock shift, if any. */
    private static Instant measuredFrom(List<MergeCheck.Input> hosts, Plan plan, int i) {
        return Instant.parse(hosts.get(i).summary().path("measuredFrom").asText()).plusMillis(shift(plan.shifts, i));
    }

    /**
     * The failures of all hosts by class: counts added, and the first of each class the earliest on the reference
     * clock. A host's firstAtMs counts from its own measuredFrom, so each is moved to the merged one's before they are
     * compared: taken as they were, a host that started a second late reported its first failure at 68 ms of the merge,
     * before any had happened (review, 2026-12-07: 351 ms).
     */
    private static ObjectNode failures(List<MergeCheck.Input> hosts, Plan plan, Instant mergedFrom) {
        ObjectNode n = MAPPER.createObjectNode();
        for (int i = 0; i < hosts.size(); i++) {
            MergeCheck.Input h = hosts.get(i);
            long offset = measuredFrom(hosts, plan, i).toEpochMilli() - mergedFrom.toEpochMilli();
            for (Map.Entry<String, JsonNode> e : h.summary().path("failures").properties()) {
                ObjectNode o = n.has(e.getKey()) ? (ObjectNode) n.get(e.getKey()) : n.putObject(e.getKey());
                long count = o.path("count").asLong(0) + e.getValue().path("count").asLong();
                o.put("count", count);
                JsonNode at = e.getValue().path("firstAtMs");
                if (at.isNumber() && (!o.path("firstAtMs").isNumber() || at.asLong() + offset < o.path("firstAtMs").asLong())) {
                    o.put("firstAtMs", at.asLong() + offset);
                    o.put("firstMessage", e.getValue().path("firstMessage").asText());
                } else if (!o.has("firstAtMs")) {
                    o.putNull("firstAtMs");
                    o.putNull("firstMessage");
                }
            }
        }
        return n;
    }
}
