package dev.churn.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.control.SessionReport;
import dev.churn.bench.result.LatencyLog;
import dev.churn.bench.result.ResultCollector;
import dev.churn.bench.result.ResultsWriter;
import dev.churn.bench.result.StatesCsv;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A comparison of runs already made ({@code churn compare --runs}): yesterday's run against
 * today's, a run before a sysctl change against one after. Each group of run folders is one row,
 * its runs the repeats. A row is named by what sets it apart from the others, read from the runs'
 * summary.json: the run options that differ, and the build, host, kernel, JDK, sysctls or day when
 * those differ. Nothing here was interleaved ({@link Comparison.Order#SEPARATE}): the machine's
 * drift between the runs is part of any difference.
 *
 * <p>{@link #read} reads every folder (so a typo fails before anything is written), {@link
 * #comparison} then places the rows' runs relative to the comparison's own folder.
 */
public final class FinishedRuns {

    /** The row key added when nothing else tells two rows apart. */
    static final String RUN_KEY = "run";

    private final List<List<Path>> groups;
    private final List<List<JsonNode>> summaries;
    private final List<Map<String, String>> configs;

    private FinishedRuns(List<List<Path>> groups, List<List<JsonNode>> summaries, List<Map<String, String>> configs) {
        this.groups = groups;
        this.summaries = summaries;
        this.configs = configs;
    }

    /**
     * The comparison, with {@code resultsDir} the folder its comparison.json lives in: each row's
     * runs are given relative to it, so that {@code churn report} finds them from there.
     */
    public Comparison comparison(Path resultsDir) {
        Path base = resultsDir.toAbsolutePath().normalize();
        List<Comparison.Row> rows = new ArrayList<>();
        int fewest = Integer.MAX_VALUE;
        for (int i = 0; i < groups.size(); i++) {
            List<String> runs = groups.get(i).stream()
                    .map(d -> base.relativize(d.toAbsolutePath().normalize()).toString()).toList();
            rows.add(new Comparison.Row(configs.get(i), runs, CompareRunner.metrics(summaries.get(i))));
            fewest = Math.min(fewest, runs.size());
        }
        return new Comparison(resultsDir, fewest, List.of(), rows, null, Comparison.Order.SEPARATE);
    }

    /**
     * Reads these groups of run folders, one group a row, and names each row. IllegalArgumentException
     * naming the folder for one that is not a run (a comparison, a joined session, a folder with no
     * summary.json) or one given twice.
     */
    public static FinishedRuns read(List<List<Path>> groups) throws IOException {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("--runs: give at least one run folder");
        }
        List<List<JsonNode>> summaries = new ArrayList<>();
        List<Map<String, String>> descriptors = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (List<Path> group : groups) {
            List<JsonNode> s = new ArrayList<>();
            for (Path dir : group) {
                if (!seen.add(dir.toAbsolutePath().normalize())) {
                    throw new IllegalArgumentException("--runs: " + dir + " is given twice; each run counts once");
                }
                s.add(read(dir));
            }
            refuseMixedEnds(group, s);
            summaries.add(s);
            descriptors.add(groupDescriptor(s));
        }
        List<Map<String, String>> configs = distinguishing(descriptors);
        disambiguate(configs, groups, summaries);
        return new FinishedRuns(List.copyOf(groups), summaries, configs);
    }

    /**
     * The run folders one {@code --runs} item names: the folder itself when it is a run, or, for a
     * folder that only holds runs (made with {@code --out DIR/r1}, {@code DIR/r2}, ...), each of them
     * in name order. Anything else is returned as given, for {@link #read} to say what it is.
     */
    public static List<Path> expand(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || Files.isRegularFile(dir.resolve(SummaryJson.FILE))
                || ComparisonJson.isComparison(dir) || Files.isRegularFile(dir.resolve(SessionReport.FILE))) {
            return List.of(dir);
        }
        List<Path> runs;
        try (var children = Files.list(dir)) {
            runs = children.filter(c -> Files.isRegularFile(c.resolve(SummaryJson.FILE))).sorted().toList();
        }
        return runs.isEmpty() ? List.of(dir) : runs;
    }

    /** A run folder's summary, or one line saying what the folder is instead. */
    private static JsonNode read(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException("--runs: " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--runs: " + dir + " is a file: give the run's folder");
        }
        if (ComparisonJson.isComparison(dir) && !Files.isRegularFile(dir.resolve(SummaryJson.FILE))) {
            throw new IllegalArgumentException("--runs: " + dir + " is a comparison (comparison.json), not a run: give "
                    + "its run folders, or 'churn report --table " + dir + "' for its table");
        }
        if (Files.isRegularFile(dir.resolve(SessionReport.FILE)) && !Files.isRegularFile(dir.resolve(SummaryJson.FILE))) {
            throw new IllegalArgumentException("--runs: " + dir + " is a joined session: give its merged run, "
                    + dir.resolve("merged"));
        }
        JsonNode s;
        try {
            s = SummaryJson.read(dir);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--runs: " + e.getMessage(), e);
        }
        if (s.path("endedInWarmup").asBoolean(false)) {
            // Its counts are the warm-up's (SO_LINGER 0 closes: no TIME_WAIT, a reset each): shown as a row they
            // read as a configuration's figures (QA, 2026-12-06).
            throw new IllegalArgumentException("--runs: " + dir + " ended in its warm-up (" + s.path("endReason").asText()
                    + "): nothing of it was measured, so it has no figure to compare");
        }
        // The comparison reads the summary alone, but its report draws the runs' logs and states: a damaged one is
        // refused now, as merge and report refuse it (results/README.md, "Reading checks").
        try {
            LatencyLog.checkIfPresent(dir.resolve(ResultCollector.FILE), s);
            StatesCsv.checkIfPresent(dir.resolve(ResultsWriter.STATES_CSV));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--runs: " + e.getMessage(), e);
        }
        return s;
    }

    /**
     * What describes one run, as {@code key=value} pairs in a fixed order: its run options (named as
     * on the command line), then where and with what it ran, then the day. The built-in sink's port
     * is left out (each run gets its own); a {@code --target} is kept.
     */
    static Map<String, String> descriptor(JsonNode summary) {
        Map<String, String> d = new LinkedHashMap<>();
        JsonNode scenario = summary.path("scenario");
        boolean builtIn = scenario.path("builtInSink").asBoolean(false);
        scenario.properties().forEach(e -> {
            String key = e.getKey();
            if (key.equals("builtInSink") || (builtIn && key.equals("target"))) {
                return;
            }
            JsonNode v = e.getValue();
            if (key.equals("intervalMicros")) {
                // --interval as it is typed ("interval=100ms"), not a field name and a count of microseconds.
                d.put("interval", v.isNumber() ? interval(v.decimalValue()) : text(v));
            } else if (v.isObject()) {
                // load's concurrency and rate read as the options they came from, its type as "load"
                // (closed or open); tls's fields as --tls-*, its version as "tls".
                String prefix = key.equals("load") ? "" : optionName(key) + "-";
                // tls.sinkKey is --tls-key, as --vary names it: "tls-sink-key" named no option (QA, 2026-12-06).
                v.properties().forEach(f -> d.put(f.getKey().equals(key.equals("tls") ? "version" : "type") ? key
                        : prefix + (f.getKey().equals("sinkKey") ? "key" : optionName(f.getKey())), text(f.getValue())));
            } else {
                d.put(optionName(key), text(v));
            }
        });
        if (builtIn) {
            d.put("target", "built-in sink");
        }
        JsonNode env = summary.path("environment");
        JsonNode churn = env.path("churn");
        if (churn.isObject()) {
            d.put("commit", churn.path("commit").asText("unknown") + (churn.path("dirty").asBoolean(false) ? "+dirty" : ""));
        }
        d.put("host", text(env.path("hostname")));
        d.put("kernel", text(env.path("kernelRelease")));
        d.put("jdk", text(env.path("jdkVersion")));
        d.put("cpus", text(env.path("cpus")));
        env.path("sysctls").properties().forEach(e -> d.put(e.getKey(), text(e.getValue())));
        String started = summary.path("startedAt").asText("");
        d.put("date", started.length() >= 10 ? started.substring(0, 10) : "-");
        // A run cut short is not its options' run: a --duration 20s stopped after 4 s read as duration=20s.
        String end = summary.path("endReason").asText("");
        if (cutShort(summary)) {
            d.put("ended", String.format(Locale.ROOT, "%s after %.1fs",
                    end.equals("STOPPED") ? "stopped" : "max-failures", summary.path("durationSeconds").asDouble()));
        }
        return d;
    }

    /**
     * A group (a row's repeats) of runs that ran their course and runs cut short is refused: the cut-short run's rate
     * and peaks are of a shorter run, and in the row's medians they moved its figures (a 0.6 s stopped run at 23,019/s
     * beside a whole one at 14,404/s made a median of 18,711/s, its row named by the stopped run alone; QA,
     * 2026-12-06). --vary leaves such a run out of its medians; here the user chose the runs, so the line says which.
     */
    private static void refuseMixedEnds(List<Path> group, List<JsonNode> summaries) {
        List<Integer> cut = new ArrayList<>();
        for (int i = 0; i < summaries.size(); i++) {
            if (cutShort(summaries.get(i))) {
                cut.add(i);
            }
        }
        if (!cut.isEmpty() && cut.size() < summaries.size()) {
            JsonNode s = summaries.get(cut.getFirst());
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--runs: %s was cut short (%s after %.1fs) and"
                    + " the other runs of its group were not: its rate and peaks are of a shorter run, so it would move the"
                    + " row's medians; give it a --runs of its own, or leave it out", group.get(cut.getFirst()),
                    "STOPPED".equals(s.path("endReason").asText()) ? "stopped" : "max-failures",
                    s.path("durationSeconds").asDouble()));
        }
    }

    private static boolean cutShort(JsonNode summary) {
        String end = summary.path("endReason").asText("");
        return end.equals("STOPPED") || end.equals("TOO_MANY_FAILURES");
    }

    /** The group's descriptor: each key's value when its runs agree, their values joined by '|' when not. */
    private static Map<String, String> groupDescriptor(List<JsonNode> summaries) {
        List<Map<String, String>> each = summaries.stream().map(FinishedRuns::descriptor).toList();
        Set<String> keys = new LinkedHashSet<>();
        each.forEach(d -> keys.addAll(d.keySet()));
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (Map<String, String> d : each) {
            for (String k : keys) {
                // A run without the key reads '-' beside those with it: a row of three plain runs and one under TLS was
                // named "tls=1.3", as if all four were (QA, 2026-12-07). Not for a field older runs lack: unknown there.
                String v = d.get(k);
                if (v != null || !RECORDED_SINCE_2026_12_06.contains(k)) {
                    values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v == null ? "-" : v);
                }
            }
        }
        Map<String, String> d = new LinkedHashMap<>();
        values.forEach((k, v) -> d.put(k, String.join("|", v)));
        return d;
    }

    /**
     * Each row's pairs for the keys on which the rows do not all agree (a key a row lacks reads '-'), and for the keys on
     * which one row's own runs disagree (its value 'a|b'): a folder of runs with --linger off and --linger 0 given as one
     * row was named "(base)", its medians mixing the two, and beside a second such row both were "run=r1" (QA,
     * 2026-12-06).
     */
    private static List<Map<String, String>> distinguishing(List<Map<String, String>> descriptors) {
        Set<String> keys = new LinkedHashSet<>();
        descriptors.forEach(d -> keys.addAll(d.keySet()));
        List<Map<String, String>> configs = new ArrayList<>();
        descriptors.forEach(d -> configs.add(new LinkedHashMap<>()));
        for (String k : keys) {
            if (RECORDED_SINCE_2026_12_06.contains(k) && descriptors.stream().anyMatch(d -> !d.containsKey(k))) {
                continue; // a run older than the field: what it asked is unknown, and "interval=-" named every such row
            }
            Set<String> distinct = new HashSet<>();
            descriptors.forEach(d -> distinct.add(d.getOrDefault(k, "-")));
            boolean mixedWithin = descriptors.stream().anyMatch(d -> d.getOrDefault(k, "").contains("|"));
            if (distinct.size() > 1 || mixedWithin) {
                for (int i = 0; i < descriptors.size(); i++) {
                    configs.get(i).put(k, descriptors.get(i).getOrDefault(k, "-"));
                }
            }
        }
        return configs;
    }

    /**
     * Keys summaries hold only since 2026-12-06: a row of older runs lacks them, which says nothing of what it asked, so
     * such a key names rows only when every row has it (a missing key elsewhere is a difference: no tls is no TLS).
     */
    private static final Set<String> RECORDED_SINCE_2026_12_06 = Set.of("interval", "source");

    /**
     * Rows that nothing above tells apart (the same options on the same day) are named by their
     * labels when those differ, else by their first run's folder name.
     */
    private static void disambiguate(List<Map<String, String>> configs, List<List<Path>> groups, List<List<JsonNode>> summaries) {
        if (configs.size() == new HashSet<>(configs).size()) {
            return;
        }
        List<String> labels = summaries.stream()
                .map(s -> String.join("|", s.stream().map(x -> x.path("label").asText("-")).distinct().toList())).toList();
        boolean byLabel = new HashSet<>(labels).size() == labels.size();
        List<String> folders = folderNames(groups);
        for (int i = 0; i < configs.size(); i++) {
            configs.get(i).put(byLabel ? "label" : RUN_KEY, byLabel ? labels.get(i) : folders.get(i));
        }
    }

    /**
     * Each group's {@link #folder} by as many of its last path elements as tell the groups apart: before/r1 and
     * after/r1, the usual baseline and candidate layout, were both "run=r1", and only the rows' order said which was
     * which (QA, 2026-12-06).
     */
    static List<String> folderNames(List<List<Path>> groups) {
        List<Path> folders = groups.stream().map(FinishedRuns::folder).toList();
        int deepest = folders.stream().mapToInt(Path::getNameCount).max().orElse(1);
        List<String> names = List.of();
        for (int depth = 1; depth <= Math.max(1, deepest); depth++) {
            int d = depth;
            names = folders.stream().map(f -> {
                int n = f.getNameCount();
                return n == 0 ? f.toString() : f.subpath(Math.max(0, n - d), n).toString();
            }).toList();
            if (new HashSet<>(names).size() == names.size()) {
                return names;
            }
        }
        // Groups from one folder (--runs results/a1,results/a2 --runs results/b1,results/b2) share their parent: both rows
        // were "run=results" (QA, 2026-12-06). They are named by their runs' own folders instead.
        List<String> byRuns = groups.stream().map(FinishedRuns::runNames).toList();
        return new HashSet<>(byRuns).size() == byRuns.size() ? byRuns : names;
    }

    /** "a1+a2+a3", or "a1+...+a9" for more than three runs: a group by its runs' folder names. */
    private static String runNames(List<Path> group) {
        List<String> names = group.stream().map(p -> p.toAbsolutePath().normalize().getFileName())
                .map(f -> f == null ? "/" : f.toString()).toList();
        return names.size() <= 3 ? String.join("+", names) : names.getFirst() + "+...+" + names.getLast();
    }

    /**
     * A group's name by its folders: the folder that holds them all when there are several (what --runs was given: each
     * group of a parent's r1, r2, ... was named "r1"), else the run's own.
     */
    private static Path folder(List<Path> group) {
        Path first = group.getFirst().toAbsolutePath().normalize();
        Path parent = first.getParent();
        boolean shared = group.size() > 1 && parent != null && parent.getFileName() != null
                && group.stream().allMatch(p -> parent.equals(p.toAbsolutePath().normalize().getParent()));
        return shared ? parent : first;
    }

    /** Microseconds as a duration a user types: "100ms", "2s", "250us". */
    static String interval(BigDecimal micros) {
        BigDecimal[] units = {BigDecimal.valueOf(1_000_000), BigDecimal.valueOf(1_000), BigDecimal.ONE};
        String[] names = {"s", "ms", "us"};
        for (int i = 0; i < units.length; i++) {
            BigDecimal[] qr = micros.divideAndRemainder(units[i]);
            if (qr[1].signum() == 0 && qr[0].signum() > 0) {
                return qr[0].toBigInteger() + names[i];
            }
        }
        return micros.stripTrailingZeros().toPlainString() + "us";
    }

    /** "reuseAddr" as its option, "reuse-addr"; "requestBytes" as "request". */
    static String optionName(String field) {
        if (field.equals("rcvBuf") || field.equals("sndBuf")) {
            return field.toLowerCase(Locale.ROOT);
        }
        String f = field.endsWith("Bytes") ? field.substring(0, field.length() - "Bytes".length()) : field;
        return f.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "-";
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(x -> items.add(x.asText()));
            return items.isEmpty() ? "-" : String.join(",", items);
        }
        // A whole number as typed: --rate 300 read "rate=300.0" here, and "rate=300" in compare --vary's rows.
        if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < 1e15) {
            return Long.toString(v.longValue());
        }
        return v.asText();
    }
}
