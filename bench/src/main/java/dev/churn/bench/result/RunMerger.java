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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Merges runs made at the same time from several client machines against one server into one
 * results folder: {@link #merge}. Latency histograms add exactly (per phase, per second of wall
 * clock since the earliest host's start), rates and counts add (the hosts ran concurrently),
 * TCP state series stay per host ({@code states-<host>.csv}) and so do kernel counters and
 * environments (the {@code hosts} array of the merged summary.json).
 */
public final class RunMerger {

    /** The label of a merged run unless the caller names one. */
    public static final String DEFAULT_LABEL = "merged";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final double MAX_VALUE_UNIT_RATIO = 1_000_000.0;

    /** One input run: the host name it is known by in the merge, its folder, its summary. */
    private record Host(String name, Path dir, JsonNode summary) {}

    private RunMerger() {}

    /** The states file of one host in a merged folder. */
    public static String statesFile(String host) {
        return "states-" + host + ".csv";
    }

    /**
     * Merges these run folders (two or more) into {@code out}; returns the merged summary.
     * IllegalArgumentException (one line, naming the folder) when an input is not a complete run.
     */
    public static JsonNode merge(List<Path> runDirs, ResultsDirectory out, String label) throws IOException {
        ResultsDirectory.checkLabel(label);
        if (runDirs.size() < 2) {
            throw new IllegalArgumentException("merge: give at least two run folders (one per client host), got " + runDirs.size());
        }
        List<Host> hosts = hosts(runDirs);
        long start = hosts.stream().mapToLong(h -> Instant.parse(h.summary().path("startedAt").asText()).toEpochMilli())
                .min().orElseThrow();
        Map<String, TreeMap<Long, Histogram>> perSecond = new LinkedHashMap<>();
        Map<String, Histogram> totals = new LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            perSecond.put(p.label(), new TreeMap<>());
        }
        for (Host h : hosts) {
            readLog(h, start, perSecond, totals);
        }
        writeLog(out, label, hosts, start, perSecond);
        for (Phase p : Phase.values()) {
            Histogram t = totals.get(p.label());
            if (t != null && t.getTotalCount() > 0) {
                out.writeStream(ResultsWriter.hgrmName(p), o -> {
                    PrintStream ps = new PrintStream(o, false, StandardCharsets.UTF_8);
                    t.outputPercentileDistribution(ps, ResultsWriter.HGRM_UNIT_RATIO);
                    ps.flush();
                });
            }
        }
        for (Host h : hosts) {
            Path states = h.dir().resolve(ResultsWriter.STATES_CSV);
            if (Files.isRegularFile(states)) {
                out.writeStream(statesFile(h.name()), o -> Files.copy(states, o));
            }
        }
        ObjectNode summary = summary(label, hosts, start, totals);
        out.write(SummaryJson.FILE, w -> {
            w.write(MAPPER.writeValueAsString(summary));
            w.write('\n');
        });
        return summary;
    }

    private static List<Host> hosts(List<Path> runDirs) throws IOException {
        List<Host> hosts = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path d : runDirs) {
            JsonNode s = SummaryJson.read(d);
            if (s.path("hosts").isArray()) {
                throw new IllegalArgumentException(d + " is already a merged run; merge the hosts' own folders");
            }
            if (!Files.isRegularFile(d.resolve(ResultCollector.FILE))) {
                throw new IllegalArgumentException(d + " has no " + ResultCollector.FILE + " to merge");
            }
            String base = s.path("label").asText("host");
            String name = base;
            for (int n = 2; !names.add(name); n++) {
                name = base + "-" + n;
            }
            hosts.add(new Host(name, d, s));
        }
        return hosts;
    }

    private static void readLog(Host h, long start, Map<String, TreeMap<Long, Histogram>> perSecond,
            Map<String, Histogram> totals) throws IOException {
        HistogramLogReader reader = new HistogramLogReader(h.dir().resolve(ResultCollector.FILE).toFile());
        EncodableHistogram e;
        while ((e = reader.nextIntervalHistogram()) != null) {
            if (!(e instanceof Histogram hist) || e.getTag() == null || !perSecond.containsKey(e.getTag())) {
                continue;
            }
            // Timestamps are absolute (the log's BaseTime is its start): bucket by wall-clock second.
            long second = Math.floorDiv(e.getStartTimeStamp() - start, 1000);
            perSecond.get(e.getTag()).computeIfAbsent(Math.max(0, second), s -> new Histogram(hist.getNumberOfSignificantValueDigits()))
                    .add(hist);
            totals.computeIfAbsent(e.getTag(), t -> new Histogram(hist.getNumberOfSignificantValueDigits())).add(hist);
        }
    }

    private static void writeLog(ResultsDirectory out, String label, List<Host> hosts, long start,
            Map<String, TreeMap<Long, Histogram>> perSecond) throws IOException {
        out.writeStream(ResultCollector.FILE, o -> {
            PrintStream ps = new PrintStream(o, false, StandardCharsets.UTF_8);
            HistogramLogWriter log = new HistogramLogWriter(ps);
            log.outputComment("churn merge " + label + ": " + hosts.size() + " hosts ("
                    + String.join(", ", hosts.stream().map(Host::name).toList()) + "), histograms added per second");
            log.outputComment("values in nanoseconds; tags are phases; MaxValue column in milliseconds; "
                    + "timestamps in seconds since StartTime");
            log.outputLogFormatVersion();
            log.outputStartTime(start);
            log.outputBaseTime(start);
            log.outputLegend();
            long last = perSecond.values().stream().filter(m -> !m.isEmpty()).mapToLong(TreeMap::lastKey).max().orElse(-1);
            for (long s = 0; s <= last; s++) {
                for (Map.Entry<String, TreeMap<Long, Histogram>> e : perSecond.entrySet()) {
                    Histogram h = e.getValue().get(s);
                    if (h != null && h.getTotalCount() > 0) {
                        h.setTag(e.getKey());
                        log.outputIntervalHistogram(s, s + 1, h, MAX_VALUE_UNIT_RATIO);
                    }
                }
            }
            ps.flush();
        });
    }

    private static ObjectNode summary(String label, List<Host> hosts, long start, Map<String, Histogram> totals) {
        JsonNode first = hosts.getFirst().summary();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SummaryJson.SCHEMA);
        root.put("label", label);
        root.put("merged", true);
        root.put("startedAt", Instant.ofEpochMilli(start).toString());
        root.put("measuredFrom", hosts.stream().map(h -> h.summary().path("measuredFrom").asText())
                .min(String::compareTo).orElseThrow());
        root.set("scenario", first.path("scenario").deepCopy());
        ObjectNode conn = root.putObject("connections");
        for (String k : List.of("attempted", "completed", "failed")) {
            conn.put(k, hosts.stream().mapToLong(h -> h.summary().at("/connections/" + k).asLong()).sum());
        }
        // The hosts ran at the same time against one server: their rates add.
        conn.put("perSecond", Micros.round3(hosts.stream().mapToDouble(h -> h.summary().at("/connections/perSecond").asDouble()).sum()));
        root.put("durationSeconds", hosts.stream().mapToDouble(h -> h.summary().path("durationSeconds").asDouble()).max().orElse(0));
        List<String> reasons = hosts.stream().map(h -> h.summary().path("endReason").asText()).distinct().toList();
        root.put("endReason", reasons.size() == 1 ? reasons.getFirst() : String.join("+", reasons));
        ObjectNode phases = root.putObject("phases");
        for (Phase p : Phase.values()) {
            Histogram h = totals.get(p.label());
            if (h == null || h.getTotalCount() == 0) {
                continue;
            }
            phases.set(p.label(), SummaryJson.phase(h));
        }
        root.set("failures", failures(hosts));
        // States and kernel counters belong to a machine: see hosts[].
        root.putNull("states");
        root.putObject("kernel");
        root.set("environment", first.path("environment").deepCopy());
        ArrayNode ha = root.putArray("hosts");
        for (Host h : hosts) {
            JsonNode s = h.summary();
            ObjectNode o = ha.addObject();
            o.put("host", h.name());
            o.put("label", s.path("label").asText());
            o.put("hostname", s.at("/environment/hostname").asText());
            o.put("dir", h.dir().toAbsolutePath().normalize().toString());
            o.put("startedAt", s.path("startedAt").asText());
            o.set("connections", s.path("connections").deepCopy());
            o.put("statesFile", Files.isRegularFile(h.dir().resolve(ResultsWriter.STATES_CSV)) ? statesFile(h.name()) : null);
            o.set("states", s.path("states").deepCopy());
            o.set("kernel", s.path("kernel").deepCopy());
            o.set("environment", s.path("environment").deepCopy());
        }
        return root;
    }

    private static ObjectNode failures(List<Host> hosts) {
        ObjectNode n = MAPPER.createObjectNode();
        for (Host h : hosts) {
            for (Map.Entry<String, JsonNode> e : h.summary().path("failures").properties()) {
                ObjectNode o = n.has(e.getKey()) ? (ObjectNode) n.get(e.getKey()) : n.putObject(e.getKey());
                long count = o.path("count").asLong(0) + e.getValue().path("count").asLong();
                o.put("count", count);
                JsonNode at = e.getValue().path("firstAtMs");
                if (at.isNumber() && (!o.path("firstAtMs").isNumber() || at.asLong() < o.path("firstAtMs").asLong())) {
                    o.put("firstAtMs", at.asLong());
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
