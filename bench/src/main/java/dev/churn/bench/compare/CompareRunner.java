package dev.churn.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.engine.RunResult;
import dev.churn.monitor.TimeWaitBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Runs every configuration {@code repeat} times, interleaved (A B C A B C ...) so slow drift of a
 * noisy machine hits every configuration alike, each run into its own folder under one results
 * folder; then builds the {@link Comparison}. How one run is made is the {@link RunLauncher}'s
 * business (the CLI runs {@code churn run} in-process).
 */
public final class CompareRunner {

    /** Makes one run with these {@code churn run} arguments into this folder and returns its summary.json. */
    @FunctionalInterface
    public interface RunLauncher {
        JsonNode run(List<String> runArgs, Path out, String label) throws Exception;
    }

    /** Hears of each finished run: its 1-based number out of the total. */
    @FunctionalInterface
    public interface Progress {
        void runDone(int number, int total, Map<String, String> config, int repeat, JsonNode summary);

        /** The next run waits, and why. */
        default void waiting(String why) {}
    }

    private final List<Map<String, String>> configs;
    private final int repeat;
    private final List<String> baseArgs;
    private final Path resultsDir;
    private final boolean settle;
    private TimeWaitCount timeWaitCount = TimeWaitCount.KERNEL;
    private Duration settleLimit = SETTLE_LIMIT;

    /**
     * The longest a run waits for the TIME_WAIT the run before it left on shared ports: the kernel's TIME_WAIT lifetime
     * (TCP_TIMEWAIT_LEN, 60 s, not a sysctl) and the slack of its timer wheel, whose slots at a minute are 512 jiffies
     * (2 s at HZ 250).
     */
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(63);

    /** A comparison of these configurations, each run {@code repeat} times with {@code baseArgs} fixed. */
    public CompareRunner(List<Map<String, String>> configs, int repeat, List<String> baseArgs, Path resultsDir) {
        this(configs, repeat, baseArgs, resultsDir, true);
    }

    /**
     * As above; {@code settle}: whether a run whose ports the run before left TIME_WAIT on waits for them to expire
     * ({@link #sharesPorts}).
     */
    public CompareRunner(List<Map<String, String>> configs, int repeat, List<String> baseArgs, Path resultsDir,
                         boolean settle) {
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("--vary: nothing to compare");
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat: must be at least 1");
        }
        this.configs = List.copyOf(configs);
        this.repeat = repeat;
        this.baseArgs = List.copyOf(baseArgs);
        this.resultsDir = resultsDir;
        this.settle = settle;
    }

    /** For tests: the count read while settling, and how long after a run its follower waits at most. */
    CompareRunner settlingWith(TimeWaitCount count, Duration limit) {
        this.timeWaitCount = count;
        this.settleLimit = limit;
        return this;
    }

    /**
     * True when every run of the comparison uses the same ports, so the TIME_WAIT one run leaves are on the next one's:
     * a {@code --target} (each run connects to the same server port) or {@code --bind-ports} (each binds the same client
     * ports). The built-in sink listens on a port of its own each run, and its runs' connections are different
     * 4-tuples. With one --target and tcp_tw_reuse 0 (what a remote server sees), a run of --linger 0 after one that left
     * 16,348 TIME_WAIT there made 490/s with a connect p50 of 1.9 ms against 3,341/s and 18 µs before it, and showed
     * them as its own TW peak (QA, 2026-12-06): the table ranked the order of the runs, not the configurations.
     */
    public static boolean sharesPorts(List<String> runArgs) {
        return lastValue(runArgs, "--target") != null || lastValue(runArgs, "--bind-ports") != null;
    }

    /**
     * Waits until the {@code left} TIME_WAIT the run before left have expired: until the namespace holds no more than
     * {@code baseline} (what it held before the comparison began, others' sockets), or until {@code deadline} (nanoTime:
     * {@link #SETTLE_LIMIT} after that run ended), whichever comes first (a namespace where others churn never falls back;
     * then the deadline decides).
     */
    static void awaitSettled(long left, long deadline, long baseline, TimeWaitCount count, Progress progress,
                             BooleanSupplier stop) throws IOException, InterruptedException {
        long inUse = count.inUse();
        if (inUse <= baseline || System.nanoTime() >= deadline) {
            return;
        }
        progress.waiting(String.format(Locale.ROOT, "waiting up to %d s for the %,d TIME_WAIT the last run left on the ports"
                + " every run shares to expire, so the next one starts without them (--no-settle starts at once)",
                Math.max(1, (deadline - System.nanoTime() + 999_999_999L) / 1_000_000_000L), left));
        while (inUse > baseline && System.nanoTime() < deadline && !stop.getAsBoolean()) {
            Thread.sleep(100);
            inUse = count.inUse();
        }
    }

    /** The TIME_WAIT sockets of the namespace now ({@code /proc/net/sockstat}'s tw), -1 when not known. */
    @FunctionalInterface
    interface TimeWaitCount {
        long inUse() throws IOException;

        /** The calling thread's namespace, where the runs' sockets go. */
        TimeWaitCount KERNEL = () -> TimeWaitBudget.readThisThread().inUse();
    }

    /**
     * Runs are alike only if each starts with room in the kernel's TIME_WAIT table: past
     * tcp_max_tw_buckets the kernel destroys new TIME_WAITs at once, and a comparison of many
     * runs fills it within a minute. Waits (at most a TIME_WAIT lifetime) until the run fits: a run
     * of {@code --connections N} leaves at most N (on loopback one end of each connection keeps
     * it, and warm-ups close with RST), any other until the table is half empty.
     */
    static void awaitTimeWaitRoom(List<String> runArgs, Progress progress, BooleanSupplier stop)
            throws IOException, InterruptedException {
        TimeWaitBudget b = TimeWaitBudget.readThisThread(); // the namespace the runs' sockets go in
        long needed = roomNeeded(runArgs, b.max());
        if (b.max() <= 0 || b.headroom() >= needed) {
            return;
        }
        progress.waiting(String.format(Locale.ROOT, "the kernel holds %,d of %,d TIME_WAIT sockets (tcp_max_tw_buckets) "
                + "and the next run needs room for %,d: waiting for old ones to expire, so every run starts alike",
                b.inUse(), b.max(), needed));
        TimeWaitBudget.await(needed, Duration.ofSeconds(65), stop);
    }

    /**
     * The TIME_WAIT room a run needs: its {@code --connections} when given (the last one wins), at
     * most half the table; none for a run that closes with a RST ({@code --linger 0} or
     * {@code --closer abort}), which leaves no TIME_WAIT on either end (measured, 3,000 connections:
     * closers client, server, never and abort 0). Not {@code --closer half}: its client's FIN goes
     * first, and the server's answer puts it in TIME_WAIT before its close (3,000 of 3,000). Such a
     * comparison once waited up to a minute before each run behind another process's TIME_WAIT, for
     * room it would never use.
     */
    static long roomNeeded(List<String> runArgs, long max) {
        String closer = Objects.requireNonNullElse(lastValue(runArgs, "--closer"), "").strip();
        boolean reset = isAbortive(lastValue(runArgs, "--linger")) || closer.equalsIgnoreCase(Closer.ABORT.label());
        if (reset && !closer.equalsIgnoreCase(Closer.HALF.label())) {
            return 0;
        }
        long half = max - max / 2;
        long connections = -1;
        String value = lastValue(runArgs, "--connections");
        if (value != null) {
            try {
                connections = Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                connections = -1; // the run itself will refuse it, with its own message
            }
        }
        return connections > 0 ? Math.min(connections, half) : half;
    }

    private static boolean isAbortive(String linger) {
        try {
            return linger != null && Linger.parse(linger.strip()).equals(Linger.ABORT);
        } catch (IllegalArgumentException e) {
            return false; // the run itself will refuse it, with its own message
        }
    }

    /** The last value given to {@code option} ({@code --option V} or {@code --option=V}), as picocli keeps it; null if none. */
    public static String lastValue(List<String> runArgs, String option) {
        String value = null;
        for (int i = 0; i < runArgs.size(); i++) {
            String a = runArgs.get(i);
            if (a.startsWith(option + "=")) {
                value = a.substring(option.length() + 1);
            } else if (a.equals(option) && i + 1 < runArgs.size()) {
                value = runArgs.get(i + 1);
            }
        }
        return value;
    }

    /** The {@code churn run} arguments of a configuration: the fixed ones, then the varied ones. */
    public List<String> argsOf(Map<String, String> config) {
        List<String> args = new ArrayList<>(Variation.fixedArgsFor(config, baseArgs));
        args.addAll(Variation.runArgs(config));
        return args;
    }

    /** The folder name of a configuration's run: {@code 03-transport-nio.closer-client-r2}. */
    public static String folderOf(int configIndex, Map<String, String> config, int repeat) {
        String label = Variation.label(config);
        if (label.length() > 80) {
            label = label.substring(0, 80);
        }
        return String.format(Locale.ROOT, "%02d-%s-r%d", configIndex + 1, label, repeat);
    }

    /** How many runs the comparison makes. */
    public int totalRuns() {
        return configs.size() * repeat;
    }

    /** Makes every run, in interleaved order, and returns the comparison; the first failing run stops it. */
    public Comparison run(RunLauncher launcher, Progress progress) throws Exception {
        Comparison c = run(launcher, progress, () -> false);
        if (c.stopped() != null && c.stopped().failure() != null) {
            throw c.stopped().failure();
        }
        return c;
    }

    /**
     * Makes every run, in interleaved order, until {@code stop} says so (Ctrl-C) or a run fails.
     * Either way what finished is kept: the comparison of the runs made so far comes back with
     * {@link Comparison#stopped()} saying why it is short. A run that a stop cut short
     * (endReason STOPPED) keeps its folder but stays out of the medians, which would otherwise mix
     * a shorter run with whole ones. A comparison with no finished run at all throws the failure.
     */
    public Comparison run(RunLauncher launcher, Progress progress, BooleanSupplier stop) throws Exception {
        List<List<JsonNode>> summaries = new ArrayList<>();
        List<List<String>> folders = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            summaries.add(new ArrayList<>());
            folders.add(new ArrayList<>());
        }
        int number = 0;
        Comparison.Stopped stopped = null;
        boolean settling = settle && sharesPorts(baseArgs);
        long baseline = settling ? timeWaitCount.inUse() : 0;
        long left = 0;
        long endedNanos = 0;
        runs:
        for (int r = 1; r <= repeat; r++) {
            for (int i = 0; i < configs.size(); i++) {
                Map<String, String> config = configs.get(i);
                String folder = folderOf(i, config, r);
                if (!stop.getAsBoolean() && settling && left > 0) {
                    awaitSettled(left, endedNanos + settleLimit.toNanos(), baseline, timeWaitCount, progress, stop);
                }
                if (!stop.getAsBoolean()) {
                    awaitTimeWaitRoom(argsOf(config), progress, stop);
                }
                if (stop.getAsBoolean()) {
                    stopped = new Comparison.Stopped(Comparison.Stopped.INTERRUPTED, number, totalRuns(), List.of(), null);
                    break runs;
                }
                JsonNode summary;
                try {
                    summary = launcher.run(argsOf(config), resultsDir.resolve(folder), folder);
                } catch (Exception e) {
                    // A run stopped before it completed anything fails (exit 1): with a stop asked, the stop is why.
                    // Named only when it kept something: a run stopped before measuring leaves no folder to point at.
                    List<String> kept = holdsFiles(resultsDir.resolve(folder)) ? List.of(folder) : List.of();
                    stopped = stop.getAsBoolean()
                            ? new Comparison.Stopped(Comparison.Stopped.INTERRUPTED, number, totalRuns(), kept, null)
                            : new Comparison.Stopped(Comparison.Stopped.FAILED, number, totalRuns(), kept, e);
                    break runs;
                }
                if (RunResult.EndReason.STOPPED.name().equals(summary.path("endReason").asText())) {
                    stopped = new Comparison.Stopped(Comparison.Stopped.INTERRUPTED, number, totalRuns(), List.of(folder), null);
                    break runs;
                }
                left = summary.at("/states/final/TIME_WAIT").asLong(0);
                endedNanos = System.nanoTime();
                summaries.get(i).add(summary);
                folders.get(i).add(folder);
                progress.runDone(++number, totalRuns(), config, r, summary);
            }
        }
        if (stopped != null && number == 0 && stopped.failure() != null) {
            // Nothing finished: there is nothing to compare, and no comparison.json; the failed run's folder stays.
            String where = stopped.notCounted().isEmpty() ? ""
                    : "; its folder has what it measured: " + resultsDir.resolve(stopped.notCounted().getFirst());
            throw new NothingToCompare(stopped.failure().getMessage() + "; it was the first run, so there is no comparison"
                    + where, new Comparison(resultsDir, repeat, baseArgs, List.of(), stopped.withNotRun(configs)));
        }
        List<Comparison.Row> rows = new ArrayList<>();
        List<Map<String, String>> notRun = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            if (summaries.get(i).isEmpty()) {
                notRun.add(configs.get(i));
            } else {
                rows.add(new Comparison.Row(configs.get(i), folders.get(i), metrics(summaries.get(i))));
            }
        }
        if (stopped != null) {
            stopped = stopped.withNotRun(notRun);
        }
        return new Comparison(resultsDir, repeat, baseArgs, rows, stopped);
    }

    /**
     * The statistics of every metric over these runs' summaries; a metric that one of them lacks
     * (written by an older churn) is left out, and shown as not measured.
     */
    public static Map<Metric, Stats> metrics(List<JsonNode> summaries) {
        Map<Metric, Stats> m = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            if (summaries.stream().allMatch(metric::in)) {
                m.put(metric, Stats.of(summaries.stream().map(metric::of).toList()));
            }
        }
        return m;
    }

    private static boolean holdsFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return false; // gone, or never made
        }
    }

    /**
     * The first run failed: no comparison, and no comparison.json. It carries the empty comparison, stopped by that
     * failure, for a --format json reader: standard output was empty, and {@code jq .} took that for success.
     */
    public static final class NothingToCompare extends IOException {
        private final transient Comparison comparison;

        NothingToCompare(String message, Comparison comparison) {
            super(message, comparison.stopped().failure());
            this.comparison = comparison;
        }

        public Comparison comparison() {
            return comparison;
        }
    }
}
