package dev.churn.bench.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** The summary of a suite run: one row per configuration with score ± error, connect p99 and TIME_WAIT peak. */
public final class BenchSummary {

    /**
     * One configuration's line.
     *
     * @param benchmark   class and method, without the package
     * @param params      every parameter of the configuration, {@code k=v} separated by spaces (a value the
     *                    whole run shares, such as the smoke preset's {@code closer=server}, matters too)
     * @param mode        JMH's short mode name (thrpt, sample, ss, avgt)
     * @param score       the primary score
     * @param error       its 99.9% half-width (NaN with one iteration)
     * @param unit        the score's unit
     * @param connectP99  connect() p99 in microseconds (mean over iterations), NaN when not recorded
     * @param timeWaitPeak the most TIME_WAIT sockets seen on the benchmark's ports, 0 when none
     */
    public record Row(String benchmark, String params, String mode, double score, double error, String unit,
                      double connectP99, long timeWaitPeak) {}

    private BenchSummary() {}

    /** The rows of these results, in run order. */
    public static List<Row> rows(Collection<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            BenchmarkParams bp = r.getParams();
            String bench = shortName(bp.getBenchmark());
            String ps = params(bp);
            Result<?> primary = r.getPrimaryResult();
            Map<String, Result> secondary = r.getSecondaryResults();
            Result<?> connect = secondary.get("connect.p99");
            Result<?> tw = secondary.get("tcp.time_wait.peak");
            rows.add(new Row(bench, ps, bp.getMode().shortLabel(), primary.getScore(), primary.getScoreError(),
                    primary.getScoreUnit(), connect == null ? Double.NaN : connect.getScore(),
                    tw == null ? 0 : Math.round(tw.getScore())));
        }
        return rows;
    }

    /** The rows as a fixed-width text table with a header line. */
    public static String table(List<Row> rows) {
        String[] head = {"Benchmark", "Params", "Mode", "Score", "± Error", "Units", "connect p99 (us)", "TIME_WAIT peak"};
        List<String[]> cells = new ArrayList<>();
        cells.add(head);
        for (Row r : rows) {
            cells.add(new String[] {r.benchmark(), r.params(), r.mode(), num(r.score()), num(r.error()), r.unit(),
                    num(r.connectP99()), Long.toString(r.timeWaitPeak())});
        }
        int[] width = new int[head.length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                boolean left = i < 3 || i == 5;
                String f = "%" + (left ? "-" : "") + width[i] + "s";
                b.append(String.format(Locale.ROOT, f, row[i]));
                b.append(i + 1 < row.length ? "  " : "");
            }
            b.append(System.lineSeparator());
        }
        return b.toString();
    }

    /** Every parameter of a configuration, {@code k=v} separated by spaces, in JMH's order. */
    static String params(BenchmarkParams bp) {
        StringBuilder ps = new StringBuilder();
        for (String k : bp.getParamsKeys()) {
            ps.append(ps.isEmpty() ? "" : " ").append(k).append('=').append(bp.getParam(k));
        }
        return ps.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }

    static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length < 2 ? benchmark : parts[parts.length - 2] + "." + parts[parts.length - 1];
    }
}
