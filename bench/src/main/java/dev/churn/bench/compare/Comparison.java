package dev.churn.bench.compare;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A finished comparison: where its runs are, how often each configuration ran, the fixed run
 * arguments, and one row per configuration. Row 0 is the baseline the noise marks refer to.
 */
public record Comparison(Path resultsDir, int repeat, List<String> baseArgs, List<Row> rows) {

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
    }

    /** True when this row's metric differs from the baseline row's beyond the noise ({@link Stats#beyondNoise}). */
    public boolean differs(int row, Metric m) {
        return row > 0 && rows.get(row).metrics().get(m).beyondNoise(rows.getFirst().metrics().get(m));
    }
}
