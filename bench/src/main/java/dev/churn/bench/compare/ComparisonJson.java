package dev.churn.bench.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.result.AtomicFile;
import dev.churn.bench.result.CommandArgs;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code comparison.json} of a comparison folder, schema {@value #SCHEMA}: what {@code churn
 * compare --format json} prints and {@code churn report} draws. Write it with {@link #write}, read
 * it back with {@link #read}. Metrics hold median, min, max and every repeat's value; latencies in µs.
 */
public final class ComparisonJson {

    /** The schema tag; readers check the prefix {@code churn.compare/}. */
    public static final String SCHEMA = "churn.compare/1";
    /** The file name. */
    public static final String FILE = "comparison.json";
    /** The rule behind {@code beyondNoise}, stated in the file. */
    public static final String NOISE_RULE = "beyondNoise: this row's repeats and the first row's do not overlap "
            + "(min..max ranges disjoint, at least " + Stats.MIN_REPEATS + " repeats each)";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ComparisonJson() {}

    /** The comparison as a JSON tree. */
    public static ObjectNode toJson(Comparison c) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("resultsDir", c.resultsDir().toString());
        root.put("repeat", c.repeat());
        root.put("order", c.order().label());
        ArrayNode base = root.putArray("baseArgs");
        // As summary.json's command: a --key-password given to compare for its runs is no part of the file.
        CommandArgs.recorded(c.baseArgs()).forEach(base::add);
        ArrayNode varied = root.putArray("varied");
        // From the configurations that did not run when none has a row (stopped before any run finished).
        if (!c.rows().isEmpty()) {
            c.rows().getFirst().config().keySet().forEach(varied::add);
        } else if (c.stopped() != null && !c.stopped().notRun().isEmpty()) {
            c.stopped().notRun().getFirst().keySet().forEach(varied::add);
        }
        root.put("noiseRule", NOISE_RULE);
        ArrayNode metricList = root.putArray("metrics");
        for (Metric m : Metric.values()) {
            metricList.addObject().put("key", m.key()).put("heading", m.heading()).put("latency", m.latency())
                    .put("better", m.better().label());
        }
        // Absent for a whole comparison; a reader that knows only whole ones still reads the rows there are.
        if (c.stopped() != null) {
            Comparison.Stopped st = c.stopped();
            ObjectNode o = root.putObject("stopped");
            o.put("reason", st.reason());
            o.put("runsDone", st.runsDone());
            o.put("runsPlanned", st.runsPlanned());
            ArrayNode notCounted = o.putArray("notCounted");
            st.notCounted().forEach(notCounted::add);
            ArrayNode notRun = o.putArray("notRun");
            st.notRun().forEach(cfg -> {
                ObjectNode n = notRun.addObject();
                cfg.forEach(n::put);
            });
            if (st.failure() != null) {
                o.put("failure", st.failureMessage());
            }
        }
        ArrayNode rows = root.putArray("rows");
        for (int i = 0; i < c.rows().size(); i++) {
            Comparison.Row r = c.rows().get(i);
            ObjectNode row = rows.addObject();
            ObjectNode config = row.putObject("config");
            r.config().forEach(config::put);
            ArrayNode runs = row.putArray("runs");
            r.runs().forEach(runs::add);
            ObjectNode metrics = row.putObject("metrics");
            for (Metric m : Metric.values()) {
                Stats s = r.metrics().get(m);
                if (s == null) {
                    continue; // not in every run of the row (runs by an older churn): absent, as in older files
                }
                ObjectNode o = metrics.putObject(m.key());
                o.put("median", written(m, s.median()));
                o.put("min", written(m, s.min()));
                o.put("max", written(m, s.max()));
                ArrayNode values = o.putArray("values");
                s.values().forEach(v -> values.add(written(m, v)));
                o.put("beyondNoise", c.differs(i, m));
                // Beyond the noise, which way: better or worse than the first row; null otherwise.
                if (c.differs(i, m)) {
                    o.put("change", m.better().improves(c.rows().getFirst().metrics().get(m).median(), s.median())
                            ? "better" : "worse");
                } else {
                    o.putNull("change");
                }
            }
        }
        return root;
    }

    /** The comparison as indented JSON text. */
    public static String toPrettyString(Comparison c) {
        try {
            return MAPPER.writeValueAsString(toJson(c));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialize", e);
        }
    }

    /**
     * Writes comparison.json into the comparison's folder, complete or not at all ({@link AtomicFile});
     * an existing one only with {@code replace}.
     */
    public static Path write(Comparison c, boolean replace) throws IOException {
        return AtomicFile.write(c.resultsDir().resolve(FILE), (toPrettyString(c) + "\n").getBytes(StandardCharsets.UTF_8), replace);
    }

    /** True when this folder holds a comparison.json. */
    public static boolean isComparison(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /** Reads a comparison folder's comparison.json; IllegalArgumentException naming the file if it is not one. */
    public static JsonNode read(Path dir) {
        Path file = Files.isDirectory(dir) ? dir.resolve(FILE) : dir;
        JsonNode n;
        try {
            n = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + SummaryJson.jsonError(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String schema = n == null ? "" : n.path("schema").asText("");
        if (!schema.startsWith("churn.compare/")) {
            throw new IllegalArgumentException(file + " is not a churn comparison (schema '" + schema + "', want " + SCHEMA + ")");
        }
        // Every comparison this churn writes has them, a stopped one's rows empty: without them there is nothing to read.
        for (String field : List.of("rows", "varied", "repeat")) {
            boolean ok = field.equals("repeat") ? n.path(field).isIntegralNumber() && n.path(field).asInt() >= 1
                    : n.path(field).isArray();
            if (!ok) {
                throw new IllegalArgumentException(file + ": field " + field + " is " + (n.has(field) ? n.get(field).toString()
                        : "missing") + ", not " + (field.equals("repeat") ? "a whole number of at least 1" : "an array")
                        + " (a damaged comparison)");
            }
        }
        return n;
    }

    /**
     * The comparison a comparison.json holds, as {@link #toJson} wrote it, so a folder's table can be
     * printed again later. A metric a file from an older churn lacks is left out of its rows; the
     * results folder is where the file is now, not where it was written. IllegalArgumentException
     * naming the file when a row or a metric is malformed.
     */
    public static Comparison fromJson(JsonNode n, Path dir) {
        try {
            List<String> baseArgs = new ArrayList<>();
            n.path("baseArgs").forEach(a -> baseArgs.add(a.asText()));
            List<Comparison.Row> rows = new ArrayList<>();
            for (JsonNode r : n.path("rows")) {
                Map<String, String> config = new LinkedHashMap<>();
                r.path("config").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
                List<String> runs = new ArrayList<>();
                r.path("runs").forEach(x -> runs.add(x.asText()));
                Map<Metric, Stats> metrics = new EnumMap<>(Metric.class);
                for (Metric m : Metric.values()) {
                    JsonNode o = r.path("metrics").path(m.key());
                    if (o.isObject()) {
                        List<Double> values = new ArrayList<>();
                        o.path("values").forEach(v -> values.add(v.asDouble()));
                        metrics.put(m, new Stats(need(o, "median"), need(o, "min"), need(o, "max"), values));
                    }
                }
                rows.add(new Comparison.Row(config, runs, metrics));
            }
            Comparison.Stopped stopped = null;
            JsonNode st = n.path("stopped");
            if (st.isObject()) {
                List<String> notCounted = new ArrayList<>();
                st.path("notCounted").forEach(x -> notCounted.add(x.asText()));
                List<Map<String, String>> notRun = new ArrayList<>();
                for (JsonNode cfg : st.path("notRun")) {
                    Map<String, String> c = new LinkedHashMap<>();
                    cfg.properties().forEach(e -> c.put(e.getKey(), e.getValue().asText()));
                    notRun.add(c);
                }
                // Only the message was kept: enough to say the comparison was stopped by a failure.
                Exception failure = st.hasNonNull("failure") ? new IOException(st.path("failure").asText()) : null;
                stopped = new Comparison.Stopped(st.path("reason").asText(), st.path("runsDone").asInt(),
                        st.path("runsPlanned").asInt(), notCounted, notRun, failure);
            }
            return new Comparison(dir, n.path("repeat").asInt(1), baseArgs, rows, stopped,
                    Comparison.Order.of(n.path("order").asText()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    private static double need(JsonNode o, String field) {
        if (!o.path(field).isNumber()) {
            throw new IllegalArgumentException("a metric without a numeric '" + field + "'");
        }
        return o.path(field).asDouble();
    }

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    /**
     * A value as the file keeps it: to a thousandth, or a per-connection share to six significant digits. Resets a
     * connection of 1/6,000 and 2/6,000 both read 0.000 to a thousandth, while beyondNoise, worked out on the exact
     * values, said worse: the table printed from the file showed 0.00 and 0.00 unmarked, and --fail-if-worse exited
     * 3 (review, 2026-12-07). What is written is what a reader can mark again.
     */
    static double written(Metric m, double v) {
        if (!m.perConnection() || v == 0 || !Double.isFinite(v)) {
            return round3(v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
    }
}
