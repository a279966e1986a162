package dev.churn.bench.jmh;

import dev.churn.monitor.Sysctls;
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
     * @param connects    the kernel's ActiveOpens over the measured iterations, -1 when not read
     * @param twRecycled  the kernel's TWRecycled over them (connects that took a TIME_WAIT over), -1 when not read
     */
    public record Row(String benchmark, String params, String mode, double score, double error, String unit,
                      double connectP99, long timeWaitPeak, long connects, long twRecycled) {}

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
                    tw == null ? 0 : Math.round(tw.getScore()), count(secondary.get("tcp.activeopens")),
                    count(secondary.get("tcp.twrecycled"))));
        }
        return rows;
    }

    private static long count(Result<?> r) {
        return r == null ? -1 : Math.round(r.getScore());
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

    /**
     * Notes under the table, one line each (empty when none): the configurations whose connects
     * mostly took a TIME_WAIT over (TWRecycled at least half of ActiveOpens) run at the kernel's
     * reuse ceiling, not at what their transport costs. With the client closing and linger off,
     * every blocking, nio, virtual, selector and epoll configuration of the quick suite made
     * 12,076-13,529 ops/s against a ceiling of 14,116/s (QA, 2026-12-06), and the same with the port
     * range widened made 1.5-2.2 times as many. {@code sysctls} as {@link Sysctls#read()} gives them.
     */
    public static List<String> notes(List<Row> rows, Map<String, String> sysctls) {
        List<String> lines = new ArrayList<>();
        List<Row> capped = rows.stream().filter(r -> r.connects() > 0 && r.twRecycled() * 2 >= r.connects()).toList();
        if (capped.isEmpty()) {
            return lines;
        }
        long[] range = Sysctls.portRange(sysctls.get("net.ipv4.ip_local_port_range"));
        long delayMs = parse(sysctls.get("net.ipv4.tcp_tw_reuse_delay"));
        String ceiling = range == null || delayMs <= 0 ? "" : String.format(Locale.ROOT, ", about %,d a second to one"
                + " destination (ports %d-%d, net.ipv4.tcp_tw_reuse_delay %,d ms)",
                Sysctls.reuseCeilingPerSecond(range[1] - range[0] + 1, delayMs), range[0], range[1], delayMs);
        lines.add("note: " + (capped.size() == 1 ? "this configuration's connects" : "these configurations' connects")
                + " mostly took a TIME_WAIT over (TWRecycled): their scores are the kernel's TIME_WAIT reuse ceiling" + ceiling
                + ", not what the transport costs; closer=server, linger=0 or a wider net.ipv4.ip_local_port_range"
                + " lift it (docs/tcp.md)");
        for (Row r : capped) {
            lines.add(String.format(Locale.ROOT, "  %s %s: %,d of %,d connects", r.benchmark(), r.params(), r.twRecycled(),
                    r.connects()));
        }
        return lines;
    }

    private static long parse(String v) {
        try {
            return v == null ? -1 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
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
