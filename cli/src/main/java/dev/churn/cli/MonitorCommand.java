package dev.churn.cli;

import dev.churn.monitor.AddressFamily;
import dev.churn.monitor.NotATcpTableException;
import dev.churn.monitor.ProcNetTcpSource;
import dev.churn.monitor.Sample;
import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.SockstatReader;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.StateSampler;
import dev.churn.monitor.StateSeries;
import dev.churn.monitor.StateSource;
import dev.churn.monitor.StateSources;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code churn monitor}: counts TCP sockets per state on chosen ports, once or at an interval, as a
 * live table, JSON lines or CSV. Samples come from a {@link StateSampler}; output goes to the
 * command's writer or to {@code --out}, written under a temporary name and renamed when complete.
 */
@Command(
        name = "monitor",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Counts TCP sockets per state (ESTABLISHED, TIME_WAIT, CLOSE_WAIT, ...) on chosen ports, "
                    + "as the kernel reports them, once or at an interval.",
            "",
            "Examples:",
            "  churn monitor --port 8080                    live table until Ctrl-C",
            "  churn monitor --port 8080 --once --format json",
            "  churn monitor --port 8080 --interval 200ms --duration 1m --format csv --out s.csv",
            ""
        })
public final class MonitorCommand implements Callable<Integer> {

    /** What the samples are written as. */
    public enum Format {
        TABLE,
        JSON,
        CSV
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", converter = PortConverter.class,
            description = "Count sockets whose local or remote port is P (1..65535). Repeat for more ports. "
                    + "Without --port every TCP socket of the machine is counted (all ports).")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--source", paramLabel = "KIND",
            description = "auto, netlink, proc or oshi (default auto: netlink on Linux, proc with --proc-root, "
                    + "oshi elsewhere).")
    SourceKind source = SourceKind.AUTO;

    @Option(names = "--interval", paramLabel = "DUR", converter = DurationConverter.class, defaultValue = "1s",
            description = "Time between samples, e.g. 200ms, 1s, 1.5s (units ns, us, ms, s, m, h; default 1s).")
    Duration interval;

    @Option(names = "--duration", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 30s or 10m (default: until Ctrl-C).")
    Duration duration;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N samples.")
    Integer count;

    @Option(names = "--once", description = "Take one sample, print it and exit.")
    boolean once;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "table (live view), json (one object per sample per line) or csv "
                    + "(header, then one row per sample); default table.")
    Format format = Format.TABLE;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write to FILE instead of standard output (complete when the command ends).")
    Path out;

    @Option(names = "--proc-root", paramLabel = "DIR",
            description = "Where the kernel's proc files are (default /proc; e.g. /host/proc in a container). "
                    + "With --source auto it selects the proc source; other sources do not read it (refused). "
                    + "A DIR whose net/tcp or net/tcp6 is not a TCP table is refused (exit 2); malformed rows "
                    + "are skipped and their number printed as a warning.")
    Path procRoot;

    @Option(names = "--family", paramLabel = "FAMILY", description = "all, ipv4 or ipv6 (default all).")
    AddressFamily family = AddressFamily.ALL;

    private final Object finishLock = new Object();
    private boolean finished;

    @Override
    public Integer call() throws Exception {
        validate();
        Path root = procRoot == null ? StateSources.DEFAULT_PROC_ROOT : procRoot;
        SocketFilter filter = SocketFilter.ports(ports).withFamily(family);
        SourceKind kind = StateSources.resolve(source, root);
        try (StateSource src = openSource(kind, root); Output output = Output.open(out, spec.commandLine().getOut())) {
            Emitter emitter = new Emitter(output, new StateTableView(src.kind(), filter, interval), limit(),
                    format == Format.TABLE && out == null && stdoutIsTerminal());
            StateSampler sampler = StateSampler.builder(src, filter)
                    .interval(interval)
                    .sockstat(sockstatProbe(root))
                    .listener(emitter::emit)
                    .onStretch(this::noteStretch)
                    .build();
            emitter.bind(sampler.series(), format);
            if (once) {
                sampler.sampleNow();
                output.commit();
                warnMalformed(src, root, sampler.series());
                return ExitCodes.OK;
            }
            int code = stream(sampler, emitter, output);
            warnMalformed(src, root, sampler.series());
            return code;
        }
    }

    private void validate() {
        if (count != null && count < 1) {
            throw new UsageException("--count: '" + count + "' must be at least 1");
        }
        if (once && (count != null || duration != null)) {
            throw new UsageException("--once: takes one sample, so it cannot be combined with --count or --duration");
        }
        if (procRoot != null && source != SourceKind.AUTO && source != SourceKind.PROC) {
            // netlink asks this namespace's kernel and OSHI reads /proc itself: neither would read DIR
            throw new UsageException("--proc-root: only the proc source reads it; drop --source " + source.label()
                    + " or use --source proc");
        }
        if (procRoot != null && !Files.isRegularFile(procRoot.resolve("net").resolve("tcp"))) {
            throw new UsageException("--proc-root: '" + procRoot + "' is not a proc directory (no net/tcp in it)");
        }
        if (procRoot != null) {
            checkTables(procRoot);
        }
        if (out != null) {
            Path dir = out.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new UsageException("--out: the directory of '" + out + "' does not exist");
            }
            if (Files.isDirectory(out)) {
                throw new UsageException("--out: '" + out + "' is a directory, not a file");
            }
        }
    }

    // Once, on the sampling thread, as soon as the sampler knows the interval cannot be kept.
    private void noteStretch(StateSampler.Stretch stretch) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": note: --interval " + DurationConverter.format(interval)
                + " cannot be kept: " + stretch.describe());
        err.flush();
    }

    // Nonsense under DIR is the user's input (exit 2), found before any output is written; an empty
    // table with its header is fine: no sockets.
    private static void checkTables(Path root) {
        try (ProcNetTcpSource probe = new ProcNetTcpSource(root)) {
            probe.count(SocketFilter.ALL);
        } catch (NotATcpTableException e) {
            throw new UsageException("--proc-root: " + e.getMessage());
        } catch (IOException e) {
            throw new UsageException("--proc-root: cannot read '" + root + "': " + e.getMessage());
        }
    }

    // Rows skipped as malformed are worth one line: the counts left them out.
    private void warnMalformed(StateSource src, Path root, StateSeries series) {
        if (src instanceof ProcNetTcpSource proc && proc.malformedLines() > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": warning: " + proc.malformedLines() + " malformed lines of "
                    + root.resolve("net") + "/tcp and tcp6 were skipped, not counted (over "
                    + series.samplesTaken() + " sample(s))");
            err.flush();
        }
    }

    // sockstat is Linux's; where the proc root has none, samples carry Sockstat.UNKNOWN.
    private static StateSampler.SockstatProbe sockstatProbe(Path root) {
        if (!Files.isReadable(root.resolve("net").resolve("sockstat"))) {
            return StateSampler.SockstatProbe.NONE;
        }
        return new SockstatReader(root)::read;
    }

    private static StateSource openSource(SourceKind kind, Path root) throws IOException {
        try {
            return StateSources.open(kind, root);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException("cannot open the " + kind.label() + " source: " + e.getMessage(), e);
        }
    }

    private long limit() {
        return once ? 1 : count == null ? Long.MAX_VALUE : count;
    }

    // Samples until --duration, --count, a broken output or Ctrl-C; the shutdown hook finishes the
    // output (flush, rename) when Ctrl-C ends the JVM while this thread still waits.
    private int stream(StateSampler sampler, Emitter emitter, Output output) throws IOException, InterruptedException {
        Thread hook = Thread.ofPlatform().name("churn-monitor-finish").unstarted(() -> finish(sampler, output));
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            sampler.start();
            if (duration == null) {
                emitter.done.await();
            } else {
                emitter.done.await(duration.toNanos(), TimeUnit.NANOSECONDS);
            }
            finish(sampler, output);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or has run: it finishes the output.
            }
        }
        StateSeries series = sampler.series();
        if (series.samplesTaken() == 0 && series.errorCount() > 0) {
            throw new IOException("sampling failed: " + series.firstError().orElse("unknown error"));
        }
        if (series.errorCount() > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": warning: " + series.errorCount() + " sampling errors, the first: "
                    + series.firstError().orElse("unknown error"));
            err.flush();
        }
        return ExitCodes.OK;
    }

    private void finish(StateSampler sampler, Output output) {
        synchronized (finishLock) {
            if (finished) {
                return;
            }
            finished = true;
            sampler.stop();
            try {
                output.commit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** True when standard output is an interactive terminal, where the table redraws in place. */
    static boolean stdoutIsTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Turns each sample into output in the chosen format; runs on the sampling thread. */
    private static final class Emitter {
        private final Output output;
        private final StateTableView view;
        private final long limit;
        private final boolean redraw;
        private final ArrayDeque<Sample> recent = new ArrayDeque<>();
        final CountDownLatch done = new CountDownLatch(1);
        private StateSeries series;
        private Format format;
        private long emitted;

        Emitter(Output output, StateTableView view, long limit, boolean redraw) {
            this.output = output;
            this.view = view;
            this.limit = limit;
            this.redraw = redraw;
        }

        void bind(StateSeries s, Format f) throws IOException {
            this.series = s;
            this.format = f;
            switch (f) {
                case CSV -> output.line(StateSeries.CSV_HEADER);
                case TABLE -> {
                    if (!redraw && limit != 1) {
                        output.line(view.title());
                    }
                }
                case JSON -> {}
            }
            output.flush();
        }

        void emit(Sample s) {
            if (emitted >= limit) {
                return; // the final sample stop() takes after --count was reached
            }
            emitted++;
            try {
                write(s);
                output.flush();
            } catch (IOException e) {
                done.countDown();
                throw new UncheckedIOException("cannot write the output: " + e.getMessage(), e);
            }
            if (emitted >= limit || output.broken()) {
                done.countDown();
            }
        }

        private void write(Sample s) throws IOException {
            switch (format) {
                case JSON -> series.writeJsonLine(s, output.writer());
                case CSV -> StateSeries.writeCsvRow(s, output.writer());
                case TABLE -> {
                    recent.addLast(s);
                    long horizon = s.elapsedNanos() - StateTableView.HISTORY.toNanos();
                    while (recent.getFirst().elapsedNanos() < horizon) {
                        recent.removeFirst();
                    }
                    List<Sample> history = List.copyOf(recent);
                    if (redraw) {
                        output.writer().write(StateTableView.redrawInPlace(
                                view.render(s, history, series.peaks(), series.errorCount(), true)));
                    } else if (limit == 1) {
                        output.writer().write(view.render(s, history, series.peaks(), series.errorCount(), false));
                    } else {
                        output.line(view.renderLine(s, history));
                    }
                }
            }
        }
    }

    /** Where output goes: the command's writer, or a temporary file renamed to --out on commit. */
    private static final class Output implements AutoCloseable {
        private final Writer writer;
        private final Path target;
        private final Path temp;
        private boolean committed;

        private Output(Writer writer, Path target, Path temp) {
            this.writer = writer;
            this.target = target;
            this.temp = temp;
        }

        static Output open(Path target, PrintWriter stdout) throws IOException {
            if (target == null) {
                return new Output(stdout, null, null);
            }
            Path dir = target.toAbsolutePath().getParent();
            // Beside the target so the rename stays on one file system; created like any file (umask),
            // not with createTempFile's owner-only permissions, which the renamed file would keep.
            Path temp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            return new Output(w, target, temp);
        }

        Writer writer() {
            return writer;
        }

        void line(String s) throws IOException {
            writer.write(s);
            writer.write('\n');
        }

        void flush() throws IOException {
            writer.flush();
        }

        // A PrintWriter hides write errors: a closed pipe (| head) must still end the stream.
        boolean broken() {
            return writer instanceof PrintWriter p && p.checkError();
        }

        /** Flushes, and for a file closes it and renames it into place. */
        void commit() throws IOException {
            if (committed) {
                return;
            }
            committed = true;
            if (temp == null) {
                writer.flush();
                return;
            }
            writer.close();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        /** Without a commit (a failure), the partial temporary file is removed. */
        @Override
        public void close() throws IOException {
            if (temp != null && !committed) {
                writer.close();
                Files.deleteIfExists(temp);
            }
        }
    }
}
