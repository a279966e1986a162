package dev.churn.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.compare.ComparisonJson;
import dev.churn.bench.compare.Metric;
import dev.churn.bench.result.AtomicFile;
import dev.churn.bench.result.SummaryJson;
import dev.churn.bench.result.UnfinishedRun;
import dev.churn.monitor.KernelCounters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code report.html}, one self-contained page (Chart.js, the page script and the data are
 * inlined, so it opens offline) for run, merged-run and comparison folders: {@link #write}.
 * Per run: latency percentile curves per phase on a 1/(1-p) log axis, connection rate and
 * TIME_WAIT/CLOSE_WAIT on one time axis, kernel counter deltas and the environment; per comparison:
 * side-by-side bars of every metric per configuration and the configurations' cycle curves.
 */
public final class HtmlReport {

    /** The default file name. */
    public static final String FILE = "report.html";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String WEBJAR = "META-INF/resources/webjars/chart.js/";
    private static final String WEBJAR_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    /** What report.html marks for {@link #fill}: a comment of capitals, as in a script element's body. */
    private static final Pattern PLACEHOLDER = Pattern.compile("/\\*[A-Z_]+\\*/");

    private HtmlReport() {}

    /**
     * Writes the report of these folders to {@code out} (complete or not at all, see
     * {@link AtomicFile}; an existing file only with {@code replace}) and returns the number of
     * charts on the page and what the page says is missing. IllegalArgumentException (one line, naming the folder) for a missing
     * folder or one that holds neither summary.json nor comparison.json.
     */
    public static Written write(List<Path> dirs, Path out, boolean replace) throws IOException {
        return write(dirs, out, replace, Console.NONE);
    }

    /**
     * What the terminal said of a run when it ended, for its section of the page: {@code table}, the table as the
     * command printed it, and {@code findings}, its notes and warnings one string each (a rate still climbing, a busy
     * machine, TIME_WAIT ended early...), which a page of charts alone leaves out. Null: nothing to add.
     */
    @FunctionalInterface
    public interface Console {
        Console NONE = run -> null;

        /** The run folder's table and findings, or null. */
        Console.Text of(Path run) throws IOException;

        /** The table's text and its notes and warnings. */
        record Text(String table, List<String> findings) {}
    }

    /** As {@link #write(List, Path, boolean)}, each run's section also showing what {@code console} says of it. */
    public static Written write(List<Path> dirs, Path out, boolean replace, Console console) throws IOException {
        ObjectNode data = data(dirs, console);
        String html = render(data);
        AtomicFile.write(out, html.getBytes(StandardCharsets.UTF_8), replace);
        List<String> notes = new ArrayList<>();
        for (JsonNode run : data.path("runs")) {
            for (JsonNode m : run.path("missing")) {
                notes.add(run.path("dir").asText() + ": " + m.asText());
            }
        }
        for (JsonNode c : data.path("comparisons")) {
            for (JsonNode m : c.path("missing")) {
                notes.add(c.path("dir").asText() + ": " + m.asText());
            }
        }
        return new Written(data.path("expectedCharts").asInt(), List.copyOf(notes));
    }

    /** What {@link #write} drew: the charts on the page, and what it could not draw for want of a file, per folder. */
    public record Written(int charts, List<String> notes) {}

    /** Checks a folder the user named: it must exist and hold a run or a comparison. */
    public static void check(Path dir) {
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException(dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        if (!ComparisonJson.isComparison(dir) && !Files.isRegularFile(dir.resolve(SummaryJson.FILE))) {
            String unfinished = UnfinishedRun.describe(dir);
            throw new IllegalArgumentException(unfinished != null ? unfinished : dir + " holds no " + SummaryJson.FILE
                    + " or " + ComparisonJson.FILE + " (empty, or not a churn results folder)");
        }
    }

    /** The page's data: runs, comparisons, and how many charts the page will draw. */
    static ObjectNode data(List<Path> dirs) throws IOException {
        return data(dirs, Console.NONE);
    }

    static ObjectNode data(List<Path> dirs, Console console) throws IOException {
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("give at least one results folder");
        }
        dirs.forEach(HtmlReport::check);
        ObjectNode data = MAPPER.createObjectNode();
        data.put("generatedAt", Instant.now().toString());
        // summary.json's kernel object holds counter deltas and, by name, gauges' values after the run.
        ArrayNode gauges = data.putArray("kernelGauges");
        KernelCounters.GAUGES.stream().sorted().forEach(gauges::add);
        // The counters the run's table lists even at +0, in its order: the page dropped every 0, so 0 read as not
        // measured (QA, 2026-12-06).
        ArrayNode headline = data.putArray("kernelHeadline");
        KernelCounters.HEADLINE.forEach(headline::add);
        ArrayNode whenMoved = data.putArray("kernelWhenMoved");
        KernelCounters.HEADLINE_WHEN_MOVED.stream().sorted().forEach(whenMoved::add);
        ArrayNode runs = data.putArray("runs");
        ArrayNode comparisons = data.putArray("comparisons");
        for (Path dir : dirs) {
            if (ComparisonJson.isComparison(dir)) {
                comparisons.add(comparison(dir, runs));
            } else {
                ObjectNode run = RunData.of(dir);
                Console.Text said = console.of(dir);
                if (said != null) {
                    run.put("table", said.table());
                    ArrayNode findings = run.putArray("findings");
                    said.findings().forEach(findings::add);
                }
                runs.add(run);
            }
        }
        // Each run: percentiles, and rate/states over time, each where it has something to draw (report.js leaves an
        // empty one out); each comparison: one bar chart per metric it has and one chart of the configurations' cycle
        // curves.
        int charts = 0;
        for (JsonNode run : runs) {
            charts += (run.path("percentiles").isEmpty() ? 0 : 1)
                    + (run.path("rate").isEmpty() && run.path("states").isEmpty() ? 0 : 1);
        }
        for (JsonNode c : comparisons) {
            charts += c.path("metrics").size() + 1;
        }
        data.put("expectedCharts", charts);
        return data;
    }

    private static ObjectNode comparison(Path dir, ArrayNode runs) throws IOException {
        JsonNode c = ComparisonJson.read(dir);
        ObjectNode o = MAPPER.createObjectNode();
        o.put("dir", dir.toAbsolutePath().normalize().toString());
        o.put("repeat", c.path("repeat").asInt());
        o.put("order", c.path("order").asText("interleaved"));
        o.put("noiseRule", c.path("noiseRule").asText());
        o.set("baseArgs", c.path("baseArgs"));
        if (c.has("stopped")) {
            o.set("stopped", c.path("stopped"));
        }
        ArrayNode metrics = o.putArray("metrics");
        for (Metric m : Metric.values()) {
            if (m == Metric.RESETS) {
                // The raw RST count follows the rate (fewer connections, fewer RSTs, "better"): the terminal shows and
                // weighs resets/conn only, and the page coloured the count green or red (QA, 2026-12-06).
                continue;
            }
            // A column for each metric some row has; a row without it shows a dash, as the terminal's table does:
            // tls=off beside tls=1.3 has no tls p50, and runs by an older churn (compared with --runs) lack the newer
            // metrics. The column was left out when any row lacked it, so --vary tls=off,1.3 drew no TLS figure at all.
            boolean anyRow = false;
            for (JsonNode row : c.path("rows")) {
                anyRow |= row.path("metrics").has(m.key());
            }
            if (anyRow) {
                metrics.addObject().put("key", m.key()).put("heading", m.heading()).put("latency", m.latency())
                        .put("better", m.better().label()).put("digits", m.perConnection() ? 2 : 1)
                        // Tenths whatever the value, as the terminal's table prints them.
                        .put("tenths", m.latency() || m == Metric.CPU_PER_CONNECTION);
            }
        }
        ArrayNode rows = o.putArray("rows");
        ArrayNode missing = o.putArray("missing");
        for (JsonNode row : c.path("rows")) {
            ObjectNode r = rows.addObject();
            StringBuilder name = new StringBuilder();
            row.path("config").properties().forEach(e ->
                    name.append(name.isEmpty() ? "" : " ").append(e.getKey()).append('=').append(e.getValue().asText()));
            r.put("name", name.toString());
            r.set("config", row.path("config"));
            r.set("metrics", row.path("metrics"));
            // One run per configuration in detail (its first repeat); every repeat is in comparison.json.
            String first = row.path("runs").path(0).asText(null);
            if (first != null && Files.isRegularFile(dir.resolve(first).resolve(SummaryJson.FILE))) {
                ObjectNode run = RunData.of(dir.resolve(first));
                run.put("label", name + " (repeat 1)");
                runs.add(run);
                r.set("cycle", run.path("percentiles").path("cycle"));
            } else if (first != null) {
                // A run moved or deleted since (compare --runs points at runs outside its folder).
                missing.add("run folder " + first + " (" + name + ") is not there: that row's bars come from "
                        + "comparison.json, its cycle curve and run details are not drawn");
            }
        }
        return o;
    }

    /** The whole page for this data. */
    static String render(ObjectNode data) {
        String template = resource("dev/churn/bench/report/report.html");
        String script = resource("dev/churn/bench/report/report.js");
        String json;
        try {
            json = MAPPER.writeValueAsString(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // "</" inside a script element would end it early; "<\/" means the same to JavaScript. In the data every "<" is
        // written as \u003c, which JSON strings read alike: "<!--<script>" in an --http path put the page's parser in a
        // state that swallowed the scripts after it, and no chart was drawn (QA, 2026-12-06).
        return fill(template, Map.of(
                "/*CHART_JS*/", chartJs().replace("</", "<\\/"),
                "/*REPORT_DATA*/", json.replace("<", "\\u003c"),
                "/*REPORT_JS*/", script));
    }

    /**
     * The template with each placeholder replaced by its text, in one pass over the template alone: what goes in
     * is never searched again. Replaced one after the other, the script's placeholder written in an --http path (in
     * the data by then) was given the script too, and the page was blank while the command said it drew its charts
     * (QA, 2026-12-06).
     */
    static String fill(String template, Map<String, String> texts) {
        StringBuilder page = new StringBuilder(template.length()
                + texts.values().stream().mapToInt(String::length).sum());
        Set<String> filled = new HashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        while (m.find()) {
            String text = texts.get(m.group());
            if (text == null || !filled.add(m.group())) {
                throw new IllegalStateException("report.html has " + m.group() + (text == null ? ", which nothing fills"
                        : " twice") + " (a broken churn jar?)");
            }
            page.append(template, at, m.start()).append(text);
            at = m.end();
        }
        if (!filled.equals(texts.keySet())) {
            throw new IllegalStateException("report.html lacks a placeholder of " + texts.keySet()
                    + " (a broken churn jar?)");
        }
        return page.append(template, at, template.length()).toString();
    }

    /** Chart.js's UMD bundle from its WebJar on the class path. */
    static String chartJs() {
        Properties p = new Properties();
        try (InputStream in = resourceStream(WEBJAR_POM)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return resource(WEBJAR + p.getProperty("version") + "/dist/chart.umd.js");
    }

    private static String resource(String name) {
        try (InputStream in = resourceStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resourceStream(String name) {
        InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("the class path lacks " + name + " (a broken churn jar?)");
        }
        return in;
    }
}
