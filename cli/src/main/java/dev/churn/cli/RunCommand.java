package dev.churn.cli;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Layers;
import dev.churn.bench.config.Linger;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.PortRange;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.control.JoinClient;
import dev.churn.bench.control.SinkTerms;
import dev.churn.bench.engine.AutoWarmup;
import dev.churn.bench.engine.ChurnEngine;
import dev.churn.bench.engine.RunCapacity;
import dev.churn.bench.engine.RunListener;
import dev.churn.bench.engine.RunResult;
import dev.churn.bench.engine.RunSpec;
import dev.churn.bench.engine.StartGate;
import dev.churn.bench.http.HttpRequest;
import dev.churn.bench.result.CommandArgs;
import dev.churn.bench.result.Environment;
import dev.churn.bench.result.ResultCollector;
import dev.churn.bench.result.ResultsDirectory;
import dev.churn.bench.result.ResultsWriter;
import dev.churn.bench.result.RunRecord;
import dev.churn.bench.result.SummaryJson;
import dev.churn.bench.server.HttpHead;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.tls.ClientTls;
import dev.churn.bench.tls.PasswordSource;
import dev.churn.bench.tls.ServerIdentity;
import dev.churn.bench.tls.ServerTls;
import dev.churn.bench.tls.TlsClientConfig;
import dev.churn.bench.tls.TlsKeyType;
import dev.churn.bench.tls.TlsVersion;
import dev.churn.bench.tls.TrustStoreFile;
import dev.churn.monitor.AddressText;
import dev.churn.monitor.CgroupCpu;
import dev.churn.monitor.CgroupMemory;
import dev.churn.monitor.CompilerCpu;
import dev.churn.monitor.KernelCounters;
import dev.churn.monitor.LoadReading;
import dev.churn.monitor.SockstatReader;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.StateSeries;
import dev.churn.monitor.StateSource;
import dev.churn.monitor.StateSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
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
            "  churn run --tls 1.3 --response 100            TLS 1.3, the handshake timed as phase 'tls'",
            "  churn run --tls --tls-resume --http / --target 127.0.0.1:8443 --truststore cert.pem",
            "  churn run --target server:9000 --join --clients 3 --duration 60s",
            "                                                one of 3 hosts started together by 'churn serve',",
            "                                                which merges their results",
            "",
            "Latencies are in microseconds. Phases: connect (the connect() call, TCP's handshake), tls (--tls: "
                    + "ClientHello to Finished), accept (built-in sink only: "
                    + "the accept-queue wait, from the client's connect() return to the sink's accept() return; "
                    + "it shows how far the sink lags, not what a connection costs), first_byte, close, and cycle "
                    + "(the whole cycle; in an open loop from its intended start).",
            "",
            "Exit codes: 0 when connections completed (failures are counted and reported), 1 when none "
                    + "completed, --max-failures ended the run, the results could not be written (the table is "
                    + "still printed) or (--join) the results did not reach the server (a server gone mid-run stops "
                    + "the run; the results stay in --out), 2 on bad input, 130 when stopped by Ctrl-C and 143 by "
                    + "SIGTERM (the files written are complete)."
        })
public final class RunCommand implements Callable<Integer> {

    /** What the command prints on standard output at the end. */
    public enum Format {
        TABLE,
        JSON
    }

    /** Connections when neither --connections nor --duration is given. */
    static final long DEFAULT_CONNECTIONS = 5000;
    /** The shortest --duration: the measured part's threads take milliseconds to start their first cycles. */
    static final Duration MIN_DURATION = Duration.ofMillis(100);
    /** Cycles in flight at most in an open loop when --concurrency is not given. */
    static final int DEFAULT_MAX_IN_FLIGHT = 1000;
    /**
     * The warm-up when --warmup is not given, with the built-in sink (see {@link #defaultWarmup}): 5 s,
     * about when the JIT's compiling settles on a 2-core machine (-XX:+PrintCompilation: hundreds of
     * methods a half second for 1.5 s, then a trickle until about 5 s). A 1 s warm-up left the default
     * run at 0.73 of the rate after a 10 s one, 5 s at 0.95 (docs/performance.md). The test suite
     * shortens it with -Dchurn.run.defaultWarmup, to keep the build fast.
     */
    static final Duration DEFAULT_WARMUP = defaultWarmupFrom(System.getProperty("churn.run.defaultWarmup"));
    /** How long Ctrl-C waits for the results to be written before the JVM exits anyway. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Mixin
    SinkOptions sink = new SinkOptions();

    @Option(names = "--transport", paramLabel = "KIND", converter = OptionConverters.Transport.class,
            description = "blocking (java.net.Socket), nio (SocketChannel), selector (non-blocking, on "
                    + "--threads Selector loops), "
                    + "virtual (virtual threads), raw (socket/connect/close system calls through FFM, no JDK "
                    + "socket layer: the kernel's cost alone) or epoll (non-blocking system calls through FFM "
                    + "on --threads epoll loops: selector without java.nio, the shape of neper's tcp_crr); "
                    + "default blocking.")
    TransportKind transport = TransportKind.BLOCKING;

    @Option(names = "--threads", paramLabel = "N", converter = OptionConverters.PositiveInt.class,
            description = "With --transport selector or epoll: N event loops, each on its own thread with its share of "
                    + "--concurrency (default: one per available processor, at most --concurrency). Refused for the "
                    + "other transports, which run a thread (or a virtual thread) per connection.")
    Integer threads;

    @Mixin
    TlsOptions tls = new TlsOptions();

    @Mixin
    JoinOptions joining = new JoinOptions();

    @Option(names = "--tls-resume", description = "With --tls: resume sessions (TLS 1.3 PSK, TLS 1.2 session tickets or IDs) "
            + "after the first full handshake; the summary gives the share of handshakes that resumed. Without it every "
            + "connection pays a full handshake. TLS 1.3 sends its tickets after the handshake, so it needs a connection "
            + "that reads them: a --response, --http, or --closer half or server (refused otherwise).")
    boolean tlsResume;

    @Option(names = "--insecure", description = "With --tls and --target: accept any certificate (as curl -k). The built-in "
            + "sink's own certificate is always trusted.")
    boolean insecure;

    @Option(names = "--truststore", paramLabel = "FILE", description = "With --tls and --target: trust the certificates in "
            + "FILE (PEM, as openssl writes them, or a PKCS12/JKS keystore) instead of the JDK's CAs.")
    Path truststore;

    @Option(names = "--truststore-password", paramLabel = "SPEC", description = "The --truststore keystore's password, "
            + "as openssl's -passin takes it: pass:TEXT, env:VAR or file:PATH (first line). env: and file: keep it out "
            + "of ps. Never recorded in the results.")
    String truststorePassword;

    @Option(names = "--http", paramLabel = "PATH", description = "Send an HTTP/1.1 'GET PATH' with Connection: close on every "
            + "connection and read the response: first_byte ends when the status line arrives, a status other than 2xx "
            + "is a failure (http_status), and so is an answer that is no whole HTTP/1.x response (http_response). The "
            + "built-in sink answers 200 with a body of --response bytes.")
    String http;

    @Option(names = "--linger", paramLabel = "off|0|SECONDS", converter = OptionConverters.LingerValue.class,
            description = "SO_LINGER on the client: off (default), 0 (abortive close, RST) or seconds.")
    Linger linger = Linger.OFF;

    @Option(names = "--reuse-addr", description = "Set SO_REUSEADDR on the client's sockets before they bind: with "
            + "--bind-ports a port still in TIME_WAIT can be bound again; without it connect() picks its own ports and "
            + "this changes nothing. (Listeners always set it.)")
    boolean reuseAddr;



    // The built-in sink's sockets get them too (QA, 2026-12-06: strace showed both ends; the help named neither).
    @Option(names = "--no-delay", description = "Set TCP_NODELAY on the client's sockets and the built-in sink's.")
    boolean noDelay;

    @Option(names = "--rcvbuf", paramLabel = "BYTES", converter = OptionConverters.NonNegativeInt.class,
            description = "SO_RCVBUF on the client's sockets and the built-in sink's listeners, whose connections inherit "
                    + "it (default 0: the kernel's). The kernel keeps twice the value; one it would hold to "
                    + "net.core.rmem_max or its floor is refused.")
    int rcvBuf;

    @Option(names = "--sndbuf", paramLabel = "BYTES", converter = OptionConverters.NonNegativeInt.class,
            description = "SO_SNDBUF on the client's sockets and the built-in sink's (default 0: the kernel's; as "
                    + "--rcvbuf, net.core.wmem_max).")
    int sndBuf;


    @Option(names = "--ipv6", description = "Use IPv6 loopback (::1) for the built-in sink (with --target, the address gives the family).")
    boolean ipv6;

    @Option(names = "--bind-ports", paramLabel = "FROM-TO", converter = OptionConverters.Ports.class,
            description = "Bind each client to a local port from this range before connecting: the next free one, "
                    + "round-robin (EADDRINUSE when every port of it is taken; with --closer client a port stays "
                    + "taken for 60 s in TIME_WAIT after its connection).")
    PortRange bindPorts;

    @Option(names = "--concurrency", paramLabel = "C", converter = OptionConverters.Concurrency.class,
            description = "Cycles at once (closed loop; default 1). With --rate: the most in flight "
                    + "(default " + DEFAULT_MAX_IN_FLIGHT + "). Never more than --connections; refused when this "
                    + "process may not open the descriptors (a client and a sink socket each) or, for blocking, nio "
                    + "and raw, start the threads (one each).")
    Integer concurrency;

    @Option(names = "--rate", paramLabel = "R", converter = OptionConverters.Rate.class,
            description = "Open loop: start R connections per second on schedule (one a day, 0.0000116, to "
                    + "10,000,000); latency counts from the "
                    + "intended start (coordinated omission corrected). No cycle starts after --duration: starts "
                    + "still due then, when the client fell behind, never begin and are counted as missed. The "
                    + "table's schedule line says how late the starts were (p50, p99): that lag is in every cycle's "
                    + "latency; and, with a thread per connection, how much of it was waiting for a free slot "
                    + "(--concurrency) rather than the client's waking.")
    Double rate;

    @Option(names = "--connections", paramLabel = "N", converter = OptionConverters.PositiveLong.class,
            description = "Connections to attempt in the measured part, those that fail included (default "
                    + DEFAULT_CONNECTIONS + " when no --duration).")
    Long connections;

    @Option(names = "--duration", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Measure for this long, e.g. 30s or 5m (with --connections: whichever comes first).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "DUR|auto", converter = WarmupOption.Converter.class,
            description = "Run this long first without measuring, so the JIT has compiled the hot paths. "
                    + "Warm-up connections close with SO_LINGER 0 (RST): they leave no TIME_WAIT to fill the port "
                    + "range or to show in the measured states. Default 5s (about when the JIT has settled) with the built-in sink, 0s with "
                    + "--target (no RSTs sent to a server you did not ask for) or --closer never (a run about "
                    + "held connections; a warm-up given here is not held). 0s: every cycle counts, the first "
                    + "ones at interpreter speed. auto: until the JIT compiler threads have used at most 1%% of a "
                    + "CPU over 3 s (from 3 s, at most 2m); the table's warm-up line says how long it ran.")
    WarmupOption warmup;



    @Option(names = "--target", paramLabel = "HOST:PORT", converter = OptionConverters.Target.class,
            description = "Connect to this server instead of the built-in sink (e.g. a 'churn serve').")
    InetSocketAddress target;

    @Option(names = "--connect-timeout", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Give up a connect, a read or a write after this long (default 5s, at least 1ms).")
    Duration connectTimeout;

    @Option(names = "--max-failures", paramLabel = "N", converter = OptionConverters.NonNegativeLong.class,
            description = "Stop the run once N connections have failed, exit code 1 (default 0: never); those in "
                    + "flight then end too, and may fail, so more than N can be counted. Failures are counted, "
                    + "and the run goes on; out of descriptors or ports (EMFILE, EADDRNOTAVAIL, EADDRINUSE with --bind-ports), a closed loop pauses "
                    + "0.1 to 10 ms before its next try instead of failing as fast as the CPU goes.")
    long maxFailures;

    @Option(names = "--source", paramLabel = "SOURCE", converter = OptionConverters.Source.class,
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
            description = "Name of the run in its folder and summary (default <transport>-<closer>-c<C>, or -r<R> in "
                    + "an open loop, with -tls13 and -http after the transport when they apply).")
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
        // Only a --concurrency the user gave: an open loop's default bound (1,000 in flight) is no request to warn about.
        if (concurrency != null && runSpec.effectiveConcurrency() < concurrency) {
            warn(String.format(Locale.ROOT, "--concurrency %,d is more than the %,d connections asked for: %,d run at once",
                    concurrency, runSpec.connections(), runSpec.effectiveConcurrency()));
        }
        // Below the default only where the limits cut it: --connections 5 caps it at 5 by itself (no limit to blame).
        long wanted = runSpec.connections() > 0 ? Math.min(DEFAULT_MAX_IN_FLIGHT, runSpec.connections()) : DEFAULT_MAX_IN_FLIGHT;
        if (concurrency == null && runSpec.load() instanceof Load.Open open && open.maxInFlight() < wanted) {
            warn(String.format(Locale.ROOT, "--rate runs up to %,d connections at once here, not %,d: that is what this "
                    + "process's limits leave room for (ulimit -n, and -u with a thread per connection; --concurrency sets it)",
                    open.maxInFlight(), wanted));
        }
        if (bindPorts != null && bindPorts.size() < runSpec.effectiveConcurrency()) {
            // A legitimate experiment (it shows EADDRINUSE), but one to know before reading the failures.
            warn(String.format(Locale.ROOT, "--bind-ports %s holds %s for %,d connections at once: the others fail "
                    + "to bind (EADDRINUSE) until a port is free", bindPorts, TableText.counted(bindPorts.size(), "port"),
                    runSpec.effectiveConcurrency()));
        }
        String memory = CgroupMemory.warning(CgroupMemory.limitBytes());
        if (memory != null) {
            warn(memory);
        }
        String name = label == null ? defaultLabel(runSpec) : usage(() -> ResultsDirectory.checkLabel(label));
        Environment env = Environment.capture();
        Path proc = StateSources.DEFAULT_PROC_ROOT;
        // The hook comes before the folder: a Ctrl-C or SIGTERM in between left a folder holding only the reserved
        // summary's temporary file (the JVM ended before the hook could be installed to wait for the run's end), which
        // 'churn report' called the leftovers of a killed run and a next run given the same --out refused (QA,
        // 2026-12-08: 1 of 24 signals at random moments of 'churn run').
        StopHook hook = StopHook.install("run-stop", () -> stopper.stopAndAwait(STOP_WAIT));
        if (!hook.installed()) {
            // Ctrl-C came before this run could listen for it: the JVM is ending (or, for a run of 'churn compare', its
            // hook ends the comparison), so nothing is made that it could cut short. Nothing was measured.
            stopper.stopAndAwait(Duration.ZERO);
            return ExitCodes.INTERRUPTED;
        }
        ResultsDirectory dir;
        try {
            dir = OutFolder.open(out, force, name);
            dir.reserveForSummary();
        } catch (IOException | RuntimeException e) {
            stopper.done();
            hook.remove();
            throw e;
        }
        boolean wrote = false;
        JoinClient join = null;
        // The sockstat file stays open for the run's samples: read again at offset 0, it needs no descriptor
        // later, when a run that exhausts them (--closer never) is where its figures matter.
        try (StateSource states = openSource(proc); SockstatReader sockstat = new SockstatReader(proc)) {
            TlsClientConfig clientTls = runSpec.layers().tls();
            join = joining.join(target, name, new SinkTerms(runSpec.requestBytes(), runSpec.responseBytes(), runSpec.closer(),
                    clientTls != null, runSpec.layers().httpPath() != null, clientTls == null ? null : clientTls.version().label(),
                    SinkTerms.shape(runSpec.transport().label(), runSpec.socket().linger().toString(),
                            runSpec.load() instanceof Load.Open)), runSpec.warmup(),
                    spec.commandLine().getErr(), stopper::stopRequested);
            if (join != null) {
                stopper.onStop(join::close); // Ctrl-C while waiting for the other clients ends the wait
            }
            KernelCounterWindow counters = new KernelCounterWindow(proc);
            StateWatch watch = new StateWatch(states, interval, sockstat::read);
            CpuWindow jit = new CpuWindow(proc, watch::samplerCpuNanos);
            GcWindow gc = new GcWindow();
            ResultCollector collector = new ResultCollector(dir, name);
            // Said as it happens: the run goes on, and its other files are still written at its end.
            // Not a promise when the folder itself is gone (removed mid-run): then nothing can be written there.
            collector.onFailure(e -> warn(e.getMessage() + ": the run goes on without its latency log"
                    + (Files.isDirectory(dir.path()) ? "; its summary, states and percentiles are written at its end if the folder takes them"
                            : "; the table is still printed at its end")));
            RunProgress progress = new RunProgress(RunProgress.choose(noProgress), spec.commandLine().getErr(),
                    watch::timeWaitNow, jit::compilerNanosNow);
            // The join tells the server how the run goes (a progress line a second): how it knows the client lives.
            // The CPU window reads its clocks last of those that work in measuring(), just before the measured part begins:
            // read before gc's (its MXBeans' first listing), it began 9-12 ms early and counted that work as the
            // measured part's CPU (audit, 2026-12-08; CpuWindowTest).
            CompositeListener listeners = new CompositeListener(join == null ? RunListener.NONE : join, counters, gc, jit, watch,
                    collector, progress, stopper);
            ChurnEngine engine = new ChurnEngine(runSpec);
            stopper.attach(engine);
            if (join != null) {
                JoinClient j = join;
                engine.withStartGate(new StartGate() {
                    @Override
                    public void await() throws IOException {
                        awaitStart(j, () -> {});
                    }

                    @Override
                    public void await(Runnable lastly) throws IOException {
                        awaitStart(j, lastly);
                    }

                    @Override
                    public void began(long nanoTime) {
                        j.measuredFrom(nanoTime); // the window the session's merge uses, not the gate's opening
                    }
                });
                j.onBroken(engine::stop); // the server is gone: what was measured is kept, and sent nowhere
                j.onNotice(engine::endWarmupNow); // the session was cancelled: the start gate reads why, now
            }
            RunResult result;
            StateSeries series;
            LoadReading loadBefore = LoadReading.now();
            CgroupCpu cgroupBefore = CgroupCpu.now();
            boolean measured = false;
            try {
                result = engine.run(listeners);
                measured = true;
            } finally {
                series = watch.stop(runSpec.closer() == Closer.NEVER && runSpec.target() == null);
                collector.close();
                progress.close();
                if (!measured && join != null && join.startedAt() == 0) {
                    removeUnmeasured(dir.path()); // the session never started: a log with no interval would mislead
                }
            }
            KernelCounters delta = counters.delta();
            RunRecord record = new RunRecord(name, result, series, delta.values(), env.withLoad(loadBefore, LoadReading.now(), cgroupBefore, CgroupCpu.now()),
                    result.endedInWarmup() ? null : jit.activity(), result.endedInWarmup() ? null : gc.pauses(),
                    commandLine(), new RunRecord.Sampling(interval, source), collector.lostReason());
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
            print(record, dir, notSaved);
            if (result.completed() == 0 && result.endReason() != RunResult.EndReason.TOO_MANY_FAILURES) {
                warn("no connection completed");
            }
            if (notSaved != null) {
                throw notSaved;
            }
            int code = exitCode(result);
            // A run a signal stopped early exits 130 (or 143 for SIGTERM, which the JVM sets past this point): its
            // server was told 0, and its session recorded a clean exit (QA, 2026-12-06). 130 says stopped early.
            int told = code == ExitCodes.OK && result.endReason() == RunResult.EndReason.STOPPED ? ExitCodes.INTERRUPTED : code;
            if (join != null && join.startedAt() == 0) {
                // Ended in its warm-up, before the session's start: nothing of the session's was measured, and nothing
                // goes to the server. Sent anyway, its record had no clock and threw a NullPointerException, said only
                // as "stopped by Ctrl-C or SIGTERM" after a Ctrl-C (review, 2026-12-07).
                PrintWriter err = spec.commandLine().getErr();
                err.println(spec.qualifiedName() + ": ended in its warm-up, before the session started: nothing was measured"
                        + " for the session and nothing is sent; the server frees this client's place (the warm-up's table is"
                        + " above" + (wrote ? ", its files in " + dir.path() : "") + ")");
                err.flush();
                return code == ExitCodes.OK ? (result.endReason() == RunResult.EndReason.STOPPED ? ExitCodes.INTERRUPTED
                        : ExitCodes.FAILURE) : code;
            }
            return join == null ? code : sendResults(join, dir, told, result.completed()) == ExitCodes.FAILURE
                    ? ExitCodes.FAILURE : code;
        } finally {
            if (join != null) {
                join.close();
            }
            dir.releaseReserve(); // a run that never reached its writing
            if (!wrote) {
                dir.removeIfEmpty();
            }
            stopper.done();
            hook.remove(); // after Ctrl-C, the hook is running and waited for the results written above
        }
    }

    // Waits for the session's start; a Ctrl-C during the wait closes the channel, and the run ends unmeasured.
    private void awaitStart(JoinClient join, Runnable lastly) throws IOException {
        try {
            joining.awaitStart(join, spec.commandLine().getErr(), lastly);
            stopper.onStop(() -> {}); // from here a Ctrl-C ends the run, and its results still go to the server
        } catch (IOException e) {
            if (stopper.stopRequested()) {
                // Said here: once the run unwinds, the shutdown hook may end the JVM before Main prints anything.
                PrintWriter err = spec.commandLine().getErr();
                err.println(spec.qualifiedName() + ": stopped while waiting for the session to start: nothing was measured,"
                        + " and the server frees this client's place");
                err.flush();
                throw new AlreadySaidException("stopped while waiting for the session to start");
            }
            throw e;
        }
    }

    // The results go to the server too; when they cannot, they are still here and the run says so, exit 1.
    private int sendResults(JoinClient join, ResultsDirectory dir, int code, long completed) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            String stored = join.sendResults(dir.path(), code, completed);
            err.println("results sent to " + join.server() + ", stored there in " + stored);
            err.flush();
            return code;
        } catch (IOException e) {
            warn("the results were not sent to the server (" + e.getMessage() + "); they are in " + dir.path());
            return ExitCodes.FAILURE;
        }
    }

    /** An automatic warm-up watches the JIT compiler threads: refused, before the run, when there are none to watch. */
    static void checkCompilersFound(CompilerCpu compilers) {
        if (!compilers.found()) {
            throw new IllegalArgumentException("--warmup auto ends when the JIT compiler threads go quiet, and "
                    + "/proc/self/task shows none (a JVM run with -Xint, or no /proc): give a length, e.g. --warmup 10s");
        }
    }

    /** 1 when the run measured nothing completed (every connection failed) or --max-failures ended it. */
    static int exitCode(RunResult r) {
        boolean nothingDone = r.completed() == 0 || r.endedInWarmup();
        return nothingDone || r.endReason() == RunResult.EndReason.TOO_MANY_FAILURES ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    /** The run as the options describe it; what the options cannot express together is a usage error. */
    RunSpec runSpec() throws IOException {
        return usage(() -> {
            joining.check(target);
            checkServerOptions();
            if (connectTimeout != null && connectTimeout.compareTo(Duration.ofMillis(1)) < 0) {
                // The socket timeouts count whole milliseconds: a shorter one was silently 1 ms.
                throw new IllegalArgumentException("--connect-timeout must be at least 1ms, got "
                        + DurationConverter.format(connectTimeout));
            }
            if (force && out == null) {
                throw new IllegalArgumentException("--force replaces the files in an --out folder; without --out every run"
                        + " gets a new folder, so there is nothing to replace");
            }
            if (duration != null && duration.compareTo(MIN_DURATION) < 0) {
                // Measured 2026-12-05: --duration 1ms after a warm-up attempted nothing in a 30 ms window.
                throw new IllegalArgumentException("--duration must be at least " + MIN_DURATION.toMillis() + "ms, got "
                        + DurationConverter.format(duration) + ": a shorter window can end before the measured part's threads"
                        + " have started a connection (--connections N measures N connections however short)");
            }
            // An abortive close is SO_LINGER 0 by definition: say so in the scenario, refuse a contradiction.
            if (sink.closer == Closer.ABORT && linger.enabled() && linger.seconds() != 0) {
                throw new IllegalArgumentException("--closer abort closes with SO_LINGER 0; --linger " + linger
                        + " contradicts it (use --closer client --linger " + linger + ")");
            }
            // --linger off given in so many words ran as linger 0, its header saying "linger 0" (QA, 2026-12-06).
            if (sink.closer == Closer.ABORT && !linger.enabled() && lingerGiven()) {
                throw new IllegalArgumentException("--closer abort closes with SO_LINGER 0; --linger off contradicts it"
                        + " (drop --linger, or use --closer client for an orderly close)");
            }
            // Two more that the option's own words contradict, which ran as something else, silently.
            if (linger.equals(Linger.ABORT) && sink.closer == Closer.HALF) {
                throw new IllegalArgumentException("--closer half reads the server's FIN before it closes, so the connection is"
                        + " already in TIME_WAIT and --linger 0 sends no RST; for an abortive close use --closer abort");
            }
            if (linger.equals(Linger.ABORT) && sink.closer == Closer.NEVER) {
                throw new IllegalArgumentException("--closer never leaves the server in CLOSE_WAIT after the client's FIN;"
                        + " --linger 0 sends an RST instead, which leaves none (use --closer abort for that)");
            }
            SocketBuffers.check(rcvBuf, sndBuf);
            Linger effective = sink.closer == Closer.ABORT ? Linger.ABORT : linger;
            SocketConfig socket = new SocketConfig(effective, reuseAddr, sink.reusePort, sink.listenersOrAuto(), noDelay, rcvBuf, sndBuf,
                    sink.backlogOrDefault(), ipv6, bindPorts);
            long n = connections != null ? connections : duration == null ? DEFAULT_CONNECTIONS : 0;
            // A closed loop never has more in flight than it has connections to make: the label, the
            // header and summary.json say the concurrency that ran (the warning says what was asked).
            int closed = concurrency == null ? 1 : n > 0 ? (int) Math.min(concurrency, n) : concurrency;
            AutoWarmup auto = warmup != null && warmup.auto() ? AutoWarmup.DEFAULT : null;
            if (auto != null) {
                checkCompilersFound(CompilerCpu.of(Path.of("/proc")));
            }
            Layers layers = layers();
            IntFunction<RunSpec> withBound = bound -> new RunSpec(transport, socket, sink.closer,
                    rate == null ? new Load.Closed(closed) : new Load.Open(rate, bound), n, duration,
                    warmup == null ? defaultWarmup(target, sink.closer) : warmup.length(), sink.requestBytes,
                    sink.responseBytes, target, connectTimeout, maxFailures, threads == null ? 0 : threads, layers, auto);
            // An open loop's bound is never more than its connections either (as --help says): the header and
            // scenario said 10 (or 1000) in flight where the schedule said the 5 that could be (QA, 2026-12-06).
            int asked = concurrency != null ? concurrency : DEFAULT_MAX_IN_FLIGHT;
            RunSpec s = withBound.apply(n > 0 ? (int) Math.min(asked, n) : asked);
            try {
                RunCapacity.check(s);
            } catch (IllegalArgumentException tooMany) {
                if (rate == null || concurrency != null) {
                    throw tooMany;
                }
                // An open loop's default bound is no request: under a low ulimit it shrinks to what fits (call() says so).
                int fits = RunCapacity.largestFitting(DEFAULT_MAX_IN_FLIGHT - 1, withBound);
                if (fits > 0) {
                    return withBound.apply(fits);
                }
                // Not even one: the refusal of one connection in flight, which names an option the user never gave.
                try {
                    RunCapacity.check(withBound.apply(1));
                } catch (IllegalArgumentException one) {
                    throw new IllegalArgumentException("--rate needs a connection in flight at least: " + one.getMessage(), one);
                }
                throw tooMany;
            }
            return s;
        });
    }

    /**
     * With --target there is no built-in sink: the options that set one up would be silently ignored (and
     * written into summary.json as if they had counted), so they are refused, naming where they belong.
     */
    private void checkServerOptions() {
        if (target == null) {
            // The built-in sink reads a request head of at most 16 KiB: a longer path failed every connection with no
            // reason given ("connection closed before an HTTP response", QA 2026-12-06).
            int head = http == null ? 0 : HttpRequest.get(http, new InetSocketAddress(InetAddress.getLoopbackAddress(), 65535))
                    .bytes().length;
            if (head > HttpHead.MAX_BYTES) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--http: a path of %,d characters makes a"
                        + " request head of %,d bytes, more than the built-in sink reads (%,d); a --target server may take"
                        + " it", http.length(), head, HttpHead.MAX_BYTES));
            }
            return;
        }
        String at = AddressText.hostPort(target);
        if (ipv6) {
            throw new IllegalArgumentException("--ipv6 puts the built-in sink on ::1; with --target the address says the family"
                    + " (an IPv6 target is written [::1]:PORT), so drop --ipv6 from --target " + at);
        }
        if (http != null && sink.responseBytes > 0) {
            // The built-in sink's body size; a server of its own decides its response, read to its Content-Length.
            throw new IllegalArgumentException("--response with --http sets the built-in sink's body; --target " + at
                    + " answers as it will, read to its Content-Length: drop --response");
        }
        List<String> given = sink.serverOnlyGiven();
        if (!given.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", given) + (given.size() == 1 ? " sets" : " set")
                    + " up the built-in sink; --target " + at + " is a server of its own (give "
                    + (given.size() == 1 ? "it" : "them") + " to 'churn serve' there)");
        }
    }

    /** TLS and HTTP as the options say; contradictions are one line (IllegalArgumentException). */
    Layers layers() {
        tls.check();
        if (!tls.enabled()) {
            for (String o : new String[] {tlsResume ? "--tls-resume" : null, insecure ? "--insecure" : null,
                    truststore != null ? "--truststore" : null, truststorePassword != null ? "--truststore-password" : null}) {
                if (o != null) {
                    throw new IllegalArgumentException(o + " needs --tls");
                }
            }
            return new Layers(null, http, null, null);
        }
        if (target == null && (insecure || truststore != null)) {
            throw new IllegalArgumentException((insecure ? "--insecure" : "--truststore") + " is for a --target: the client "
                    + "trusts the built-in sink's own certificate");
        }
        if (target != null && (tls.keyType != null || tls.cert != null)) {
            throw new IllegalArgumentException((tls.cert != null ? "--cert" : "--tls-key") + " sets up the built-in sink; "
                    + "a --target has a certificate of its own (see --truststore, --insecure)");
        }
        if (truststorePassword != null && truststore == null) {
            throw new IllegalArgumentException("--truststore-password needs --truststore");
        }
        TrustStoreFile trusted = truststore == null ? null : PipeWait.reading(spec.commandLine().getErr(), spec.qualifiedName(),
                () -> new TrustStoreFile(truststore, truststorePassword == null ? null
                        : PasswordSource.read("--truststore-password", truststorePassword)), truststore,
                PasswordSource.fileOf(truststorePassword));
        TlsClientConfig client = new TlsClientConfig(tls.version(TlsVersion.V1_3), tlsResume, tls.groups, tls.ciphers,
                insecure, trusted);
        if (tlsResume && client.version() == TlsVersion.V1_3 && http == null && sink.responseBytes == 0
                && sink.closer != Closer.HALF && sink.closer != Closer.SERVER) {
            // Measured 2026-12-04: 0 of 1,000 resumed, and the unread tickets turned most closes into RSTs.
            throw new IllegalArgumentException("--tls-resume with TLS 1.3 needs a connection that reads: the server sends its "
                    + "session tickets after the handshake, and a client that reads nothing (no --response or --http, --closer "
                    + sink.closer.label() + ") closes before one arrives, so none would resume; add --response N or --http PATH, "
                    + "or --closer half or server (they read to the server's close)");
        }
        // Reads the truststore and checks the groups and suites now: a bad one is a usage error, not a failed run.
        ClientTls.of(client, null);
        ServerIdentity identity = tls.cert == null ? null
                : PipeWait.reading(spec.commandLine().getErr(), spec.qualifiedName(), tls::identity, tls.cert, tls.key,
                        PasswordSource.fileOf(tls.keyPassword));
        if (target == null && identity != null) {
            // The client checks the name it dials, as a browser does: a certificate that does not name the sink's
            // loopback address fails every handshake, and --insecure is only for a --target.
            InetAddress dialled = SinkConfig.loopbackAddress(ipv6);
            if (!identity.names(dialled)) {
                String ip = AddressText.literal(dialled);
                throw new IllegalArgumentException("--cert " + tls.cert + " names no IP " + ip + " (subjectAltName), the "
                        + "address the client dials on the built-in sink; every handshake would fail its name check. Give a "
                        + "certificate with subjectAltName IP:" + ip + ", or leave out --cert and --key for one churn makes");
            }
            // The client trusts the sink's certificate as its anchor, and PKIX takes an anchor's dates as given: an
            // expired one completed every handshake, where any other client refuses it (QA, 2026-12-06).
            X509Certificate leaf = identity.chain().getFirst();
            try {
                leaf.checkValidity();
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                throw new IllegalArgumentException("--cert " + tls.cert + " is valid from " + leaf.getNotBefore().toInstant()
                        + " to " + leaf.getNotAfter().toInstant() + ", not now: a client would refuse it (tls_certificate). Give"
                        + " a certificate valid now, or leave out --cert and --key for one churn makes");
            }
        }
        if (target == null) {
            // The built-in sink must be able to negotiate one of the suites with its key, or every handshake fails.
            ServerTls.checkSuites(tls.ciphers, client.version(),
                    identity != null ? identity.key().getAlgorithm() : (tls.keyType == null ? TlsKeyType.EC : tls.keyType).name());
            // The key churn makes for the sink is EC on P-256 unless --tls-key rsa
            ServerTls.checkGroups(tls.groups, client.version(), identity != null ? ServerTls.ecCurve(identity.key())
                    : tls.keyType == TlsKeyType.RSA ? null : "secp256r1");
        }
        return new Layers(client, http, tls.keyType, identity, tls.provider);
    }

    /**
     * A default warm-up, so the default run measures compiled code rather than the JIT: 5 s with the
     * built-in sink, whose warm-up connections (closed with SO_LINGER 0) leave nothing behind; none
     * against a --target, which would get RSTs it did not ask for, nor with --closer never, a run
     * about the connections the sink holds (one given with --warmup is served without holding them).
     */
    static Duration defaultWarmup(InetSocketAddress target, Closer closer) {
        return target == null && closer != Closer.NEVER ? DEFAULT_WARMUP : Duration.ZERO;
    }

    /** The default warm-up: 5 s unless the property names another (a duration such as 1s or 500ms). */
    static Duration defaultWarmupFrom(String property) {
        return property == null || property.isBlank() ? Duration.ofSeconds(5) : DurationConverter.parse(property);
    }

    static String defaultLabel(RunSpec s) {
        String load = switch (s.load()) {
            case Load.Closed c -> "c" + c.concurrency();
            case Load.Open o -> "r" + (o.ratePerSecond() == Math.rint(o.ratePerSecond())
                    ? Long.toString((long) o.ratePerSecond())
                    : o.ratePerSecond() >= 0.01 ? String.format(Locale.ROOT, "%.2f", o.ratePerSecond())
                    : SummaryTable.rate(o.ratePerSecond())); // under 0.01/s "%.2f" gave r0.00
        };
        Layers l = s.layers();
        String layers = (l.tls() != null ? "-tls" + l.tls().version().label().replace(".", "") : "")
                + (l.httpPath() != null ? "-http" : "");
        return s.transport().label() + layers + "-" + s.closer().label() + "-" + load;
    }

    private StateSource openSource(Path proc) throws IOException {
        try {
            return StateSources.open(source, proc);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException("--source " + source.label() + ": cannot count TCP states here: " + e.getMessage(), e);
        }
    }

    // From the record, not the saved file, so it reaches the user even when the file could not be written.
    private void print(RunRecord record, ResultsDirectory dir, IOException notSaved) {
        PrintWriter o = spec.commandLine().getOut();
        if (format == Format.JSON) {
            o.println(SummaryJson.toPrettyString(record));
        } else {
            o.print(SummaryTable.render(SummaryJson.toJson(record), dir.path(), notSaved == null));
        }
        o.flush();
    }

    /**
     * The arguments after {@code churn} as this run was given them (an @file expanded), passwords hidden: what
     * summary.json records so the run can be made again. A run of {@code churn compare} gets the arguments compare
     * ran it with. Null when there was no command line (the command called directly).
     */
    private List<String> commandLine() {
        ParseResult p = spec == null ? null : spec.root().commandLine().getParseResult();
        return p == null ? null : CommandArgs.recorded(p.expandedArgs());
    }

    /** True when --linger was on the command line (not its default). */
    private boolean lingerGiven() {
        ParseResult p = spec == null ? null : spec.commandLine().getParseResult();
        return p != null && p.hasMatchedOption("--linger");
    }

    private void warn(String what) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": warning: " + what);
        err.flush();
    }

    // churn's files of a run that never began measuring (its latency log holds a header only).
    private static void removeUnmeasured(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> ResultsDirectory.isResultsFile(f.getFileName().toString())).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // left as they are: harmless, and the run's error says what happened
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
