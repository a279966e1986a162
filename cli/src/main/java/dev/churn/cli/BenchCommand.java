package dev.churn.cli;

import dev.churn.bench.jmh.BenchPreset;
import dev.churn.bench.jmh.BenchSuite;
import dev.churn.bench.jmh.BenchSummary;
import dev.churn.bench.result.OutputPath;
import dev.churn.bench.result.ResultsDirectory;
import dev.churn.bench.tls.TlsVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.runner.options.Options;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code churn bench}: runs churn's JMH suite with a preset and the TCP state profiler attached,
 * writes {@code <out>/<stamp>-bench[-label]/jmh.json} and {@code jmh.log} (JMH's own output), shows
 * one progress line per configuration on standard error and prints a summary table.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the JMH suite (connect/close, burst, CRR, monitor sources) with the TCP state profiler "
                    + "attached, writes JMH's JSON (for JMH Visualizer) and prints score, connect p99 and TIME_WAIT peak.",
            "Progress (configuration n of m, elapsed) goes to standard error; JMH's own output to jmh.log "
                    + "in the run's folder.",
            "JMH options after '--' are passed through and win over the preset, e.g.",
            "  churn bench --preset quick -- -p transport=virtual -i 5"
        })
public final class BenchCommand implements Callable<Integer> {


    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "smoke|quick|full", defaultValue = "quick",
            completionCandidates = OptionConverters.PresetNames.class,
            description = "smoke: seconds, every benchmark once (CI); quick: a few minutes; full: every configuration (hours). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--include", paramLabel = "REGEX", description = "Only benchmarks matching this regex (JMH's include), e.g. ConnectClose.")
    String include;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results", description = "Where the run's directory goes. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--label", paramLabel = "NAME", description = "Appended to the run's directory name (up to " + BenchCommand.MAX_LABEL
            + " letters, digits, . _ -, the first a letter or digit).")
    String label;

    /** The longest --label: the folder, bench-LABEL, follows run's rule of 100. */
    static final int MAX_LABEL = 94;

    @Option(names = "--tls", paramLabel = "VERSION", completionCandidates = OptionConverters.TlsVersions.class,
            description = "Run the TLS benchmark (connect, TLS handshake full and resumed, 1-byte exchange, close, "
                    + "against the built-in sink speaking TLS) with this version: 1.2 or 1.3. Without --include, only "
                    + "that benchmark.")
    String tls;

    @Parameters(paramLabel = "JMH_OPTION", arity = "0..*", description = "JMH command-line options, after '--'.")
    List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        BenchPreset chosen;
        Options opts;
        if (tls != null) {
            // JMH would merge the two into both versions (2 configurations for one --tls): one place says it.
            for (int i = 0; i + 1 < jmhArgs.size(); i++) {
                if (jmhArgs.get(i).equals("-p") && jmhArgs.get(i + 1).startsWith("tls=")) {
                    throw new UsageException("--tls and '-p " + jmhArgs.get(i + 1) + "' after '--' both set the TLS version:"
                            + " give one or the other");
                }
            }
            try {
                jmhArgs.add("-p");
                jmhArgs.add("tls=" + TlsVersion.parse(tls).label());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--tls: " + e.getMessage());
            }
            include = include == null ? "TlsBenchmark" : include;
        }
        if (include != null) {
            try {
                Pattern.compile(include);
            } catch (PatternSyntaxException e) {
                throw new UsageException("--include is not a regular expression: " + e.getDescription());
            }
        }
        try {
            chosen = BenchPreset.named(preset);
            opts = BenchSuite.options(chosen, include, jmhArgs, Path.of("jmh.json")); // refuses bad JMH options before any work
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (BenchSuite.matching(opts).isEmpty()) {
            throw new UsageException("no benchmark matches " + (include != null ? "--include '" + include + "'" : "the JMH includes")
                    + "; there are " + String.join(", ", BenchSuite.available()));
        }
        if (label != null) {
            // The same rule as run's and compare's, 6 characters shorter: the folder is named bench-LABEL, and a
            // folder's name follows the same rule of 100 (a bad label once said "1..100" here).
            RunCommand.usage(() -> ResultsDirectory.checkLabel(label, MAX_LABEL));
        }
        // The folder the run's folder goes in: a bad one is one line and exit 2 now, not JMH's error after a start.
        RunCommand.usage(() -> {
            OutputPath.checkWritable(OutputPath.createFolder(OutputPath.checkFolder(out)));
            return out;
        });
        PrintWriter err = spec.commandLine().getErr();
        StopHook hook = StopHook.install("bench-stop", this::stop);
        BenchSuite.Outcome o;
        try {
            o = BenchSuite.run(chosen, include, jmhArgs, out, label, new PrintStream(new LineStream(err), true, StandardCharsets.UTF_8),
                    r -> running = r);
            // Printed while the hook is still installed: a Ctrl-C as the table goes out waits for it to end (the hook's
            // claim), where before the hook was gone and the JVM ended part way through the table (QA, 2026-12-08).
            once.print(() -> {
                print(o);
                return true;
            });
        } catch (Exception e) {
            if (stopping.get()) {
                // Ctrl-C: the forks died with it and JMH gives up; the hook writes what finished, then the JVM ends.
                Thread.sleep(STOP_WAIT.toMillis());
                return ExitCodes.INTERRUPTED;
            }
            throw e;
        } finally {
            hook.remove();
        }
        if (o.notWritten() != null) {
            err.println(spec.qualifiedName() + ": " + o.notWritten() + "; the table above holds the scores they would have");
            err.flush();
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    /** Ctrl-C's hook: a suite stopped part way keeps the configurations that finished (jmh.json, summary.txt, the table). */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** The table goes out once: from the end of the suite, or from the hook of a Ctrl-C before it. */
    private final PrintOnce once = new PrintOnce();
    private volatile BenchSuite.Running running;

    private void stop() {
        BenchSuite.Running r = running;
        if (r == null) {
            return; // not started yet
        }
        stopping.set(true);
        once.print(() -> { // nothing when the end's table is out: the claim waited for it
            try {
                print(r.stop());
            } catch (IOException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("churn bench: stopped; the finished configurations could not be written: " + e.getMessage());
                err.flush();
            }
            return true;
        });
    }

    private void print(BenchSuite.Outcome o) {
        PrintWriter outWriter = spec.commandLine().getOut();
        outWriter.print(BenchSummary.table(o.rows()));
        outWriter.print(BenchSuite.notes(o.rows()));
        String caution = BenchPreset.named(preset).caution(jmhArgs);
        if (caution != null) {
            outWriter.println("note: " + caution);
        }
        if (o.stopped() != null) {
            outWriter.println("stopped " + o.stopped());
        }
        // Not as if whole when it could not be written (QA, 2026-12-06): the error line below says what became of it.
        outWriter.println("results: " + o.json() + (o.notWritten() != null && o.notWritten().contains(o.json().toString())
                ? " (cut short: see below)" : ""));
        outWriter.println("JMH's log: " + o.log());
        outWriter.flush();
    }

    /** Bytes to a writer, decoded a line at a time so multi-byte characters (±, ≈) stay whole. */
    private static final class LineStream extends OutputStream {
        private final PrintWriter to;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineStream(PrintWriter to) {
            this.to = to;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void flush() {
            to.print(line.toString(StandardCharsets.UTF_8));
            to.flush();
            line.reset();
        }
    }
}
