package dev.churn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.compare.CompareRunner;
import dev.churn.bench.compare.Comparison;
import dev.churn.bench.compare.ComparisonJson;
import dev.churn.bench.compare.FinishedRuns;
import dev.churn.bench.compare.Stats;
import dev.churn.bench.compare.Variation;
import dev.churn.bench.result.OutputPath;
import dev.churn.bench.result.ResultsDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
            + "metric trips it 1 time in 252 (it trips on worse only; each metric and row is one more chance).")
    List<String> failIfWorse;

    @Option(names = "--label", paramLabel = "NAME", description = "Name of the comparison folder (default compare).")
    String label = "compare";

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "table (default) or json (comparison.json on standard output).")
    RunCommand.Format format = RunCommand.Format.TABLE;

    @Unmatched
    List<String> runArgs = new ArrayList<>();

    /** --fail-if-worse, parsed when the command starts. */
    private WorseGate gate = WorseGate.NONE;

    @Override
    public Integer call() throws Exception {
        gate = WorseGate.of(failIfWorse);
        // Both were accepted and did nothing, silently (review, 2026-12-07); 'churn run' refuses its --force so too.
        if (force && out == null) {
            throw new UsageException("--force replaces what an earlier comparison left in an --out folder; without --out"
                    + " every comparison gets a new folder, so there is nothing to replace");
        }
        if (noSettle && (finishedRuns != null || !CompareRunner.sharesPorts(runArgs))) {
            throw new UsageException(finishedRuns != null ? "--no-settle is for runs to make; --runs compares runs already made"
                    : "--no-settle: these runs share no ports (no --target or --bind-ports), so none waits for the TIME_WAIT"
                    + " of the run before: drop it");
        }
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
        gate.checkHasRuns(repeat, " (--repeat " + Stats.MIN_REPEATS + ")");
        // Each run reads them again: a pipe gives its content once.
        runArgs = ReadOnce.pipesToFiles(runArgs, spec.commandLine().getErr(), spec.qualifiedName());
        CompareRunner runner = new CompareRunner(configs, repeat, runArgs, Path.of("."));
        for (Map<String, String> c : configs) {
            InProcessRun.validate(runner.argsOf(c), c);
        }
        String name = RunCommand.usage(() -> ResultsDirectory.checkLabel(label));
        // The hook comes before the folder, as a run's does: a Ctrl-C in between left an empty comparison folder.
        StopHook hook = StopHook.install("compare-stop", () -> stopAndAwait(STOP_WAIT));
        if (!hook.installed()) {
            return ExitCodes.INTERRUPTED; // Ctrl-C came first: the JVM is ending, and nothing was run or made
        }
        ResultsDirectory dir;
        try {
            dir = OutFolder.open(out, force, name);
        } catch (IOException | RuntimeException e) {
            written.countDown();
            hook.remove();
            throw e;
        }
        PrintWriter err = spec.commandLine().getErr();
        // A plan first: the first line came only when the first run ended, and a 5-minute --duration said nothing
        // for five minutes, nor how many there would be (QA, 2026-12-06).
        err.println(plan(runner.totalRuns(), configs.size(), repeat, runArgs, variations) + settlePlan(runArgs, noSettle));
        err.flush();
        try {
            Comparison c = new CompareRunner(configs, repeat, runArgs, dir.path(), !noSettle)
                    .run((args, runDir, runLabel) -> InProcessRun.run(args, runDir, runLabel, force, this::started),
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
        gate.checkHasRuns(groups.stream().mapToInt(List::size).min().orElse(0), "");
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
            o.print(ComparisonTable.render(ComparisonJson.fromJson(ComparisonJson.toJson(c), c.resultsDir())));
        }
        o.flush();
        if (notWritten != null) {
            throw new IOException(notWritten.getMessage() + "; the comparison is printed above, and "
                    + (c.order() == Comparison.Order.SEPARATE ? "the runs it read are where they were" : "its runs are kept in "
                    + c.resultsDir()) + ": " + rebuild(c), notWritten);
        }
        if (stopped == null) {
            return gate.exitCode(c, err);
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
        // Or the JVM is ending and this hook has yet to say so: a run whose own hook came too late ends unmade, and
        // the comparison reads that as the stop it is, not as a failed run.
        return stopRequested || StopHook.stopping();
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
}
