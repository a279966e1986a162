package dev.churn.cli;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.PortRange;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.engine.ChurnEngine;
import dev.churn.bench.engine.RunResult;
import dev.churn.bench.engine.RunSpec;
import dev.churn.bench.result.Environment;
import dev.churn.bench.result.ResultCollector;
import dev.churn.bench.result.ResultsDirectory;
import dev.churn.bench.result.ResultsWriter;
import dev.churn.bench.result.RunRecord;
import dev.churn.bench.result.SummaryJson;
import dev.churn.monitor.KernelCounters;
import dev.churn.monitor.SockstatReader;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.StateSeries;
import dev.churn.monitor.StateSource;
import dev.churn.monitor.StateSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code churn run}: opens and closes connections as fast as the scenario says, against the
 * built-in loopback sink or --target, while sampling the kernel's TCP states on the run's ports;
 * writes a results folder (summary.json, latency.hlog, one .hgrm per phase, states.csv) and prints
 * a summary table, or the summary JSON with {@code --format json}. Ctrl-C stops the run and still
 * writes complete files.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measures what opening and closing TCP connections costs, and what the kernel keeps behind "
                    + "(TIME_WAIT, CLOSE_WAIT, ...).",
            "",
            "Examples:",
            "  churn run                                     5000 connections, one at a time, client closes",
            "  churn run --closer server --concurrency 8 --duration 10s",
            "  churn run --linger 0 --rate 2000 --duration 30s --label abortive",
            "  churn run --target 127.0.0.1:8080 --connections 1000 --format json",
            "",
            "Latencies are in microseconds. Exit code 0 when the run completed (failures are counted and "
                    + "reported), 1 when --max-failures ended it, 2 on bad input."
        })
public final class RunCommand implements Callable<Integer> {

    /** What the command prints on standard output at the end. */
    public enum Format {
        TABLE,
        JSON
    }

    /** Connections when neither --connections nor --duration is given. */
    static final long DEFAULT_CONNECTIONS = 5000;
    /** Cycles in flight at most in an open loop when --concurrency is not given. */
    static final int DEFAULT_MAX_IN_FLIGHT = 1000;
    /** How long Ctrl-C waits for the results to be written before the JVM exits anyway. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Mixin
    SinkOptions sink = new SinkOptions();

    @Option(names = "--transport", paramLabel = "KIND", converter = OptionConverters.Transport.class,
            description = "blocking (java.net.Socket), nio (SocketChannel), selector (non-blocking, one Selector), "
                    + "virtual (virtual threads) or raw (socket/connect/close system calls through FFM, no JDK "
                    + "socket layer: the kernel's cost alone); default blocking.")
    TransportKind transport = TransportKind.BLOCKING;


    @Option(names = "--linger", paramLabel = "off|0|SECONDS", converter = OptionConverters.LingerValue.class,
            description = "SO_LINGER on the client: off (default), 0 (abortive close, RST) or seconds.")
    Linger linger = Linger.OFF;

    @Option(names = "--reuse-addr", description = "Set SO_REUSEADDR.")
    boolean reuseAddr;



    @Option(names = "--no-delay", description = "Set TCP_NODELAY.")
    boolean noDelay;

    @Option(names = "--rcvbuf", paramLabel = "BYTES", converter = OptionConverters.NonNegativeInt.class,
            description = "SO_RCVBUF (default 0: the kernel's).")
    int rcvBuf;

    @Option(names = "--sndbuf", paramLabel = "BYTES", converter = OptionConverters.NonNegativeInt.class,
            description = "SO_SNDBUF (default 0: the kernel's).")
    int sndBuf;


    @Option(names = "--ipv6", description = "Use IPv6 loopback (::1) for the built-in sink.")
    boolean ipv6;

    @Option(names = "--bind-ports", paramLabel = "FROM-TO", converter = OptionConverters.Ports.class,
            description = "Bind each client to a local port from this range before connecting.")
    PortRange bindPorts;

    @Option(names = "--concurrency", paramLabel = "C", converter = OptionConverters.PositiveInt.class,
            description = "Cycles at once (closed loop; default 1). With --rate: the most in flight "
                    + "(default " + DEFAULT_MAX_IN_FLIGHT + ").")
    Integer concurrency;

    @Option(names = "--rate", paramLabel = "R", converter = OptionConverters.Rate.class,
            description = "Open loop: start R connections per second on schedule; latency counts from the "
                    + "intended start (coordinated omission corrected).")
    Double rate;

    @Option(names = "--connections", paramLabel = "N", converter = OptionConverters.PositiveLong.class,
            description = "Measured connections (default " + DEFAULT_CONNECTIONS + " when no --duration).")
    Long connections;

    @Option(names = "--duration", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Measure for this long, e.g. 30s or 5m (with --connections: whichever comes first).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "DUR", converter = DurationConverter.NonNegative.class,
            description = "Run this long first without measuring, so the JIT has compiled the hot paths "
                    + "(default 0s: every cycle counts, the first ones at interpreter speed; 1s or more gives "
                    + "steady-state numbers).")
    Duration warmup = Duration.ZERO;



    @Option(names = "--target", paramLabel = "HOST:PORT", converter = OptionConverters.Target.class,
            description = "Connect to this server instead of the built-in sink (e.g. a 'churn serve').")
    InetSocketAddress target;

    @Option(names = "--connect-timeout", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Give up a connect (or a read) after this long (default 5s).")
    Duration connectTimeout;

    @Option(names = "--max-failures", paramLabel = "N", converter = OptionConverters.NonNegativeLong.class,
            description = "Stop the run after N failures, exit code 1 (default 0: never).")
    long maxFailures;

    @Option(names = "--source", paramLabel = "KIND", converter = OptionConverters.Source.class,
            description = "Where TCP states come from: auto, netlink, proc or oshi (default auto).")
    SourceKind source = SourceKind.AUTO;

    @Option(names = "--interval", paramLabel = "DUR", converter = DurationConverter.class, defaultValue = "100ms",
            description = "Time between state samples (default 100ms).")
    Duration interval;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write the results here (default results/<yyyyMMdd-HHmmss>-<label>/).")
    Path out;

    @Option(names = "--force", description = "With --out: replace the churn files (summary.json, latency.hlog, "
            + "states.csv, <phase>.hgrm, ...) an earlier run left in that folder; without it such a folder is refused.")
    boolean force;

    @Option(names = "--label", paramLabel = "NAME",
            description = "Name of the run in its folder and summary (default <transport>-<closer>-c<C> or -r<R>).")
    String label;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "table (default) or json (the summary.json on standard output, nothing else).")
    Format format = Format.TABLE;

    @Option(names = "--no-progress", description = "No progress on standard error.")
    boolean noProgress;

    /** Stops the run from the shutdown hook (Ctrl-C) or a test, on one path. */
    final RunStopper stopper = new RunStopper();

    @Override
    public Integer call() throws Exception {
        RunSpec runSpec = runSpec();
        String name = label == null ? defaultLabel(runSpec) : usage(() -> ResultsDirectory.checkLabel(label));
        Environment env = Environment.capture();
        Path proc = StateSources.DEFAULT_PROC_ROOT;
        ResultsDirectory dir = out == null
                ? ResultsDirectory.create(ResultsDirectory.DEFAULT_ROOT, name, Instant.now())
                : usage(() -> ResultsDirectory.at(out, force));
        Thread hook = Thread.ofPlatform().name("churn-run-stop").unstarted(() -> stopper.stopAndAwait(STOP_WAIT));
        Runtime.getRuntime().addShutdownHook(hook);
        boolean wrote = false;
        try (StateSource states = openSource(proc)) {
            KernelCounters before = KernelCounters.read(proc);
            StateWatch watch = new StateWatch(states, interval, new SockstatReader(proc)::read);
            ResultCollector collector = new ResultCollector(dir, name);
            RunProgress progress = new RunProgress(RunProgress.choose(noProgress), spec.commandLine().getErr(),
                    watch::timeWaitNow);
            CompositeListener listeners = new CompositeListener(watch, collector, progress, stopper);
            ChurnEngine engine = new ChurnEngine(runSpec);
            stopper.attach(engine);
            RunResult result;
            StateSeries series;
            try {
                result = engine.run(listeners);
            } finally {
                series = watch.stop();
                collector.close();
                progress.close();
            }
            KernelCounters delta = KernelCounters.read(proc).minus(before);
            RunRecord record = new RunRecord(name, result, series, delta.values(), env);
            IOException notSaved = null;
            try {
                ResultsWriter.write(dir, record, collector);
                wrote = true;
            } catch (IOException e) {
                notSaved = e; // the summary still goes to standard output below: the run is not lost
            }
            if (listeners.failure() != null) {
                warn("a run listener failed: " + listeners.failure());
            }
            print(record, dir);
            if (notSaved != null) {
                throw notSaved;
            }
            return result.endReason() == RunResult.EndReason.TOO_MANY_FAILURES ? ExitCodes.FAILURE : ExitCodes.OK;
        } finally {
            if (!wrote) {
                removeIfEmpty(dir.path());
            }
            stopper.done();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waited for the results written above.
            }
        }
    }

    /** The run as the options describe it; what the options cannot express together is a usage error. */
    RunSpec runSpec() throws IOException {
        return usage(() -> {
            // An abortive close is SO_LINGER 0 by definition: say so in the scenario, refuse a contradiction.
            if (sink.closer == Closer.ABORT && linger.enabled() && linger.seconds() != 0) {
                throw new IllegalArgumentException("--closer abort closes with SO_LINGER 0; --linger " + linger
                        + " contradicts it (use --closer client --linger " + linger + ")");
            }
            Linger effective = sink.closer == Closer.ABORT ? Linger.ABORT : linger;
            SocketConfig socket = new SocketConfig(effective, reuseAddr, sink.reusePort, sink.listeners, noDelay, rcvBuf, sndBuf,
                    sink.backlog, ipv6, bindPorts);
            Load load = rate == null
                    ? new Load.Closed(concurrency == null ? 1 : concurrency)
                    : new Load.Open(rate, concurrency == null ? DEFAULT_MAX_IN_FLIGHT : concurrency);
            long n = connections != null ? connections : duration == null ? DEFAULT_CONNECTIONS : 0;
            return new RunSpec(transport, socket, sink.closer, load, n, duration, warmup, sink.requestBytes, sink.responseBytes,
                    target, connectTimeout, maxFailures);
        });
    }

    static String defaultLabel(RunSpec s) {
        String load = switch (s.load()) {
            case Load.Closed c -> "c" + c.concurrency();
            case Load.Open o -> "r" + (o.ratePerSecond() == Math.rint(o.ratePerSecond())
                    ? Long.toString((long) o.ratePerSecond())
                    : String.format(Locale.ROOT, "%.2f", o.ratePerSecond()));
        };
        return s.transport().label() + "-" + s.closer().label() + "-" + load;
    }

    private StateSource openSource(Path proc) throws IOException {
        try {
            return StateSources.open(source, proc);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException("--source " + source.label() + ": cannot count TCP states here: " + e.getMessage(), e);
        }
    }

    // From the record, not the saved file, so it reaches the user even when the file could not be written.
    private void print(RunRecord record, ResultsDirectory dir) {
        PrintWriter o = spec.commandLine().getOut();
        if (format == Format.JSON) {
            o.println(SummaryJson.toPrettyString(record));
        } else {
            o.print(SummaryTable.render(SummaryJson.toJson(record), dir.path()));
        }
        o.flush();
    }

    private void warn(String what) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": warning: " + what);
        err.flush();
    }

    // A run that failed before writing anything leaves no empty folder behind.
    private static void removeIfEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isEmpty()) {
                Files.delete(dir);
            }
        } catch (IOException e) {
            // leaving an empty folder is harmless
        }
    }

    /** Something that checks user input and may throw IllegalArgumentException. */
    @FunctionalInterface
    interface Check<T> {
        T get() throws IOException;
    }

    /** Runs a check, turning IllegalArgumentException into a one-line usage error (exit 2). */
    static <T> T usage(Check<T> c) throws IOException {
        try {
            return c.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
