package dev.churn.cli;

import dev.churn.bench.compare.Comparison;
import dev.churn.bench.compare.Metric;
import dev.churn.bench.compare.Stats;
import dev.churn.bench.compare.Variation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code compare --fail-if-worse}: the metrics a comparison is gated on, and the exit code a finished comparison earns
 * ({@link ExitCodes#WORSE} when a row is worse than the first beyond the noise in one of them).
 *
 * @param metrics what the gate weighs, "any" expanded
 * @param named the metrics named one by one (not through any): a row must have each, or the gate says so
 */
record WorseGate(List<Metric> metrics, List<Metric> named) {

    /**
     * What --fail-if-worse and "any" weigh: every metric but the raw RST count, which follows the rate (resets/conn is the
     * one that says what a configuration costs, as the table shows).
     */
    static final List<Metric> GATED = Arrays.stream(Metric.values()).filter(m -> m != Metric.RESETS).toList();

    /** No --fail-if-worse: every comparison exits 0. */
    static final WorseGate NONE = new WorseGate(List.of(), List.of());

    /** --fail-if-worse's keys as given (null when none), or one line and exit 2. */
    static WorseGate of(List<String> keys) {
        return keys == null ? NONE
                : new WorseGate(metrics(keys), metrics(keys.stream().filter(k -> !k.strip().equals("any")).toList()));
    }

    /**
     * Refuses --fail-if-worse over rows of fewer than 3 runs before anything runs or is written: no mark can be made, so
     * the gate could never trip.
     */
    void checkHasRuns(int fewest, String howToGetMore) {
        if (!metrics.isEmpty() && fewest < Stats.MIN_REPEATS) {
            throw new UsageException("--fail-if-worse needs " + Stats.MIN_REPEATS + " runs a row or more to tell a difference"
                    + " from the noise; a row here has " + fewest + howToGetMore);
        }
    }

    /** The metrics these keys name, "any" for all of {@link #GATED}, or one line and exit 2. */
    static List<Metric> metrics(List<String> keys) {
        List<Metric> chosen = new ArrayList<>();
        for (String k : keys) {
            String key = k.strip();
            if (key.equals("any")) {
                chosen.addAll(GATED);
                continue;
            }
            Metric m = GATED.stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow(() -> new UsageException(
                    "--fail-if-worse: '" + key + "' is no metric; give any, or some of " + String.join(", ",
                            GATED.stream().map(Metric::key).toList())));
            chosen.add(m);
        }
        return chosen.stream().distinct().toList();
    }

    /**
     * A complete comparison's exit code: 0, or {@link ExitCodes#WORSE} when a row is worse than the first beyond the noise in a
     * metric --fail-if-worse names, each said on one line. A pipeline gated on comparison.json's "change" itself, and
     * compare exited 0 whatever it found (QA, 2026-12-06).
     */
    int exitCode(Comparison c, PrintWriter err) {
        if (metrics.isEmpty() || c.rows().size() < 2) {
            return ExitCodes.OK;
        }
        // A closed loop has no missed, a row without TLS no tlsP50: such a gate never trips, and said nothing (QA). Nor
        // does one whose first row, the baseline every row is held against, lacks it: a first row with a run of 800
        // connections (no CPU cost each) let a row costing 52 times more pass with exit 0 (QA, 2026-12-06).
        List<String> unmeasured = named.stream().filter(m -> c.rows().getFirst().metrics().get(m) == null)
                .map(m -> m.key() + (c.rows().stream().noneMatch(r -> r.metrics().get(m) != null) ? "" : " (the first row's)"))
                .toList();
        if (!unmeasured.isEmpty()) {
            err.println("churn compare: warning: --fail-if-worse " + String.join(", ", unmeasured) + ": not in the first"
                    + " row, the one every row is held against, so it cannot trip (missed needs --rate, tlsP50 --tls,"
                    + " firstByteP50 --response or --http, cpuPerConnection runs of 1,000 connections or more)");
            err.flush();
        }
        List<String> worse = worse(c, metrics);
        if (worse.isEmpty()) {
            return ExitCodes.OK;
        }
        err.println("churn compare: worse than the first row beyond the noise (--fail-if-worse): " + String.join("; ", worse)
                + ": exit " + ExitCodes.WORSE);
        err.flush();
        return ExitCodes.WORSE;
    }

    /** Each row's {@code metrics} worse than the first row's beyond the noise: "rate/s in linger=0 (a against b)". */
    static List<String> worse(Comparison c, List<Metric> metrics) {
        List<String> found = new ArrayList<>();
        for (int i = 1; i < c.rows().size(); i++) {
            Comparison.Row r = c.rows().get(i);
            for (Metric m : metrics) {
                if (c.differs(i, m) && !m.better().improves(c.rows().getFirst().metrics().get(m).median(),
                        r.metrics().get(m).median())) {
                    found.add(String.format(Locale.ROOT, "%s in %s (%s against %s)", m.heading(), Variation.describe(r.config()),
                            figure(m, r.metrics().get(m).median()), figure(m, c.rows().getFirst().metrics().get(m).median())));
                }
            }
        }
        return found;
    }

    private static String figure(Metric m, double v) {
        if (m.perConnection()) {
            return ComparisonTable.share(v); // as the table shows it: 0.00 against 0.00 said nothing (review, 2026-12-07)
        }
        return String.format(Locale.ROOT, v == Math.rint(v) && Math.abs(v) >= 10 ? "%,.0f" : "%,.2f", v);
    }
}
