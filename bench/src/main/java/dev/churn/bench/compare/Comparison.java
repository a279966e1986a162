package dev.churn.bench.compare;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A comparison: where its runs are, how often each configuration was to run, the fixed run
 * arguments, and one row per configuration that finished a run. Row 0 is the baseline the noise
 * marks refer to. {@code stopped} is null for a whole comparison; otherwise it says why the
 * comparison ended early (Ctrl-C, a failed run) and what is missing. {@code order} says whether
 * the runs were interleaved ({@code churn compare --vary}) or made separately and compared
 * afterwards ({@code --runs}); {@code repeat} is then the fewest runs a row has.
 */
public record Comparison(Path resultsDir, int repeat, List<String> baseArgs, List<Row> rows, Stopped stopped, Order order) {

    /** How the runs were made, as comparison.json's {@code order} says. */
    public enum Order {
        /** A B A B ...: a noisy machine's drift hits every configuration alike. */
        INTERLEAVED("interleaved"),
        /** Runs made on their own, whenever each was made, and compared afterwards: drift is in the difference. */
        SEPARATE("separate");

        private final String label;

        Order(String label) {
            this.label = label;
        }

        /** The JSON value. */
        public String label() {
            return label;
        }

        /** The order this JSON value names; an older comparison.json without one was interleaved. */
        public static Order of(String label) {
            return SEPARATE.label.equals(label) ? SEPARATE : INTERLEAVED;
        }
    }

    /**
     * Why a comparison ended before its last run. {@code runsDone} of {@code runsPlanned} finished;
     * {@code notCounted}: folders of runs that started but are not in the medians (cut short by the
     * stop, or failed); {@code notRun}: configurations with no finished run, so no row;
     * {@code failure}: what a failed run threw (null for a stop).
     */
    public record Stopped(String reason, int runsDone, int runsPlanned, List<String> notCounted,
            List<Map<String, String>> notRun, Exception failure) {
        /** Stopped from outside: Ctrl-C. */
        public static final String INTERRUPTED = "interrupted";
        /** A run failed (an exit code other than 0, or no summary.json). */
        public static final String FAILED = "failed";

        public Stopped {
            notCounted = List.copyOf(notCounted);
            notRun = notRun.stream().map(c -> java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(c))).toList();
        }

        Stopped(String reason, int runsDone, int runsPlanned, List<String> notCounted, Exception failure) {
            this(reason, runsDone, runsPlanned, notCounted, List.of(), failure);
        }

        Stopped withNotRun(List<Map<String, String>> configs) {
            return new Stopped(reason, runsDone, runsPlanned, notCounted, configs, failure);
        }

        /** The failure's message in one line, or null. */
        public String failureMessage() {
            return failure == null ? null : String.valueOf(failure.getMessage()).strip();
        }
    }

    /** One configuration: its varied values, its runs' folders (relative to resultsDir), its metrics. */
    public record Row(Map<String, String> config, List<String> runs, Map<Metric, Stats> metrics) {
        public Row {
            config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
            runs = List.copyOf(runs);
            metrics = java.util.Collections.unmodifiableMap(new EnumMap<>(metrics));
        }
    }

    public Comparison {
        baseArgs = List.copyOf(baseArgs);
        rows = List.copyOf(rows);
        java.util.Objects.requireNonNull(order, "order");
    }

    /** An interleaved comparison, whole or stopped. */
    public Comparison(Path resultsDir, int repeat, List<String> baseArgs, List<Row> rows, Stopped stopped) {
        this(resultsDir, repeat, baseArgs, rows, stopped, Order.INTERLEAVED);
    }

    /** A whole interleaved comparison: every run finished. */
    public Comparison(Path resultsDir, int repeat, List<String> baseArgs, List<Row> rows) {
        this(resultsDir, repeat, baseArgs, rows, null);
    }

    /** True when this row's metric differs from the baseline row's beyond the noise ({@link Stats#beyondNoise}). */
    public boolean differs(int row, Metric m) {
        Stats here = rows.get(row).metrics().get(m);
        Stats first = rows.getFirst().metrics().get(m);
        // A metric a comparison.json from an older churn lacks differs from nothing.
        return row > 0 && here != null && first != null && here.beyondNoise(first);
    }
}
