package dev.churn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.churn.bench.compare.Comparison;
import dev.churn.bench.compare.Metric;
import dev.churn.bench.compare.Stats;
import dev.churn.bench.compare.Variation;
import dev.churn.bench.http.Printable;
import dev.churn.bench.report.WordWrap;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A comparison as {@code churn compare} prints it, and {@code churn report --table} again from its comparison.json:
 * the table of medians with their marks, then the notes that qualify it (the noise, marks outside the table, a cold
 * JVM, a stop, the runs' folders, a generator behind, TIME_WAIT inherited, the sink's way of serving).
 */
final class ComparisonTable {

    private ComparisonTable() {
    }

    /** The metrics every table shows; missed, tls p50 and 1st byte p50 join them where a row has them. */
    static final List<Metric> TABLE_METRICS = List.of(Metric.RATE, Metric.CONNECT_P50, Metric.CONNECT_P99,
            Metric.CONNECT_P999, Metric.CLOSE_P99, Metric.TIME_WAIT_PEAK, Metric.CLOSE_WAIT_PEAK, Metric.FAILURES,
            Metric.RESETS_PER_CONNECTION, Metric.CPU_PER_CONNECTION);

    /**
     * Marks beyond the noise in metrics the table has no column for (cycle p99), which comparison.json holds: a "worse"
     * was there alone, where nobody reading the table saw it (QA, 2026-12-06).
     */
    static String alsoBeyondNoise(Comparison c, List<Metric> shown) {
        List<String> marks = new ArrayList<>();
        for (int i = 1; i < c.rows().size(); i++) {
            for (Metric m : WorseGate.GATED) {
                if (!shown.contains(m) && c.differs(i, m)) {
                    boolean better = m.better().improves(c.rows().getFirst().metrics().get(m).median(),
                            c.rows().get(i).metrics().get(m).median());
                    marks.add(m.heading() + " " + (better ? "+" : "-") + " in " + Variation.describe(c.rows().get(i).config()));
                }
            }
        }
        if (marks.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        String head = "also beyond the noise, in comparison.json only: ";
        for (String l : WordWrap.lines(String.join(", ", marks), 100 - head.length())) {
            b.append(head).append(l).append('\n');
            head = " ".repeat(head.length());
        }
        return b.toString();
    }

    /**
     * A per-connection share: to two decimals, or, under 0.01, to two significant digits, so that 1 reset in 6,000
     * connections is not shown as 0.00 beside a row marked for 2 in 6,000 (review, 2026-12-07).
     */
    static String share(double v) {
        if (v == 0 || Math.abs(v) >= 0.01 || !Double.isFinite(v)) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
    }

    /**
     * What the '+' and '-' marks mean here, with the chance that one appears where nothing changed; or, with too few
     * runs a row, why there are none. Nothing with a single row. Each row is held against the first, so the chance is
     * that of the pair of row sizes, the likeliest one said; a row of fewer than 3 runs is not marked, and said so
     * (review, 2026-12-07: a --runs table with rows of 3, 3 and 2 runs had marks above "no + or - marks", and one of
     * 5 and 3 runs said "1 time in 10", where it is 1 in 28).
     */
    static String noiseLine(Comparison c) {
        if (c.rows().size() < 2) {
            return "";
        }
        int first = c.rows().getFirst().runs().size();
        List<Integer> marked = c.rows().stream().skip(1).map(r -> r.runs().size()).filter(n -> n >= Stats.MIN_REPEATS)
                .toList();
        if (first < Stats.MIN_REPEATS || marked.isEmpty()) {
            return "no + or - marks: telling a difference from the noise takes " + Stats.MIN_REPEATS + " runs a row or more"
                    + (c.order() == Comparison.Order.SEPARATE ? "" : " (--repeat " + Stats.MIN_REPEATS + ")") + "\n";
        }
        int likeliest = marked.stream().max(java.util.Comparator.comparingDouble(n -> Stats.chance(first, n))).orElseThrow();
        String runs = marked.stream().allMatch(n -> n == first) ? String.format(Locale.ROOT, "with %d runs a row", first)
                : String.format(Locale.ROOT, "with %d runs in the first row and %d in another", first, likeliest);
        long unmarked = c.rows().size() - 1 - marked.size();
        return String.format(Locale.ROOT, "+ better, - worse than the first row beyond the noise: the runs' min..max ranges do "
                + "not overlap,%n  which %s happens by chance 1 time in %.0f where nothing changed%n", runs,
                1 / Stats.chance(first, likeliest))
                + (unmarked == 0 ? "" : String.format(Locale.ROOT, "  (%s of fewer than %d runs %s not marked)%n",
                        unmarked == 1 ? "a row" : unmarked + " rows", Stats.MIN_REPEATS, unmarked == 1 ? "is" : "are"));
    }

    /**
     * The runs of an interleaved comparison share one JVM: without a warm-up its first runs also pay for compiling
     * churn's code, which later runs find done (measured 2026-12-05, --warmup 0s: the first repeat 6,664/s, the
     * second 15,422/s). Said when the first run had no warm-up; nothing for --runs, whose runs were made apart.
     */
    static String coldNote(Comparison c) {
        if (c.order() == Comparison.Order.SEPARATE || c.rows().isEmpty() || c.rows().getFirst().runs().isEmpty()) {
            return "";
        }
        Path first = c.resultsDir().resolve(c.rows().getFirst().runs().getFirst());
        try {
            if (!"0s".equals(SummaryJson.read(first).at("/scenario/warmup").asText())) {
                return "";
            }
        } catch (IOException | RuntimeException e) {
            return ""; // a folder moved or damaged since: nothing to say about it
        }
        return "no warm-up: the runs share one JVM, so the first ones also paid for compiling churn's code and\n"
                + "  later ones did not; --warmup, or more --repeat, keeps that out of the medians\n";
    }

    /** The longest row name the table prints in its rows; longer ones are numbered and named below it. */
    static final int ROW_NAME_COLUMNS = 40;

    /** The widest a comparison table's line gets before its columns go on in a block below. */
    static final int TABLE_COLUMNS = 100;

    /** One column of the table: its heading and a cell per row, right-aligned to the widest. */
    private record Column(String heading, List<String> cells) {
        int width() {
            return Math.max(heading.length(), cells.stream().mapToInt(String::length).max().orElse(0));
        }

        String pad(String text) {
            return " ".repeat(width() - text.length()) + text;
        }
    }

    /**
     * The comparison as a table: medians, the rate's spread, each heading's arrow saying which
     * direction is better, and '+' (better) or '-' (worse) where a value differs from the first
     * row beyond the noise.
     */
    static String render(Comparison c) {
        StringBuilder b = new StringBuilder();
        // Escaped before the widths are taken: a summary's values are anyone's (see the end)
        List<String> described = c.rows().stream().map(r -> Printable.escape(Variation.describe(r.config()))).toList();
        // Rows of --runs are named by whatever sets them apart, and runs that differ in many ways made names of 180
        // columns, every line of the table wider still: past ROW_NAME_COLUMNS the rows are numbered, named below.
        boolean numbered = described.stream().anyMatch(n -> n.length() > ROW_NAME_COLUMNS);
        List<String> names = numbered ? IntStream.rangeClosed(1, described.size()).mapToObj(i -> "#" + i).toList()
                : described;
        int width = Math.max(13, names.stream().mapToInt(String::length).max().orElse(0));
        List<Metric> metrics = new ArrayList<>(TABLE_METRICS);
        // Open loops: a row that missed starts made less than --rate asked, and its rate says so only beside this. The
        // TLS handshake and the first byte where a row has them ("- " in a row that has not).
        for (Metric m : List.of(Metric.MISSED, Metric.TLS_P50, Metric.FIRST_BYTE_P50)) {
            if (c.rows().stream().anyMatch(r -> r.metrics().get(m) != null)) {
                metrics.add(m);
            }
        }
        List<Column> cols = new ArrayList<>();
        for (Metric m : metrics) {
            List<String> cells = new ArrayList<>();
            List<String> spreads = new ArrayList<>();
            for (int i = 0; i < c.rows().size(); i++) {
                Stats stats = c.rows().get(i).metrics().get(m);
                if (stats == null) {
                    // Not measured by the churn that wrote this comparison.json.
                    cells.add("- ");
                    spreads.add("-");
                    continue;
                }
                double v = stats.median();
                // A median of an even number of runs may fall between two counts (1.5), and CPU per connection has tenths:
                // shown as the report shows them, not rounded (2 and 118 in the table, 1.5 and 117.5 in the report).
                // CPU per connection always: rows said "90" beside "96.7" (QA, 2026-12-06).
                boolean tenths = m.latency() || m == Metric.CPU_PER_CONNECTION || (m != Metric.RATE && v != Math.rint(v));
                String cell = m.perConnection() ? share(v)
                        : String.format(Locale.ROOT, tenths ? "%,.1f" : "%,.0f", v);
                String mark = " ";
                if (c.differs(i, m)) {
                    mark = m.better().improves(c.rows().getFirst().metrics().get(m).median(), v) ? "+" : "-";
                }
                cells.add(cell + mark);
                // One run has no spread to show: "0.0%" would claim a noiseless rate.
                spreads.add(stats.values().size() < 2 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * stats.relativeSpread()));
            }
            cols.add(new Column(m.heading() + " " + m.better().arrow(), cells));
            if (m == Metric.RATE) {
                cols.add(new Column("spread", spreads));
            }
        }
        // Each column as wide as its heading or widest cell; past TABLE_COLUMNS the columns go on in a
        // second block under the first (the configuration named again), so a terminal never wraps a row.
        List<List<Column>> blocks = new ArrayList<>();
        List<Column> block = new ArrayList<>();
        int used = width;
        for (Column col : cols) {
            if (!block.isEmpty() && used + 2 + col.width() > TABLE_COLUMNS) {
                blocks.add(block);
                block = new ArrayList<>();
                used = width;
            }
            block.add(col);
            used += 2 + col.width();
        }
        blocks.add(block);
        for (int k = 0; k < blocks.size(); k++) {
            if (k > 0) {
                b.append('\n');
            }
            b.append(String.format(Locale.ROOT, "%-" + width + "s", "configuration"));
            for (Column col : blocks.get(k)) {
                b.append("  ").append(col.pad(col.heading()));
            }
            b.append('\n');
            for (int i = 0; i < names.size(); i++) {
                b.append(String.format(Locale.ROOT, "%-" + width + "s", names.get(i)));
                for (Column col : blocks.get(k)) {
                    b.append("  ").append(col.pad(col.cells().get(i)));
                }
                b.append('\n');
            }
        }
        b.append('\n');
        if (numbered) {
            String head = "rows        ";
            for (int i = 0; i < described.size(); i++) {
                String label = "#" + (i + 1) + " ";
                for (String l : WordWrap.lines(described.get(i), 86 - label.length())) {
                    b.append(head).append(label).append(l).append('\n');
                    head = "            ";
                    label = " ".repeat(label.length());
                }
            }
        }
        if (c.order() == Comparison.Order.SEPARATE) {
            b.append("medians of each row's runs, made separately and compared afterwards (not interleaved: the machine's\n"
                    + "  drift between them is in the difference); latencies in µs; spread = (max-min)/median of the rate;\n"
                    + "  ↑ higher is better, ↓ lower is better\n");
        } else {
            int fewest = c.rows().stream().mapToInt(r -> r.runs().size()).min().orElse(0);
            String runs = fewest == c.repeat() ? c.repeat() + (c.repeat() == 1 ? " run each" : " runs each")
                    : "the runs that finished (" + c.repeat() + " planned each)";
            // Two lines of at most 100 columns, the longer "runs" included.
            b.append(String.format(Locale.ROOT, "medians of %s, interleaved; latencies in µs;%n  spread = (max-min)/median"
                    + " of the rate; ↑ higher is better, ↓ lower is better%n", runs));
        }
        b.append("resets/conn: RSTs sent (the kernel's OutRsts delta, whole network namespace) per connection\n"
                + "  attempted: 1 where every client close aborts; where none does, the kernel's answers to segments\n"
                + "  that found no socket (docs/tcp.md: each can end a TIME_WAIT early)\n");
        // Under --target there is no built-in sink in that CPU (QA, 2026-12-06): said as the runs' own table says it.
        boolean sink = c.rows().stream().flatMap(r -> r.runs().stream()).findFirst()
                .map(run -> summary(c.resultsDir().resolve(run)).at("/scenario/builtInSink").asBoolean(true)).orElse(true);
        b.append(String.format(Locale.ROOT, "cpu µs/conn: churn's own CPU (client, %sJVM) over the measured part, per%n"
                + "  connection completed%n", sink ? "built-in sink, " : ""));
        b.append(noiseLine(c));
        b.append(alsoBeyondNoise(c, metrics));
        b.append(coldNote(c));
        Comparison.Stopped st = c.stopped();
        if (st != null) {
            b.append(String.format(Locale.ROOT, "stopped     %s after %d of %d runs%n",
                    st.failure() == null ? "by Ctrl-C or SIGTERM" : "by a failed run", st.runsDone(), st.runsPlanned()));
            for (String f : st.notCounted()) {
                b.append("            ").append(f).append(st.failure() == null
                        ? ": cut short, not in the medians (its folder has what it measured)\n" : ": failed, not in the medians\n");
            }
            for (Map<String, String> cfg : st.notRun()) {
                b.append("            ").append(Variation.describe(cfg)).append(": no run finished, no row\n");
            }
        }
        if (c.order() == Comparison.Order.SEPARATE) {
            String head = "runs        ";
            for (int i = 0; i < c.rows().size(); i++) {
                Comparison.Row r = c.rows().get(i);
                List<String> where = r.runs().stream().map(x -> c.resultsDir().resolve(x).normalize().toString()).toList();
                for (String l : WordWrap.lines(names.get(i) + ": " + String.join(", ", where), 86)) {
                    b.append(head).append(l).append('\n');
                    head = "            ";
                }
            }
        }
        b.append(behindLines(c));
        b.append(inheritedLines(c));
        b.append(sinkLines(c));
        b.append("results     ").append(c.resultsDir()).append('\n');
        // Runs of --runs are anyone's files: their values (a transport, a kernel's sysctls) reached the terminal raw
        // through the rows' legend (QA, 2026-12-06)
        return Printable.escapeLines(b.toString());
    }

    /**
     * The built-in sink serves a shape the way that was measured faster for it (ChurnEngine.blockingSink):
     * rows named by what was varied (say transport=raw,blocking with a request and a response) may have
     * been served differently, and then their difference holds the sink's too. Said only then. Rows of
     * --runs are named by whatever sets them apart, the sink's way of serving included.
     */
    static String sinkLines(Comparison c) {
        if (c.order() == Comparison.Order.SEPARATE) {
            return "";
        }
        Map<String, List<String>> byWay = new LinkedHashMap<>();
        for (Comparison.Row r : c.rows()) {
            String way = r.runs().isEmpty() ? "" : sinkServing(c.resultsDir().resolve(r.runs().get(0)));
            // TLS rows are served by the TLS sink because they ask for TLS: nothing hidden to say there.
            if (!way.isEmpty() && !way.equals("tls")) {
                byWay.computeIfAbsent(way, k -> new ArrayList<>()).add(Variation.describe(r.config()));
            }
        }
        if (byWay.size() < 2) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        String head = "sink        ";
        for (Map.Entry<String, List<String>> e : byWay.entrySet()) {
            String text = switch (e.getKey()) {
                case "blocking" -> "served in blocking calls, one connection at a time";
                case "epoll" -> "served by epoll loops";
                default -> "served as '" + e.getKey() + "'";
            } + ": " + String.join(", ", e.getValue());
            for (String l : WordWrap.lines(text, 86)) {
                b.append(head).append(l).append('\n');
                head = "            ";
            }
        }
        b.append("            (the built-in sink serves each shape the way measured faster for it, so these rows'\n"
                + "            difference holds the sink's: docs/architecture.md#the-sink)\n");
        return b.toString();
    }

    /**
     * The rows whose open loop fell behind its schedule in some run (schedule.generatorLimited): their rate is what
     * this client managed, not --rate, and the table ranked two such rows as if it were (40,000/s asked of one slot:
     * 12,972/s against 10,061/s, a third of the starts made, not a word said, 2026-12-05).
     */
    static String behindLines(Comparison c) {
        List<String> rows = new ArrayList<>();
        for (Comparison.Row r : c.rows()) {
            int behind = 0;
            for (String run : r.runs()) {
                if (summary(c.resultsDir().resolve(run)).path("schedule").path("generatorLimited").asBoolean(false)) {
                    behind++;
                }
            }
            if (behind > 0) {
                rows.add(String.format(Locale.ROOT, "%s (%d of %d runs)", Variation.describe(r.config()), behind, r.runs().size()));
            }
        }
        if (rows.isEmpty()) {
            return "";
        }
        return labelled("behind", "the load generator fell behind its schedule in " + String.join(", ", rows) + ": where"
                + " starts were missed, the rate is what this client managed, not --rate, and the rows compare its limits"
                + " (each run's table says which: its slots, or its threads and CPU)");
    }

    /** A note under the table: its label in the first 12 columns, its text wrapped at 86 beside it. */
    private static String labelled(String label, String text) {
        StringBuilder b = new StringBuilder();
        String head = String.format(Locale.ROOT, "%-12s", label);
        for (String l : WordWrap.lines(text, 86)) {
            b.append(head).append(l).append('\n');
            head = " ".repeat(12);
        }
        return b.toString();
    }

    /**
     * The rows with runs that began among TIME_WAIT already on their ports (summary.json's states.before): that peak
     * counts them, and the run's connects shared the ports with them. One --target's 16,348 left by a run of linger off
     * were shown as the TW peak of the linger 0 run after it, which made none (QA, 2026-12-06). compare now waits for
     * them where runs share ports (CompareRunner.sharesPorts); this says when a row still began among some: --no-settle,
     * the built-in sink's port taken again, another process's sockets, or runs made apart (--runs).
     */
    static String inheritedLines(Comparison c) {
        List<String> rows = new ArrayList<>();
        for (Comparison.Row r : c.rows()) {
            int among = 0;
            long most = 0;
            for (String run : r.runs()) {
                long before = summary(c.resultsDir().resolve(run)).at("/states/before/TIME_WAIT").asLong(0);
                if (before > 0) {
                    among++;
                    most = Math.max(most, before);
                }
            }
            if (among > 0) {
                rows.add(String.format(Locale.ROOT, "%s (%d of %d runs, up to %,d)", Variation.describe(r.config()), among,
                        r.runs().size(), most));
            }
        }
        if (rows.isEmpty()) {
            return "";
        }
        return labelled("inherited", "began with TIME_WAIT already on their ports: " + String.join(", ", rows) + ". Their"
                + " TW peak counts them and their connects searched past them, so those rows hold some of what ran before"
                + " them (each run's table says how many were there before it)");
    }

    /** The run's summary, or a missing node when it cannot be read (a folder moved or damaged since). */
    private static JsonNode summary(Path run) {
        try {
            return SummaryJson.read(run);
        } catch (IOException | RuntimeException e) {
            return MissingNode.getInstance();
        }
    }

    /** The run's scenario.sinkServing, or "" when its summary cannot say (a --target run, an older churn). */
    private static String sinkServing(Path run) {
        return summary(run).path("scenario").path("sinkServing").asText("");
    }
}
