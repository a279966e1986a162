package dev.churn.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.churn.bench.engine.FailureKind;
import dev.churn.bench.engine.RunCapacity;
import dev.churn.bench.result.AtomicFile;
import dev.churn.bench.result.ResultsDirectory;
import dev.churn.monitor.Sysctls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.profile.ProfilerFactory;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.ProfilerConfig;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs churn's JMH suite through JMH's {@link Runner} with a {@link BenchPreset}, always with
 * {@link TcpStateProfiler} attached, and writes {@code <out>/<stamp>-bench[-label]/jmh.json} (JMH's
 * JSON), {@code jmh.log} (everything JMH prints) and {@code summary.txt}, showing one progress line
 * per configuration meanwhile. What {@code churn bench} and the smoke test call.
 */
public final class BenchSuite {

    /** Every benchmark of the suite. */
    public static final String ALL = "dev\\.churn\\.bench\\.jmh\\..*";

    /** Forks need native access for the netlink source. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";


    /**
     * What a run produced: its directory, JMH's JSON file and log, JMH's results and the summary
     * rows; {@code stopped} is null for a whole suite, else says how far a stopped one got.
     */
    public record Outcome(Path dir, Path json, Path log, Collection<RunResult> results, List<BenchSummary.Row> rows,
            String stopped, String notWritten) {

        /** An outcome whose files were all written. */
        public Outcome(Path dir, Path json, Path log, Collection<RunResult> results, List<BenchSummary.Row> rows,
                String stopped) {
            this(dir, json, log, results, rows, stopped, null);
        }
    }

    /**
     * A suite in progress, handed out before JMH starts: what a Ctrl-C keeps. {@link #stop} writes
     * the configurations that finished as jmh.json (JMH's JSON, each configuration's forks as one)
     * and summary.txt; the configuration cut short is left out.
     */
    public record Running(Path dir, Path json, Path log, BenchProgress progress, List<String> notes) {

        /** Writes what finished and says so; call it once the suite is being stopped. */
        public Outcome stop() throws IOException {
            return keep("was cut short");
        }

        /**
         * Writes what finished, as {@link #stop} does, for a suite that ended early; {@code how} says what
         * became of the configuration in progress ("was cut short", "failed").
         */
        Outcome keep(String how) throws IOException {
            BenchProgress.Snapshot at = progress.freeze();
            List<RunResult> done = at.finished();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream p = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                ResultFormatFactory.getInstance(ResultFormatType.JSON, p).writeOut(done);
            }
            AtomicFile.write(json, bytes.toByteArray(), true); // JMH made it empty at the start
            List<BenchSummary.Row> rows = BenchSummary.rows(done);
            int started = at.started();
            String stopped = String.format(Locale.ROOT, "after %d of %d configurations%s", done.size(), progress.total(),
                    started > done.size() ? "; configuration " + started + " " + how + " and is not in " + json.getFileName() : "");
            AtomicFile.write(dir.resolve("summary.txt"), (BenchSummary.table(rows) + BenchSuite.notes(rows) + suiteNotes(notes)
                    + "stopped " + stopped + "\n").getBytes(StandardCharsets.UTF_8), true);
            return new Outcome(dir, json, log, done, rows, stopped);
        }
    }

    /**
     * JMH runs one suite a machine at a time, by a lock file in the temporary folder shared by every
     * network namespace; a second one failed with JMH's own advice (a JVM flag churn does not
     * document) after its results folder was made, empty (QA, 2026-12-06). Said first, in churn's words.
     */
    static void refuseWhileAnotherRuns() throws RunnerException {
        if (Boolean.getBoolean("jmh.ignoreLock")) {
            return;
        }
        Path lock = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.tryLock()) {
            if (held != null) {
                return;
            }
        } catch (OverlappingFileLockException e) {
            // this JVM holds it: a suite of ours is running
        } catch (IOException e) {
            // JMH then fails on it after the results folder is made, with "Use -Djmh.ignoreLock=true to forcefully
            // continue" (a lock of another user's, a read-only /tmp; QA, 2026-12-06): said here, before anything is made.
            throw new RunnerException("cannot use JMH's lock file " + lock + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "), which keeps two suites from measuring each"
                    + " other: make it writable, or give the JVM another temporary folder (CHURN_JAVA_OPTS="
                    + "-Djava.io.tmpdir=DIR ./churn bench ...)");
        }
        throw new RunnerException("another JMH suite is running on this machine (it holds " + lock + "): two at once"
                + " would measure each other; wait for it to end (CHURN_JAVA_OPTS=-Djmh.ignoreLock=true ./churn bench ..."
                + " runs anyway)");
    }

    /** What the suite said on its first lines (left-out sizes, -f 0), for summary.txt, whose reader did not see them. */
    static String suiteNotes(List<String> notes) {
        StringBuilder b = new StringBuilder();
        notes.forEach(n -> b.append("note: ").append(n).append('\n'));
        return b.toString();
    }

    /** The notes under a table, each line ended, as summary.txt and the command print them. */
    public static String notes(List<BenchSummary.Row> rows) {
        StringBuilder b = new StringBuilder();
        BenchSummary.notes(rows, Sysctls.read()).forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }

    /** The file in the run's directory that holds JMH's own output. */
    public static final String LOG = "jmh.log";

    private BenchSuite() {}

    /**
     * JMH options that churn sets itself, or that make JMH do something else than run, would be
     * dropped without a word: refused instead, each with what to do.
     */
    private static void refuseOptionsChurnOwns(CommandLineOptions user, String include) {
        if (user.getResultFormat().hasValue() || user.getResult().hasValue()) {
            throw new IllegalArgumentException("JMH options -rf and -rff: churn bench writes JMH's JSON itself, "
                    + "to jmh.json in the run's folder");
        }
        if (user.getOutput().hasValue()) {
            throw new IllegalArgumentException("JMH option -o: churn bench writes JMH's own output to "
                    + LOG + " in the run's folder");
        }
        if (user.shouldHelp() || user.shouldList() || user.shouldListWithParams() || user.shouldListProfilers()
                || user.shouldListResultFormats()) {
            throw new IllegalArgumentException("JMH options -h, -l, -lp, -lprof and -lrf are not run through churn bench: "
                    + "'churn bench --help' lists its options, and an unknown --include names the benchmarks");
        }
        if (include != null && !user.getIncludes().isEmpty()) {
            throw new IllegalArgumentException("both --include (--tls sets it) and benchmark patterns after '--' ("
                    + String.join(" ", user.getIncludes()) + "): give one or the other");
        }
    }

    /**
     * JMH options JMH itself accepts at parse time and refuses only once running (a profiler that is not there: exit 1
     * after the run's folder was made), or never (zero-length iterations, whose scores mean nothing): bad input,
     * refused before any work.
     */
    private static void refuseWhatJmhChecksLate(CommandLineOptions user) {
        for (ProfilerConfig p : user.getProfilers()) {
            try {
                ProfilerFactory.getProfilerOrException(p);
            } catch (ProfilerException e) {
                throw new IllegalArgumentException("JMH option -prof " + p.getKlass() + ": " + e.getMessage());
            }
        }
        if (user.getThreadGroups().hasValue() && user.getThreadGroups().get().length > 1) {
            // Groups are for @Group benchmarks, which the suite has none of: -tg 1,1 failed in the first fork ("Harness
            // failed to distribute threads among groups properly", exit 1) after the run's folder was made.
            throw new IllegalArgumentException("JMH option -tg: thread groups are for @Group benchmarks, and the suite has"
                    + " none; -t N runs N benchmark threads");
        }
        if (user.getMeasurementTime().hasValue() && user.getMeasurementTime().get().getTime() <= 0) {
            throw new IllegalArgumentException("JMH option -r: a measurement iteration must last longer than 0");
        }
        if (user.getWarmupTime().hasValue() && user.getWarmupTime().get().getTime() <= 0) {
            throw new IllegalArgumentException("JMH option -w: a warm-up iteration must last longer than 0 (-wi 0 for"
                    + " none)");
        }
    }

    /** JMH's boolean options: each takes a value, "true" or "false" (JMH 1.37 refuses one given alone). */
    private static final List<String> JMH_BOOLEANS = List.of("-foe", "-gc", "-si");

    /**
     * JMH reads any value of its boolean options but "true" as false, so "-gc yes" turns GC between
     * iterations off and "-foe maybe" keeps going on errors, without a word; and a benchmark pattern
     * written after one ("-foe CrrBenchmark") is taken as its value and lost. Refused instead.
     */
    private static void refuseBooleansJmhReadsAsFalse(List<String> jmhArgs) {
        for (int i = 0; i < jmhArgs.size(); i++) {
            String arg = jmhArgs.get(i);
            String option = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0 && JMH_BOOLEANS.contains(arg.substring(0, eq))) {
                option = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (JMH_BOOLEANS.contains(arg) && i + 1 < jmhArgs.size() && !jmhArgs.get(i + 1).startsWith("-")) {
                value = jmhArgs.get(i + 1);
            }
            if (value != null && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("JMH option " + option + " takes true or false, not '"
                        + value + "': JMH would read it as false");
            }
        }
    }

    /**
     * The JMH options for a preset: {@code include} (a regex, null for the whole suite) and any JMH
     * command-line options in {@code jmhArgs}, which win over the preset's values; the JSON result
     * goes to {@code json}. Bad JMH options are an IllegalArgumentException with JMH's message.
     */
    public static Options options(BenchPreset preset, String include, List<String> jmhArgs, Path json) {
        return options(preset, include, jmhArgs, json, note -> {});
    }

    /**
     * As above, telling {@code notes} what the suite left out of the preset's own values (a burst size
     * that needs more descriptors than this process may open, with the closers chosen).
     */
    public static Options options(BenchPreset preset, String include, List<String> jmhArgs, Path json,
                                  Consumer<String> notes) {
        refuseBooleansJmhReadsAsFalse(jmhArgs);
        CommandLineOptions user;
        try {
            user = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            throw new IllegalArgumentException("JMH option: " + e.getMessage());
        } catch (IllegalStateException e) {
            // JMH's parse of -bm throws this one past its own handler: "Unable to parse benchmark mode".
            throw new IllegalArgumentException("JMH option -bm: " + e.getMessage());
        }
        refuseOptionsChurnOwns(user, include);
        refuseWhatJmhChecksLate(user);
        // The builder's own values win over its parent's: set a preset value only where the user gave none.
        ChainedOptionsBuilder b = new OptionsBuilder().parent(user);
        if (include != null) {
            b.include(include);
        } else if (user.getIncludes().isEmpty()) {
            b.include(ALL);
        }
        if (!user.getForkCount().hasValue()) {
            b.forks(preset.forks());
        }
        if (!user.getWarmupIterations().hasValue()) {
            b.warmupIterations(preset.warmups());
        }
        if (!user.getWarmupTime().hasValue()) {
            b.warmupTime(preset.warmupTime());
        }
        if (!user.getMeasurementIterations().hasValue()) {
            b.measurementIterations(preset.iterations());
        }
        if (!user.getMeasurementTime().hasValue()) {
            b.measurementTime(preset.time());
        }
        for (Map.Entry<String, String[]> p : preset.params().entrySet()) {
            if (!user.getParameter(p.getKey()).hasValue()) {
                b.param(p.getKey(), p.getValue());
            }
        }
        // Forks inherit this JVM's arguments (JMH's default), and the benchmarks' @Fork appends native
        // access for plain 'java -jar benchmarks.jar'; where this JVM has it, an empty append replaces
        // the annotation's, or the fork's command line has it twice.
        boolean inherited = !user.getJvmArgs().hasValue()
                && ManagementFactory.getRuntimeMXBean().getInputArguments().contains(NATIVE_ACCESS);
        if (!user.getJvmArgsAppend().hasValue()) {
            if (inherited) {
                b.jvmArgsAppend();
            } else {
                b.jvmArgsAppend(NATIVE_ACCESS);
            }
        }
        if (!user.getTimeout().hasValue()) {
            b.timeout(TimeValue.minutes(2));
        }
        if (!user.shouldFailOnError().hasValue()) {
            b.shouldFailOnError(true);
        }
        boolean profiled = user.getProfilers().stream().anyMatch(p -> p.getKlass().equals(TcpStateProfiler.class.getName()));
        if (!profiled) {
            b.addProfiler(TcpStateProfiler.class);
        }
        Options built = b.resultFormat(ResultFormatType.JSON).result(json.toString()).build();
        List<String> includes = built.getIncludes().isEmpty() ? List.of(ALL) : built.getIncludes();
        Collection<BenchmarkListEntry> selected;
        try {
            selected = BenchmarkList.defaultList().find(silent(), includes, built.getExcludes());
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("JMH include or exclude is not a regular expression: " + e.getDescription()
                    + " in '" + e.getPattern() + "'");
        }
        BenchParams.check(built, selected, BenchmarkList.defaultList().find(silent(), List.of(ALL), List.of()), jmhArgs);
        if (user.getForkCount().hasValue() && user.getForkCount().get() == 0) {
            // One JVM for all: a configuration's TIME_WAIT peak showed the one before it's (1,808 for linger 0, QA 2026-12-06).
            notes.accept("-f 0 runs every configuration in this JVM, one after another: each inherits the JIT state and the"
                    + " TIME_WAIT of those before it (its TIME_WAIT peak may be theirs); JMH's forks keep them apart");
        }
        for (BenchmarkListEntry e : selected) {
            if (!e.getUsername().endsWith("BurstBenchmark.burst") || !e.getParams().hasValue()) {
                continue;
            }
            List<String> ns = valuesOf(built, e, "n");
            int threads = benchmarkThreads(built);
            List<String> fit = BenchParams.burstSizesThatFit(ns, valuesOf(built, e, "closer"), RunCapacity.openFilesLimit(),
                    BenchParams.givenNames(jmhArgs).contains("n"), threads);
            if (fit.size() < ns.size()) {
                // The full preset's closer=client with n=10000 needs 20,256 where the limit is often 20,000: it failed
                // after hours of the suite (QA, 2026-12-06). Left out, said; the rest runs.
                List<String> out = ns.stream().filter(n -> !fit.contains(n)).toList();
                List<String> closers = valuesOf(built, e, "closer");
                List<String> holding = closers.stream().filter(c -> !c.equalsIgnoreCase("server")).toList();
                // JMH crosses every n with every closer: a size closer=client cannot hold goes for closer=server too.
                notes.accept("BurstBenchmark n=" + String.join(",", out) + " left out: " + (holding.isEmpty()
                        ? "its " + threads + " threads each hold every connection"
                        : "with closer=" + String.join(",", holding) + " it holds both ends of each connection"
                        + (threads > 1 ? " in each of its " + threads + " threads" : ""))
                        + ", more descriptors than ulimit -n (" + RunCapacity.openFilesLimit() + ") allows"
                        + (!holding.isEmpty() && holding.size() < closers.size()
                        ? ", and JMH runs every n with every closer, so closer=server's goes too" : "")
                        + "; -p n= sizes of your own are refused instead");
                built = new OptionsBuilder().parent(built).param("n", fit.toArray(String[]::new)).build();
            }
        }
        return built;
    }

    /**
     * The benchmark threads each fork runs (JMH's -t; max is one per CPU): a burst's sockets are each thread's own, so
     * its descriptors are times this.
     */
    static int benchmarkThreads(Options opts) {
        int t = opts.getThreads().orElse(1);
        return t == org.openjdk.jmh.annotations.Threads.MAX ? Runtime.getRuntime().availableProcessors() : Math.max(1, t);
    }

    /** A parameter's values for a benchmark: the options' where given, else its annotation's. */
    private static List<String> valuesOf(Options opts, BenchmarkListEntry e, String name) {
        var given = opts.getParameter(name);
        if (given.hasValue()) {
            return List.copyOf(given.get());
        }
        String[] declared = e.getParams().get().get(name);
        return declared == null ? List.of() : List.of(declared);
    }

    /**
     * The benchmarks these options would run, as {@code Class.method} (sorted, distinct); empty when
     * the includes match nothing. Reads the jar's {@code META-INF/BenchmarkList}, runs nothing.
     */
    public static List<String> matching(Options opts) {
        List<String> includes = opts.getIncludes().isEmpty() ? List.of(ALL) : opts.getIncludes();
        return names(BenchmarkList.defaultList().find(silent(), includes, opts.getExcludes()));
    }

    /** Every benchmark of the suite, as {@code Class.method}, sorted. */
    public static List<String> available() {
        return names(BenchmarkList.defaultList().find(silent(), List.of(ALL), List.of()));
    }

    private static List<String> names(Collection<BenchmarkListEntry> entries) {
        return entries.stream()
                .map(e -> e.getUsername().substring(e.getUsername().lastIndexOf('.', e.getUsername().lastIndexOf('.') - 1) + 1))
                .distinct().sorted().toList();
    }

    private static OutputFormat silent() {
        return OutputFormatFactory.createFormatInstance(new PrintStream(OutputStream.nullOutputStream()), VerboseMode.SILENT);
    }

    /**
     * Runs the suite: one line per configuration (n of m, elapsed, then its score) goes to
     * {@code progress}, JMH's own output to {@code jmh.log}; the results land in a new directory
     * under {@code outRoot}. Throws RunnerException, naming the log, when a benchmark fails.
     */
    public static Outcome run(BenchPreset preset, String include, List<String> jmhArgs, Path outRoot, String label,
                              PrintStream progress) throws RunnerException, IOException {
        return run(preset, include, jmhArgs, outRoot, label, progress, r -> {});
    }

    /** As above, handing the suite in progress to {@code started} first: how a Ctrl-C keeps what finished. */
    public static Outcome run(BenchPreset preset, String include, List<String> jmhArgs, Path outRoot, String label,
                              PrintStream progress, Consumer<Running> started) throws RunnerException, IOException {
        refuseWhileAnotherRuns();
        // A folder of its own even for two runs started in the same second (they once shared one, and the second's
        // jmh.log wiped the first's): the next free suffix, as runs get theirs.
        Path dir = ResultsDirectory.create(outRoot, "bench" + (label == null || label.isBlank() ? "" : "-" + label),
                Instant.now()).path();
        Path json = dir.resolve("jmh.json");
        Path log = dir.resolve(LOG);
        List<String> notes = new ArrayList<>();
        Options opts = options(preset, include, jmhArgs, json, notes::add);
        notes.forEach(n -> progress.println("churn bench: " + n));
        if (preset.caution(jmhArgs) != null) {
            notes.add(preset.caution(jmhArgs)); // said under the table, where the scores are read, and kept in summary.txt
        }
        int total = configurations(opts);
        progress.println("churn bench: " + total + (total == 1 ? " configuration" : " configurations") + "; JMH's log: " + log);
        Collection<RunResult> results;
        try (PrintStream logStream = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            BenchProgress out = new BenchProgress(OutputFormatFactory.createFormatInstance(logStream, VerboseMode.NORMAL),
                    progress, total);
            Running running = new Running(dir, json, log, out, List.copyOf(notes));
            started.accept(running);
            try {
                results = new Runner(opts, out).run();
            } catch (RunnerException e) {
                // A benchmark that fails ends the suite (shouldFailOnError): the configurations before it are
                // kept, as a stopped suite keeps them. JMH had left jmh.json empty: a full preset's hours gone.
                String kept;
                try {
                    Outcome o = running.keep("failed");
                    kept = "; kept the " + o.rows().size() + " that finished in " + json + " (stopped " + o.stopped() + ")";
                } catch (IOException | RuntimeException w) {
                    kept = "; the configurations that finished could not be kept: " + w.getMessage();
                }
                String why = benchmarkError(e);
                throw new RunnerException((e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        + (why == null ? "" : ": " + why) + " (JMH's log: " + log + ")" + kept, e);
            }
        }
        List<BenchSummary.Row> rows = BenchSummary.rows(results);
        // A file that cannot be written loses only itself: the outcome still goes back to be printed. A full disk threw
        // here, and the suite's table was never shown (QA, 2026-12-06: a full preset's hours are in it).
        List<String> notWritten = new ArrayList<>();
        try {
            AtomicFile.write(dir.resolve("summary.txt"), (BenchSummary.table(rows) + notes(rows) + suiteNotes(notes))
                    .getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            notWritten.add(e.getMessage());
        }
        if (!results.isEmpty() && !wholeJson(json)) {
            notWritten.add(json + " is empty or cut short: JMH could not write it whole");
        }
        return new Outcome(dir, json, log, results, rows, null, notWritten.isEmpty() ? null : String.join("; ", notWritten));
    }

    /**
     * What the benchmark itself threw, found inside JMH's wrapping (a fork's error comes back as a suppressed exception
     * of a BenchmarkException), with what a local shortage means; null when there is none. JMH's own message says only
     * "Benchmark caught the exception": a run out of local ports said nothing more outside jmh.log.
     */
    static String benchmarkError(Throwable t) {
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (!t.getClass().getName().startsWith("org.openjdk.jmh.")) {
                String said = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
                return said + shortage(t);
            }
            for (Throwable s : t.getSuppressed()) {
                String found = benchmarkError(s);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String shortage(Throwable t) {
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            switch (FailureKind.classify(t)) {
                case EADDRNOTAVAIL -> {
                    return " (no local port was free for the next connect: net.ipv4.ip_local_port_range, whose ports"
                            + " a client's TIME_WAIT holds)";
                }
                case EMFILE -> {
                    return " (the fork ran out of file descriptors: ulimit -n)";
                }
                default -> { }
            }
        }
        return "";
    }

    // JMH writes jmh.json at the end and says nothing when it cannot: on a full disk it left 4,096 bytes of it.
    private static boolean wholeJson(Path json) {
        try {
            return Files.size(json) > 0 && new ObjectMapper().readTree(json.toFile()) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * How many configurations these options run, as JMH counts them: per matching benchmark, the
     * product of its parameters' value counts (the options' values where given, else the
     * annotation's), times the modes the options ask for.
     */
    static int configurations(Options opts) {
        List<String> includes = opts.getIncludes().isEmpty() ? List.of(ALL) : opts.getIncludes();
        int modes = Math.max(1, opts.getBenchModes().size());
        int total = 0;
        for (BenchmarkListEntry e : BenchmarkList.defaultList().find(silent(), includes, opts.getExcludes())) {
            int n = modes;
            if (e.getParams().hasValue()) {
                for (Map.Entry<String, String[]> p : e.getParams().get().entrySet()) {
                    var given = opts.getParameter(p.getKey());
                    n *= given.hasValue() ? given.get().size() : p.getValue().length;
                }
            }
            total += n;
        }
        return total;
    }
}
