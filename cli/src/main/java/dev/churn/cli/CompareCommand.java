package dev.churn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.churn.bench.compare.CompareRunner;
import dev.churn.bench.compare.Comparison;
import dev.churn.bench.compare.ComparisonJson;
import dev.churn.bench.compare.FinishedRuns;
import dev.churn.bench.compare.Metric;
import dev.churn.bench.compare.Stats;
import dev.churn.bench.compare.Variation;
import dev.churn.bench.http.Printable;
import dev.churn.bench.report.WordWrap;
import dev.churn.bench.result.OutputPath;
import dev.churn.bench.result.ResultsDirectory;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine;

/**
 * {@code churn compare}: runs the cross product of the {@code --vary} values, each configuration
 * {@code --repeat} times interleaved, with every other {@code churn run} option held fixed; all runs
 * go under one results folder with a comparison.json; prints a table (median, spread, marks for
 * differences beyond the noise) or that JSON.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Compares configurations: runs every combination of the --vary values, each --repeat times, "
                    + "interleaved (A B A B ...) so a noisy machine's drift hits all alike.",
            "Every other option is a 'churn run' option held fixed for all runs. Each run starts once the "
                    + "kernel's TIME_WAIT table has room for it (its --connections, at most half of tcp_max_tw_buckets); "
                    + "when the runs share ports (a --target, --bind-ports), also once the TIME_WAIT the run before left "
                    + "there have expired (up to a minute; --no-settle starts at once). compare says when it waits.",
            "",
            "Examples:",
            "  churn compare --vary linger=off,0 --vary closer=client,server --connections 2000",
            "  churn compare --vary transport=blocking,nio,virtual,selector --repeat 3 --concurrency 4",
            "  churn compare --vary transport=selector,epoll --threads 2 --concurrency 64 --request 1 \\",
            "                --response 1 --linger 0 --duration 5s        what java.nio costs a churning client",
            "  churn compare --vary tls=off,1.2,1.3 --response 100 --connections 2000",
            "                                                             what TLS adds per connection",
            "",
            "Keys: transport, threads, closer, linger, reuse-addr, reuse-port, concurrency, rate, request, response, "
                    + "no-delay, ipv6, listeners, backlog, tls (off, 1.2, 1.3), tls-resume, tls-groups, tls-key, warmup "
                    + "(auto or a length) (flags take true,false).",
            "Arrows say which direction is better. A value is marked '+' (better) or '-' (worse) when its "
                    + "repeats and the first configuration's do not overlap (min..max ranges disjoint; needs "
                    + "--repeat 3 or more: with 3 it happens by chance 1 time in 10 where nothing changed, with 5 1 "
                    + "in 126).",
            "A CI gate: --fail-if-worse rate,cycleP99 (or any) exits 3 when a row is worse than the first beyond the "
                    + "noise in those metrics; give it --repeat 5.",
            "Ctrl-C (or a failed run) ends a comparison early and keeps what finished: the table and comparison.json "
                    + "of the finished runs, marked stopped (exit code 130; 1 after a failed run).",
            "",
            "Runs already made compare with --runs instead of --vary, one --runs per row, its comma-separated folders "
                    + "the repeats (a folder that holds only run folders stands for all of them); each row is named by "
                    + "what sets its runs apart (options, build, host, kernel, sysctls, day). They were not interleaved, "
                    + "so the machine's drift between them is in the difference:",
            "  churn compare --runs results/20261202-101500-blocking-client-c1 \\",
            "                --runs results/20261203-101500-blocking-client-c1        yesterday against today",
            "  churn compare --runs results/a1,results/a2,results/a3 --runs results/b1,results/b2,results/b3",
            "  churn compare --runs results/before --runs results/after   each holds runs made with --out DIR/rN",
            ""
        })
public final class CompareCommand implements Callable<Integer> {

    /** Run options a comparison sets itself for each run. */
    private static final Set<String> RESERVED = Set.of("--out", "--label", "--format", "--no-progress", "--force", "-h",
            "--help", "-V", "--version");

    @Spec
    CommandSpec spec;

    @Option(names = "--vary", paramLabel = "KEY=V1,V2,...", completionCandidates = VaryKeys.class,
            description = "A run option and its values (repeatable; the cross product runs).")
    List<String> vary;

    /** What completion offers after --vary: each key with its '=', the values being the user's to type. */
    static final class VaryKeys implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Variation.Key.values()).map(k -> k.label() + "=").iterator();
        }
    }

    @Option(names = "--runs", paramLabel = "DIR[,DIR...]",
            description = "Instead of --vary: one row of runs already made, its folders the repeats (repeatable, "
                    + "one per row). Nothing is run.")
    List<String> finishedRuns;

    @Option(names = "--repeat", paramLabel = "K", converter = OptionConverters.PositiveInt.class,
            description = "Runs of each configuration, interleaved (default 1; 3 or more to see the noise, 5 when it matters).")
    int repeat = 1;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Put all runs and comparison.json here (default results/<yyyyMMdd-HHmmss>-<label>/).")
    Path out;

    @Option(names = "--force", description = "With --out: replace the comparison.json and run folders an earlier "
            + "comparison left there; without it such a folder is refused.")
    boolean force;

    @Option(names = "--no-settle", description = "With a --target or --bind-ports: start each run at once, among the "
            + "TIME_WAIT the run before left on the ports they share (its TW peak counts them, its connects search past them).")
    boolean noSettle;

    @Option(names = "--fail-if-worse", paramLabel = "KEY", split = ",", description = "Exit 3 when a row is worse than the "
            + "first beyond the noise in one of these comparison.json metrics (rate, connectP50, connectP99, connectP999, "
            + "closeP99, cycleP99, timeWaitPeak, closeWaitPeak, failures, resetsPerConnection, cpuPerConnection, missed, "
            + "tlsP50, firstByteP50), or in any of them (any): a gate for CI. Needs 3 runs a row; with 5 an unchanged "
            + "metric trips it 1 time in 126.")
    List<String> failIfWorse;

    @Option(names = "--label", paramLabel = "NAME", description = "Name of the comparison folder (default compare).")
    String label = "compare";

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "table (default) or json (comparison.json on standard output).")
    RunCommand.Format format = RunCommand.Format.TABLE;

    @Unmatched
    List<String> runArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        gate = gate(failIfWorse);
        named = failIfWorse == null ? List.of() : gate(failIfWorse.stream().filter(k -> !k.strip().equals("any")).toList());
        if (finishedRuns != null) {
            return compareFinished();
        }
        if (vary == null) {
            throw new UsageException("give --vary KEY=V1,V2,... (runs to make) or --runs DIR,... (runs already made)");
        }
        List<Variation> variations = new ArrayList<>();
        for (String v : vary) {
            try {
                variations.add(RunCommand.usage(() -> Variation.parse(v)));
            } catch (UsageException e) {
                throw new UsageException(e.getMessage() + misspeltKey(v));
            }
        }
        List<Map<String, String>> configs = RunCommand.usage(() -> Variation.crossProduct(variations));
        checkFixedArgs(variations);
        checkGateHasRuns(repeat, " (--repeat " + Stats.MIN_REPEATS + ")");
        // Each run reads them again: a pipe gives its content once.
        runArgs = ReadOnce.pipesToFiles(runArgs, spec.commandLine().getErr(), spec.qualifiedName());
        CompareRunner runner = new CompareRunner(configs, repeat, runArgs, Path.of("."));
        for (Map<String, String> c : configs) {
            validate(runner.argsOf(c), c);
        }
        String name = RunCommand.usage(() -> ResultsDirectory.checkLabel(label));
        ResultsDirectory dir = OutFolder.open(out, force, name);
        PrintWriter err = spec.commandLine().getErr();
        // A plan first: the first line came only when the first run ended, and a 5-minute --duration said nothing
        // for five minutes, nor how many there would be (QA, 2026-12-06).
        err.println(plan(runner.totalRuns(), configs.size(), repeat, runArgs, variations) + settlePlan(runArgs, noSettle));
        err.flush();
        StopHook hook = StopHook.install("compare-stop", () -> stopAndAwait(STOP_WAIT));
        try {
            Comparison c = new CompareRunner(configs, repeat, runArgs, dir.path(), !noSettle)
                    .run((args, runDir, runLabel) -> runInProcess(args, runDir, runLabel, force, this::started),
                            new CompareRunner.Progress() {
                                @Override
                                public void runDone(int n, int total, Map<String, String> config, int r, JsonNode summary) {
                                    err.println(String.format(Locale.ROOT, "[%d/%d] %s (repeat %d): %,.0f/s, %,d failed", n, total,
                                            Variation.describe(config), r, summary.at("/connections/perSecond").asDouble(),
                                            summary.at("/connections/failed").asLong()));
                                    err.flush();
                                }

                                @Override
                                public void waiting(String why) {
                                    err.println("        " + why);
                                    err.flush();
                                }
                            }, this::stopRequested);
            return finish(c, err);
        } catch (CompareRunner.NothingToCompare e) {
            if (format == RunCommand.Format.JSON) {
                // A document for a script, as a comparison stopped before any run finished gives: no rows, and why.
                PrintWriter o = spec.commandLine().getOut();
                o.println(ComparisonJson.toPrettyString(e.comparison()));
                o.flush();
            }
            throw e;
        } finally {
            written.countDown();
            hook.remove(); // after Ctrl-C, the hook is running and waited for the comparison written above
        }
    }

    /**
     * {@code --runs}: the comparison of runs already made, written as comparison.json in a folder of its
     * own (the runs stay where they are; the file points at them) and printed. Runs nothing.
     */
    private int compareFinished() throws IOException {
        if (vary != null) {
            throw new UsageException("--runs compares runs already made and --vary makes new ones: give one of them");
        }
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed.hasMatchedOption("--repeat")) {
            throw new UsageException("--repeat makes runs; with --runs each row's repeats are the folders it lists");
        }
        if (!runArgs.isEmpty()) {
            throw new UsageException("--runs compares runs already made: run options (" + runArgs.getFirst()
                    + ") do not apply");
        }
        List<List<Path>> groups = new ArrayList<>();
        List<Path> read = new ArrayList<>(); // every folder named, and the runs inside those that hold runs
        for (String r : finishedRuns) {
            List<Path> group = new ArrayList<>();
            for (String d : r.split(",", -1)) {
                if (d.isBlank()) {
                    throw new UsageException("--runs " + r + ": an empty folder name");
                }
                read.add(Path.of(d));
                group.addAll(FinishedRuns.expand(Path.of(d)));
            }
            groups.add(group);
            read.addAll(group);
        }
        if (out != null) {
            RunCommand.usage(() -> {
                OutputPath.checkNotAnInput(out, read);
                return out;
            });
        }
        String name = RunCommand.usage(() -> ResultsDirectory.checkLabel(label));
        // Every folder is read before the comparison's own folder is made: a typo leaves nothing behind.
        FinishedRuns runs = RunCommand.usage(() -> FinishedRuns.read(groups));
        checkGateHasRuns(groups.stream().mapToInt(List::size).min().orElse(0), "");
        ResultsDirectory dir = OutFolder.open(out, force, name);
        try {
            return finish(runs.comparison(dir.path()), spec.commandLine().getErr());
        } catch (IOException e) {
            dir.removeIfEmpty(); // made for comparison.json alone, and it could not be written
            throw e;
        }
    }

    /**
     * Writes and prints the comparison, whole or as far as it got. Stopped by Ctrl-C: exit 130. A run
     * failed: its message, exit 1, after the comparison of the runs before it is written.
     */
    private int finish(Comparison c, PrintWriter err) throws IOException {
        Comparison.Stopped stopped = c.stopped();
        if (c.rows().isEmpty()) {
            // Stopped during the first run: nothing finished to compare; the run's folder has what it measured.
            err.println("churn compare: stopped before any run finished" + notCountedSuffix(stopped));
            err.flush();
            if (format == RunCommand.Format.JSON) {
                // A script reading standard output still gets a document: no rows, and why (no file is written).
                PrintWriter o = spec.commandLine().getOut();
                o.println(ComparisonJson.toPrettyString(c));
                o.flush();
            }
            return ExitCodes.INTERRUPTED;
        }
        // The table is printed whether or not comparison.json could be written: on a full disk the runs were kept and
        // the comparison of them, worked out, was lost with its file (QA, 2026-12-06).
        IOException notWritten = null;
        try {
            ComparisonJson.write(c, force);
        } catch (IOException e) {
            notWritten = e;
        }
        PrintWriter o = spec.commandLine().getOut();
        if (format == RunCommand.Format.JSON) {
            o.println(ComparisonJson.toPrettyString(c));
        } else {
            // From the figures as comparison.json holds them (to a thousandth), as 'churn report --table' reads them
            // back: a median of 66.4499 printed 66.4 here and 66.5 there (a fresh clone's verify, 2026-12-06).
            o.print(table(ComparisonJson.fromJson(ComparisonJson.toJson(c), c.resultsDir())));
        }
        o.flush();
        if (notWritten != null) {
            throw new IOException(notWritten.getMessage() + "; the comparison is printed above, and "
                    + (c.order() == Comparison.Order.SEPARATE ? "the runs it read are where they were" : "its runs are kept in "
                    + c.resultsDir()) + ": " + rebuild(c), notWritten);
        }
        if (stopped == null) {
            return gated(c, err);
        }
        if (stopped.failure() != null) {
            throw new IOException(stopped.failureMessage() + "; the comparison of the " + (stopped.runsDone() == 1
                    ? "run" : stopped.runsDone() + " runs") + " before it is in " + c.resultsDir());
        }
        return ExitCodes.INTERRUPTED;
    }

    /** The command that makes this comparison again from its runs, once there is room: {@code churn compare --runs ...}. */
    static String rebuild(Comparison c) {
        StringBuilder b = new StringBuilder("churn compare");
        for (Comparison.Row r : c.rows()) {
            b.append(" --runs ").append(String.join(",", r.runs().stream()
                    .map(x -> c.resultsDir().resolve(x).normalize().toString()).toList()));
        }
        return b.append(" makes it again").toString();
    }

    private static String notCountedSuffix(Comparison.Stopped s) {
        return s == null || s.notCounted().isEmpty() ? ""
                : ": " + String.join(", ", s.notCounted()) + " holds what it measured until the stop";
    }

    // --- Ctrl-C: the JVM's shutdown hook stops the run in progress and waits for the comparison to be written.

    static final Duration STOP_WAIT = RunCommand.STOP_WAIT.plusSeconds(5);
    private final CountDownLatch written = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile RunCommand current;

    boolean stopRequested() {
        return stopRequested;
    }

    /** The run now in progress; stopped at once when a stop came before it could be reached. */
    private void started(RunCommand run) {
        current = run;
        if (stopRequested) {
            run.stopper.stopAndAwait(Duration.ZERO);
        }
    }

    /**
     * Stops the comparison (the run in progress ends, no further run starts) and waits up to
     * {@code max} until what finished is written; false when the wait ran out. Ctrl-C's path, and tests'.
     */
    boolean stopAndAwait(Duration max) {
        stopRequested = true;
        RunCommand run = current;
        if (run != null) {
            run.stopper.stopAndAwait(Duration.ZERO);
        }
        try {
            return written.await(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The varied keys may not also be fixed, and the folder, label and format are the comparison's. */
    private void checkFixedArgs(List<Variation> variations) {
        for (String a : runArgs) {
            String opt = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (RESERVED.contains(opt)) {
                throw new UsageException(opt + " cannot be passed to the runs of a comparison (compare sets it per run)");
            }
            if (opt.equals("--join")) {
                // A session is one run per client that 'churn serve' starts and merges; a comparison runs its own.
                throw new UsageException("--join joins one run to a 'churn serve' session; a comparison makes its own "
                        + "runs: compare sessions' merged runs with --runs instead");
            }
            for (Variation v : variations) {
                if (opt.equals(v.key().option())) {
                    throw new UsageException(opt + " is both fixed and varied (--vary " + v.key().label() + "); drop one");
                }
            }
        }
    }

    /**
     * The comparison's first line: how many runs, and, when each is timed (--duration, a warm-up of known length),
     * about how long it all takes; a run of --connections lasts what it takes.
     */
    static String plan(int runs, int configs, int repeats, List<String> args, List<Variation> varied) {
        String head = String.format(Locale.ROOT, "churn compare: %d %s (%d %s x %d %s, interleaved)", runs,
                runs == 1 ? "run" : "runs", configs, configs == 1 ? "configuration" : "configurations", repeats,
                repeats == 1 ? "repeat" : "repeats");
        String duration = CompareRunner.lastValue(args, "--duration");
        String warmup = CompareRunner.lastValue(args, "--warmup");
        boolean warmupVaried = varied.stream().anyMatch(v -> v.key() == Variation.Key.WARMUP);
        if (duration == null || warmupVaried || "auto".equals(warmup)) {
            return head;
        }
        try {
            Duration d = DurationConverter.parse(duration);
            // The built-in sink's default warm-up is 5 s; a --target run's, or --closer never's, none.
            Duration w = warmup != null ? new DurationConverter.NonNegative().convert(warmup)
                    : CompareRunner.lastValue(args, "--target") != null
                            || "never".equals(CompareRunner.lastValue(args, "--closer")) ? Duration.ZERO
                    : Duration.ofSeconds(5);
            Duration each = d.plus(w);
            return head + String.format(Locale.ROOT, "; each about %s (%s measured, %s), about %s in all",
                    DurationConverter.format(each), DurationConverter.format(d),
                    w.isZero() ? "no warm-up" : DurationConverter.format(w) + " warm-up",
                    DurationConverter.format(each.multipliedBy(runs)));
        } catch (RuntimeException e) {
            return head; // refused later with its own message
        }
    }

    /** What the plan adds when runs may wait for each other's TIME_WAIT (CompareRunner.sharesPorts), else nothing. */
    static String settlePlan(List<String> args, boolean noSettle) {
        if (noSettle || !CompareRunner.sharesPorts(args)) {
            return "";
        }
        return "; a run after one that left TIME_WAIT on the ports they share waits up to a minute for them"
                + " (--no-settle: no wait)";
    }

    /** For an unknown --vary key, the key meant ("; did you mean transport?"); else nothing. */
    private static String misspeltKey(String vary) {
        int eq = vary.indexOf('=');
        String key = eq < 0 ? vary : vary.substring(0, eq);
        List<String> keys = Arrays.stream(Variation.Key.values()).map(Variation.Key::label).toList();
        return keys.contains(key) ? "" : OptionSuggestions.phrase(OptionSuggestions.closest(key, keys));
    }

    /** Parses one configuration's run arguments without running, so a typo fails before the first run. */
    private static void validate(List<String> args, Map<String, String> config) throws IOException {
        CommandLine cl = Main.commandLine();
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(args);
        try {
            CommandLine.ParseResult parsed = cl.parseArgs(all.toArray(String[]::new));
            if (!parsed.subcommand().unmatched().isEmpty()) {
                throw new UsageException("unknown run option " + parsed.subcommand().unmatched().getFirst());
            }
        } catch (CommandLine.ParameterException e) {
            throw new UsageException("run option for " + Variation.describe(config) + ": " + e.getMessage().strip()
                    + Main.didYouMean(e, cl.getSubcommands().get("compare").getCommandSpec()));
        }
        RunCommand run = cl.getSubcommands().get("run").getCommand();
        run.runSpec();
    }

    /** One run: {@code churn run} in this JVM into its folder, its summary back. */
    static JsonNode runInProcess(List<String> args, Path runDir, String runLabel, boolean force) throws IOException {
        return runInProcess(args, runDir, runLabel, force, run -> {});
    }

    /** As above, and hands the run's command to {@code started} before it runs: how a Ctrl-C reaches it. */
    static JsonNode runInProcess(List<String> args, Path runDir, String runLabel, boolean force, Consumer<RunCommand> started)
            throws IOException {
        CommandLine cl = Main.commandLine();
        started.accept(cl.getSubcommands().get("run").getCommand());
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(args);
        all.addAll(List.of("--out", runDir.toString(), "--label", runLabel, "--format", "json", "--no-progress"));
        if (force) {
            all.add("--force");
        }
        int code = cl.execute(all.toArray(String[]::new));
        boolean written = Files.isRegularFile(runDir.resolve(SummaryJson.FILE));
        if (code != ExitCodes.OK || !written) {
            // A run that ended by its own rule (--max-failures, nothing completed) says why in its summary, with the
            // failures by class; its stderr has a warning at most. Else (bad input, an error) stderr says why.
            String said = err.toString().strip().replace("churn run: ", "");
            String why = written ? whyItFailed(SummaryJson.read(runDir), said) : said;
            throw new IOException("run " + runLabel + " failed (exit code " + code + "): " + why);
        }
        return SummaryJson.read(runDir);
    }

    /** Why a run whose summary was written exited 1: from that summary by its own rules, else what it said on stderr. */
    static String whyItFailed(JsonNode s, String said) {
        long completed = s.at("/connections/completed").asLong();
        String failures = failureCounts(s);
        String where = s.path("endedInWarmup").asBoolean(false) ? " in its warm-up" : "";
        if ("TOO_MANY_FAILURES".equals(s.path("endReason").asText())) {
            return String.format(Locale.ROOT, "--max-failures %d reached%s (%s)", s.at("/scenario/maxFailures").asLong(),
                    where, failures);
        }
        if (s.path("endedInWarmup").asBoolean(false)) {
            return "it ended during its warm-up (" + s.path("endReason").asText() + "), before measuring";
        }
        // Neither rule: something else failed after the summary was written (results not sent to a --join server).
        return completed == 0 ? "no connection completed (" + failures + ")"
                : said.isEmpty() ? s.path("endReason").asText() : said;
    }

    /** "econnrefused 3, timeout 1": the failures a summary counts, by class. */
    private static String failureCounts(JsonNode s) {
        List<String> kinds = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : s.path("failures").properties()) {
            long n = e.getValue().path("count").asLong();
            if (n > 0) {
                kinds.add(String.format(Locale.ROOT, "%s %,d", e.getKey(), n));
            }
        }
        return kinds.isEmpty() ? "no failure counted" : String.join(", ", kinds);
    }

    /** The metrics every table shows; missed, tls p50 and 1st byte p50 join them where a row has them. */
    static final List<Metric> TABLE_METRICS = List.of(Metric.RATE, Metric.CONNECT_P50, Metric.CONNECT_P99,
            Metric.CONNECT_P999, Metric.CLOSE_P99, Metric.TIME_WAIT_PEAK, Metric.CLOSE_WAIT_PEAK, Metric.FAILURES,
            Metric.RESETS_PER_CONNECTION, Metric.CPU_PER_CONNECTION);

    /**
     * What --fail-if-worse and "any" weigh: every metric but the raw RST count, which follows the rate (resets/conn is the
     * one that says what a configuration costs, as the table shows).
     */
    static final List<Metric> GATED = Arrays.stream(Metric.values()).filter(m -> m != Metric.RESETS).toList();

    private List<Metric> gate = List.of();
    /** The metrics --fail-if-worse named one by one (not through any): a row must have each, or the gate says so. */
    private List<Metric> named = List.of();

    /**
     * Refuses --fail-if-worse over rows of fewer than 3 runs before anything runs or is written: no mark can be made, so
     * the gate could never trip.
     */
    private void checkGateHasRuns(int fewest, String howToGetMore) {
        if (!gate.isEmpty() && fewest < Stats.MIN_REPEATS) {
            throw new UsageException("--fail-if-worse needs " + Stats.MIN_REPEATS + " runs a row or more to tell a difference"
                    + " from the noise; a row here has " + fewest + howToGetMore);
        }
    }

    /** The metrics --fail-if-worse names, or one line and exit 2. */
    static List<Metric> gate(List<String> keys) {
        if (keys == null) {
            return List.of();
        }
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
    private int gated(Comparison c, PrintWriter err) {
        if (gate.isEmpty() || c.rows().size() < 2) {
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
        List<String> worse = worse(c, gate);
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
                            figure(r.metrics().get(m).median()), figure(c.rows().getFirst().metrics().get(m).median())));
                }
            }
        }
        return found;
    }

    private static String figure(double v) {
        return String.format(Locale.ROOT, v == Math.rint(v) && Math.abs(v) >= 10 ? "%,.0f" : "%,.2f", v);
    }

    /**
     * Marks beyond the noise in metrics the table has no column for (cycle p99), which comparison.json holds: a "worse"
     * was there alone, where nobody reading the table saw it (QA, 2026-12-06).
     */
    static String alsoBeyondNoise(Comparison c, List<Metric> shown) {
        List<String> marks = new ArrayList<>();
        for (int i = 1; i < c.rows().size(); i++) {
            for (Metric m : GATED) {
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
     * What the '+' and '-' marks mean here, with the chance that one appears where nothing changed;
     * or, with too few runs a row, why there are none. Nothing with a single row.
     */
    static String noiseLine(Comparison c) {
        if (c.rows().size() < 2) {
            return "";
        }
        int fewest = c.rows().stream().mapToInt(r -> r.runs().size()).min().orElse(0);
        if (fewest < Stats.MIN_REPEATS) {
            return "no + or - marks: telling a difference from the noise takes " + Stats.MIN_REPEATS + " runs a row or more"
                    + (c.order() == Comparison.Order.SEPARATE ? "" : " (--repeat " + Stats.MIN_REPEATS + ")") + "\n";
        }
        return String.format(Locale.ROOT, "+ better, - worse than the first row beyond the noise: the runs' min..max ranges do "
                + "not overlap,%n  which with %d runs a row happens by chance 1 time in %.0f where nothing changed%n", fewest,
                1 / Stats.chance(fewest, fewest));
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
    static String table(Comparison c) {
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
                String cell = String.format(Locale.ROOT, m.perConnection() ? "%.2f" : tenths ? "%,.1f" : "%,.0f", v);
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
