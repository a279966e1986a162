package dev.churn.cli;

import dev.churn.bench.result.AtomicFile;
import dev.churn.bench.result.OutputPath;
import dev.churn.bench.result.WriteFailure;
import dev.churn.monitor.AddressFamily;
import dev.churn.monitor.EphemeralPorts;
import dev.churn.monitor.GroupKey;
import dev.churn.monitor.GroupingSource;
import dev.churn.monitor.Headroom;
import dev.churn.monitor.HeadroomFormat;
import dev.churn.monitor.HeadroomWarnings;
import dev.churn.monitor.NotATcpTableException;
import dev.churn.monitor.PortHeadroom;
import dev.churn.monitor.ProcNetTcpSource;
import dev.churn.monitor.Sample;
import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.SocketGroupFormat;
import dev.churn.monitor.SocketHashTable;
import dev.churn.monitor.SocketRowSource;
import dev.churn.monitor.SockstatReader;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.StateSampler;
import dev.churn.monitor.StateSeries;
import dev.churn.monitor.StateSource;
import dev.churn.monitor.StateSources;
import dev.churn.monitor.Sysctls;
import java.io.BufferedWriter;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
            "  churn monitor --port 8080 --listen 9464         /metrics for Prometheus on 127.0.0.1:9464",
            "  churn monitor --by process --once             who holds the TIME_WAIT and CLOSE_WAIT",
            "  churn monitor --by remote --by side --top 5   which services they point at, which side closed",
            "  churn monitor --headroom --once               how near each destination is to port exhaustion",
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

    @Option(names = "--port", paramLabel = "P", converter = PortConverter.class, split = ",",
            description = "Count sockets whose local or remote port is P (1..65535). Repeat for more ports, or list "
                    + "them: --port 80,443. "
                    + "Without --port every TCP socket of the machine is counted (all ports).")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--source", paramLabel = "SOURCE",
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
            description = "Write to FILE instead of standard output: it appears when the command ends; a disk that"
                    + " fills keeps the samples written whole before it.")
    Path out;

    @Option(names = "--force", description = "Replace the --out FILE if it exists (without it an existing file is refused).")
    boolean force;

    @Option(names = "--proc-root", paramLabel = "DIR",
            description = "Where the kernel's proc files are (default /proc; e.g. /host/proc in a container, whose "
                    + "network files are read through DIR/1, PID 1's namespace: a procfs's own net/ is the reader's). "
                    + "With --source auto it selects the proc source; other sources do not read it (refused). "
                    + "A DIR whose net/tcp or net/tcp6 is not a TCP table is refused (exit 2); malformed rows "
                    + "are skipped and their number printed as a warning.")
    Path procRoot;

    @Option(names = "--family", paramLabel = "FAMILY", description = "all, ipv4 or ipv6 (default all).")
    AddressFamily family = AddressFamily.ALL;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = ListenAddress.Converter.class,
            description = "Also serve the samples as Prometheus metrics at http://HOST:PORT/metrics. PORT alone "
                    + "binds loopback (127.0.0.1); name 0.0.0.0 or an address to serve beyond this host; port 0 "
                    + "takes a free one (printed). A scrape serves the last sample, it never takes one: sampling "
                    + "stays at --interval and within its CPU budget however often Prometheus scrapes. With --headroom "
                    + "also churn_tcp_destination_ports_used and _available{local,remote} for the --top fullest "
                    + "destinations only, so the series stay bounded. Without "
                    + "--format or --out nothing else is written. Not with --once.")
    ListenAddress listen;

    @Option(names = "--by", paramLabel = "KEY", converter = OptionConverters.GroupKeyName.class,
            description = "Group sockets by port, peer, remote, side or process (repeat for a combined key, e.g. "
                    + "--by process --by side); netlink and proc sources. Sockets no process holds (TIME_WAIT, orphaned "
                    + "FIN_WAIT2) show as '(no process: STATE, client|server side)'. Each group with CLOSE_WAIT "
                    + "shows how long they have been idle (oldest/median, time since the peer's last data; netlink "
                    + "only), and each sample what is left of its TIME_WAIT timers (10 s buckets).")
    List<GroupKey> by = new ArrayList<>();

    @Option(names = "--headroom",
            description = "Also show, per destination (local address, remote address and port), how many local "
                    + "ports its client sockets hold against what ip_local_port_range offers less "
                    + "ip_local_reserved_ports, fullest first (--top of them), and whether tcp_tw_reuse applies "
                    + "there (1: everywhere; 2: loopback only). A client socket has a local port in the range that "
                    + "no listener holds; every state but LISTEN counts, TIME_WAIT included. Beside them, the range's "
                    + "ports any socket of the namespace holds (whatever --port): each destination's worst case, since "
                    + "connect() cannot use a port bind() took towards any destination. Warns once when a "
                    + "destination reaches 50%%: connect() searches the ports of one parity (half the range) first and "
                    + "only then the other half, so past half each connect() there can walk the whole first half "
                    + "in vain, and its cost grows with the range; and again at 90%%, before EADDRNOTAVAIL. netlink "
                    + "and proc sources; with --format csv not with --by (write them apart).")
    boolean headroom;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20",
            description = "With --by: the N largest groups, the rest summed into one 'other' group; with --headroom: "
                    + "the N fullest destinations (and, with --listen, their metrics). Default 20.")
    int top;

    private final Object finishLock = new Object();
    private boolean finished;
    private boolean failureSaid;
    private IOException commitFailure;

    @Override
    public Integer call() throws Exception {
        validate();
        Path root = procRoot == null ? StateSources.DEFAULT_PROC_ROOT : procRoot;
        Path netRoot = netRoot(root);
        if (!netRoot.equals(root)) {
            spec.commandLine().getErr().println("churn monitor: " + root.resolve("net") + " is a link to self/net, this"
                    + " process's own network namespace: reading " + netRoot.resolve("net") + ", PID 1's");
        }
        portRangeWarning(root, netRoot).ifPresent(spec.commandLine().getErr()::println);
        if (out != null) {
            leftByAKilledMonitor(out).forEach(spec.commandLine().getErr()::println);
        }
        SocketFilter filter = SocketFilter.ports(ports).withFamily(family);
        SourceKind kind = StateSources.resolve(source, root);
        // The hook comes before the --out file: a Ctrl-C between its opening and a hook installed later (in the sampling
        // loop, and none for --once) left the samples under the file's hidden temporary name, which the next monitor
        // called a killed one's (QA, 2026-12-08). It finishes what exists when it runs.
        StopHook hook = StopHook.install("monitor-finish", this::finishOnStop);
        if (!hook.installed()) {
            return ExitCodes.INTERRUPTED; // Ctrl-C came first: the JVM is ending, and nothing was opened
        }
        try {
            return sampleAll(filter, kind, root, netRoot);
        } finally {
            ended.countDown(); // what it opened is closed: a hook that came while it opened them goes on
            hook.remove(); // after Ctrl-C, the hook is running or has run: it finishes the output
        }
    }

    /** The sampler and the output once they exist, for the Ctrl-C hook to finish; guarded by finishLock. */
    private StateSampler stopSampler;
    private Output stopOutput;
    /** Set by the Ctrl-C hook, guarded by finishLock: no sampling starts after it. */
    private boolean stopAsked;
    private final CountDownLatch ended = new CountDownLatch(1);

    // Ctrl-C's hook: after it the JVM ends as this returns, so the output is finished here. A write that failed in it
    // (the last sample, on a full disk) is said here, or the file would be cut short without a word (review, 2026-12-06).
    private void finishOnStop() {
        StateSampler sampler;
        Output output;
        synchronized (finishLock) {
            stopAsked = true;
            sampler = stopSampler;
            output = stopOutput;
        }
        if (output == null) {
            // Still opening the source and the output: it sees stopAsked, closes them (the output's temporary file goes)
            // and returns; the JVM must not end before.
            try {
                ended.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        finish(sampler, output);
        IOException failed = failure(output);
        if (failed != null && claimFailure()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": " + failed.getMessage());
            err.flush();
        }
    }

    private int sampleAll(SocketFilter filter, SourceKind kind, Path root, Path netRoot) throws Exception {
        try (StateSource src = openSource(kind, root, netRoot);
             SockstatReader sockstat = sockstatReader(netRoot);
             PrometheusEndpoint metrics = listen == null ? null : PrometheusEndpoint.start(listen, ports, family, src, netRoot);
             Output output = Output.open(out, force, metricsOnly() ? new PrintWriter(Writer.nullWriter()) : spec.commandLine().getOut())) {
            if (metrics != null) {
                PrintWriter err = spec.commandLine().getErr();
                err.println(spec.qualifiedName() + ": serving http://" + listen.authority(metrics.port()) + "/metrics");
                err.flush();
            }
            Emitter emitter = new Emitter(output, new StateTableView(src.kind(), filter, once ? null : interval), limit(),
                    format == Format.TABLE && out == null && stdoutIsTerminal(), src instanceof GroupingSource g ? g : null, top,
                    spec.commandLine().getErr(), spec.qualifiedName(), new TimeWaitEntries(netRoot));
            StateSampler sampler = StateSampler.builder(src, filter)
                    .interval(interval)
                    .sockstat(sockstat == null ? StateSampler.SockstatProbe.NONE : sockstat::read)
                    .listener(metrics == null ? emitter::emit : s -> {
                        metrics.record(s);
                        emitter.emit(s);
                    })
                    .onStretch(this::noteStretch)
                    .build();
            synchronized (finishLock) {
                if (stopAsked) {
                    return ExitCodes.INTERRUPTED; // Ctrl-C came as it opened: closed unused, its temporary file removed
                }
                stopSampler = sampler;
                stopOutput = output;
            }
            emitter.bind(sampler.series(), format);
            if (once) {
                synchronized (finishLock) { // a Ctrl-C now finishes the output once the sample is written whole
                    if (stopAsked) {
                        return ExitCodes.INTERRUPTED;
                    }
                    sampler.sampleNow();
                    emitter.checkWritten();
                }
                if (finishFailed(sampler, output)) {
                    return ExitCodes.FAILURE;
                }
                warnMalformed(src, netRoot, sampler.series());
                return ExitCodes.OK;
            }
            int code = stream(sampler, emitter, output);
            warnMalformed(src, netRoot, sampler.series());
            return code;
        }
    }

    private void validate() {
        if (ports.isEmpty() && spec.commandLine().getParseResult().hasMatchedOption("--port")) {
            // "--port ," split into no port at all, which would have counted every port of the machine.
            throw new UsageException("--port names no port; give 1..65535, e.g. --port 80,443 (without --port every port is"
                    + " counted)");
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--port")) {
            // The split drops a trailing empty item: "--port 80," counted port 80 where ",80" was refused.
            for (String raw : spec.commandLine().getParseResult().matchedOption("--port").originalStringValues()) {
                if (raw.endsWith(",") || raw.contains(",,")) {
                    throw new UsageException("--port: '" + raw + "' has an empty item: list the ports as 80,443");
                }
            }
        }
        // A port given twice (--port 80,443 --port 80) is one port: one column of the header, one series.
        ports = new ArrayList<>(new LinkedHashSet<>(ports));
        if (top < 1) {
            throw new UsageException("--top: '" + top + "' must be at least 1");
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--top") && by.isEmpty() && !headroom) {
            throw new UsageException("--top ranks the groups of --by or the destinations of --headroom: give one of them");
        }
        if (!by.isEmpty() && source == SourceKind.OSHI) {
            throw new UsageException("--by: the oshi source has no per-socket rows; use --source netlink or proc");
        }
        if (headroom && source == SourceKind.OSHI) {
            throw new UsageException("--headroom: the oshi source has no per-socket rows; use --source netlink or proc");
        }
        if (headroom && !by.isEmpty() && format == Format.CSV) {
            // churn.groups/2 and churn.headroom/2 rows have different columns: one file holds one shape.
            throw new UsageException("--headroom: with --format csv not together with --by (one row shape per file); "
                    + "run them apart, or use --format json");
        }
        if (count != null && count < 1) {
            throw new UsageException("--count: '" + count + "' must be at least 1");
        }
        if (once && (count != null || duration != null)) {
            throw new UsageException("--once: takes one sample, so it cannot be combined with --count or --duration");
        }
        // Both were accepted and did nothing, silently (review, 2026-12-07).
        if (once && spec.commandLine().getParseResult().hasMatchedOption("--interval")) {
            throw new UsageException("--once: takes one sample, so there is no interval between samples: drop --interval");
        }
        if (force && out == null) {
            throw new UsageException("--force replaces an --out FILE; without --out the samples go to standard output:"
                    + " drop --force");
        }
        if (once && listen != null) {
            throw new UsageException("--listen: serves samples until Ctrl-C, --count or --duration, so not with --once");
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
            checkTables(netRoot(procRoot));
        }
        if (out != null) {
            try {
                OutputPath.checkFile(out, force, "states." + (format == Format.TABLE ? "txt" : format.name().toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }

    // Once, on the sampling thread, as soon as the sampler knows the interval cannot be kept.
    private void noteStretch(StateSampler.Stretch stretch) {
        PrintWriter err = spec.commandLine().getErr();
        // Why a sample costs that much where the kernel's socket table, not the ports' sockets, is the cause.
        String hint = SocketHashTable.parse(Sysctls.readOne(procRoot == null ? StateSources.DEFAULT_PROC_ROOT : procRoot,
                SocketHashTable.SYSCTL)).flatMap(SocketHashTable::costHint)
                .map(h -> ". Why: " + h).orElse("");
        err.println(spec.qualifiedName() + ": note: --interval " + DurationConverter.format(interval)
                + " cannot be kept: " + stretch.describe() + hint);
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
        StateSource inner = src instanceof GroupingSource g ? g.source() : src;
        if (inner instanceof ProcNetTcpSource proc && proc.malformedLines() > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": warning: " + TableText.counted(proc.malformedLines(), "malformed line") + " of "
                    + root.resolve("net") + "/tcp and tcp6 were skipped, not counted (over "
                    + series.samplesTaken() + (series.samplesTaken() == 1 ? " sample)" : " samples)"));
            err.flush();
        }
    }

    // sockstat is Linux's; where the proc root has none (null here), samples carry Sockstat.UNKNOWN.
    private static SockstatReader sockstatReader(Path root) {
        return Files.isReadable(root.resolve("net").resolve("sockstat")) ? new SockstatReader(root) : null;
    }

    /**
     * Under --proc-root, what the port range that --headroom and --by port/side use is not: a process folder has no
     * sys/ (Linux's default range was used without a word), and a procfs's sys/net is the reader's namespace.
     */
    Optional<String> portRangeWarning(Path root, Path netRoot) {
        boolean usesRange = headroom || by.contains(GroupKey.PORT) || by.contains(GroupKey.SIDE);
        if (!usesRange) {
            return Optional.empty();
        }
        // Said of /proc too: a range that cannot be read (a container's /proc/sys, a file only root may read) gave
        // 28,232 ports available and tcp_tw_reuse=2 as if read, where the namespace had 101 and 0 (QA, 2026-12-06).
        if (Sysctls.readOne(root, "net.ipv4.ip_local_port_range") == null) {
            return Optional.of("churn monitor: cannot read sys/net/ipv4/ip_local_port_range under " + root + ": client"
                    + " ports are taken to be Linux's default range, " + EphemeralPorts.DEFAULT_LOW + "-"
                    + EphemeralPorts.DEFAULT_HIGH + (Sysctls.readOne(root, "net.ipv4.tcp_tw_reuse") == null
                    ? ", and tcp_tw_reuse its default, 2" : "") + "; the headroom shown counts on them");
        }
        if (procRoot != null && !netRoot.equals(root)) {
            return Optional.of("churn monitor: the port range is read from " + root + "/sys, which the kernel"
                    + " answers for this process's own namespace, not PID 1's");
        }
        return Optional.empty();
    }

    /**
     * Where the network files of a proc root are. A procfs's {@code net} is a link to {@code self/net}, the network
     * namespace of the process that reads it, whichever procfs it is in: {@code --proc-root /host/proc} in a container
     * counted the container's own sockets as the host's (0 TIME_WAIT where the host had 30; 2026-12-06). A process's
     * folder has that process's namespace, so such a root's network files are read from {@code DIR/1}, PID 1's (the
     * host's, for a host's proc); its processes and sysctls still from {@code DIR}. The reader's own /proc, and a
     * process folder given as the root, are read as they are.
     */
    static Path netRoot(Path root) {
        Path net = root.resolve("net");
        try {
            if (Files.isSymbolicLink(net) && Files.readSymbolicLink(net).toString().equals("self/net")
                    && !root.toRealPath().equals(StateSources.DEFAULT_PROC_ROOT.toRealPath())
                    && Files.isRegularFile(root.resolve("1").resolve("net").resolve("tcp"))) {
                return root.resolve("1");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // unreadable: read the root as given, and let the checks say what is wrong with it
        }
        return root;
    }

    private StateSource openSource(SourceKind kind, Path root, Path netRoot) throws IOException {
        try {
            StateSource base = StateSources.open(kind, netRoot);
            if (by.isEmpty() && !headroom) {
                return base;
            }
            if (base instanceof SocketRowSource rows) {
                // One dump per sample feeds both: groups and headroom always describe the same sockets.
                return new GroupingSource(rows, by, top, root, headroom ? new PortHeadroom(top) : null);
            }
            base.close();
            throw new UsageException((by.isEmpty() ? "--headroom" : "--by") + ": the " + kind.label()
                    + " source has no per-socket rows; use --source netlink or proc");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException("cannot open the " + kind.label() + " source: " + e.getMessage(), e);
        }
    }

    // --listen alone is an exporter: the table would only fill a log nobody reads.
    private boolean metricsOnly() {
        return listen != null && out == null && !spec.commandLine().getParseResult().hasMatchedOption("--format");
    }

    private long limit() {
        return once ? 1 : count == null ? Long.MAX_VALUE : count;
    }

    /**
     * Finishes the output; true when writing it failed and the Ctrl-C hook has said so, and throws the failure when it
     * is this thread's to say: said once, here or by the hook when it came at the same moment (QA, 2026-12-06: twice).
     */
    private boolean finishFailed(StateSampler sampler, Output output) throws IOException {
        finish(sampler, output);
        IOException failed = failure(output);
        if (failed == null) {
            return false;
        }
        if (claimFailure()) {
            throw failed;
        }
        return true;
    }

    // Samples until --duration, --count, a broken output or Ctrl-C; the shutdown hook finishes the
    // output (flush, rename) when Ctrl-C ends the JVM while this thread still waits.
    private int stream(StateSampler sampler, Emitter emitter, Output output) throws IOException, InterruptedException {
        sampler.start();
        if (duration == null) {
            emitter.done.await();
        } else {
            emitter.done.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (finishFailed(sampler, output)) {
            return ExitCodes.FAILURE;
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

    /** Why the output failed (a write, or its commit), or null. */
    private IOException failure(Output output) {
        synchronized (finishLock) {
            return output.failure() != null ? output.failure() : commitFailure;
        }
    }

    /** True for the one caller (the command, or the Ctrl-C hook) that is to say the failure. */
    private boolean claimFailure() {
        synchronized (finishLock) {
            boolean first = !failureSaid;
            failureSaid = true;
            return first;
        }
    }

    /** Finishes the output once, whichever of the command and the Ctrl-C hook comes first. */
    private void finish(StateSampler sampler, Output output) {
        synchronized (finishLock) {
            if (finished) {
                return;
            }
            finished = true;
            sampler.stop(interval.dividedBy(2)); // no near-copy of a sample just taken
            try {
                // A failed write (a full disk) keeps the whole samples written before it, said so in the error: an hour of
                // a series was lost for a disk that filled in its last minute (QA, 2026-12-06). A sample cut in the middle
                // is never kept, and with no whole sample there is no file at all.
                if (output.failure() == null) {
                    output.commit();
                } else if (!output.commitWhole()) {
                    output.close();
                }
            } catch (IOException e) {
                commitFailure = e;
            }
        }
    }

    /**
     * The samples an earlier monitor of this --out left when it was killed (SIGKILL, the OOM killer, a reboot): its
     * temporary file, under a hidden name, held hours of samples that nothing pointed to. One line each, a few at most;
     * a file another monitor still writes (it holds its lock) is not one of them. Nothing is deleted.
     */
    static List<String> leftByAKilledMonitor(Path out) {
        Path dir = out.toAbsolutePath().getParent();
        String name = out.getFileName().toString();
        List<String> lines = new ArrayList<>();
        List<Path> candidates;
        try (var files = Files.list(dir)) {
            candidates = files.filter(f -> name.equals(AtomicFile.targetOf(f))).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of(); // an unreadable folder: opening --out says what is wrong with it
        }
        for (Path f : candidates) {
            try {
                // Not a link, not empty (nothing to keep), readable, and no live monitor's: each on its own, as one
                // committed (renamed away) since the listing must not silence the others (review, 2026-12-06).
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Files.isReadable(f) && Files.size(f) > 0
                        && !AtomicFile.inUse(f)) {
                    lines.add(String.format(Locale.ROOT, "churn monitor: note: %s holds %,d bytes of samples that a monitor"
                            + " of this --out left when it was stopped without finishing (killed, or the machine went down);"
                            + " rename it to keep them", f, Files.size(f)));
                }
            } catch (IOException e) {
                // gone since the listing: a monitor that finished
            }
        }
        return lines.size() <= 3 ? lines : List.of(lines.get(0), lines.get(1), lines.get(2),
                "churn monitor: note: and " + (lines.size() - 3) + " more such files in " + dir);
    }

    /** True when standard output is an interactive terminal, where the table redraws in place. */
    static boolean stdoutIsTerminal() {
        Console c = System.console();
        // TERM=dumb has no cursor movement: the table redrawn in place printed ESC[H and ESC[J there, where run's progress
        // line already kept to plain lines (QA, 2026-12-06).
        return c != null && c.isTerminal() && !"dumb".equals(System.getenv("TERM"));
    }

    /** Turns each sample into output in the chosen format; runs on the sampling thread. */
    private static final class Emitter {
        private final Output output;
        private final StateTableView view;
        private final long limit;
        private final boolean redraw;
        private final GroupingSource grouping; // null without --by and --headroom
        private final boolean grouped; // --by given
        private final int top;
        private final PrintWriter err;
        private final String name;
        private final HeadroomWarnings warnings = new HeadroomWarnings();
        private final ArrayDeque<Sample> recent = new ArrayDeque<>();
        private final TimeWaitEntries entries;
        final CountDownLatch done = new CountDownLatch(1);
        private StateSeries series;
        private Format format;
        private long emitted;

        Emitter(Output output, StateTableView view, long limit, boolean redraw, GroupingSource grouping, int top,
                PrintWriter err, String name, TimeWaitEntries entries) {
            this.entries = entries;
            this.grouping = grouping;
            this.grouped = grouping != null && !grouping.keys().isEmpty();
            this.err = err;
            this.name = name;
            this.top = top;
            this.output = output;
            this.view = view;
            this.limit = limit;
            this.redraw = redraw;
        }

        /** Throws the output's write failure, if there was one. */
        void checkWritten() throws IOException {
            if (output.failure() != null) {
                throw output.failure();
            }
        }

        void bind(StateSeries s, Format f) throws IOException {
            this.series = s;
            this.format = f;
            switch (f) {
                case CSV -> output.line(grouped ? SocketGroupFormat.CSV_HEADER
                        : grouping != null ? HeadroomFormat.CSV_HEADER : StateSeries.CSV_HEADER);
                case TABLE -> {
                    if (!redraw && limit != 1) {
                        output.line(view.title());
                    }
                }
                case JSON -> {}
            }
            output.flush();
            output.markWhole(null);
        }

        void emit(Sample s) {
            if (emitted >= limit) {
                return; // the final sample stop() takes after --count was reached
            }
            emitted++;
            warnHeadroom();
            if (output.failure() != null) {
                return;
            }
            try {
                // guarded: a write the writer's buffer passes on can fail too, and is the file's failure as much
                output.guard(() -> write(s));
                output.flush();
                output.markWhole(s);
            } catch (IOException e) {
                // Not a sampling error: the output is gone, so the command stops and fails (checkWritten).
                done.countDown();
                return;
            }
            if (emitted >= limit || output.broken()) {
                done.countDown();
            }
        }

        // On stderr whatever the format, so --listen alone and --format json still say it.
        private void warnHeadroom() {
            Headroom h = grouping == null ? null : grouping.lastHeadroom();
            if (h == null) {
                return;
            }
            List<String> crossed = warnings.crossings(h);
            for (String w : crossed) {
                err.println(name + ": warning: " + w);
            }
            if (!crossed.isEmpty()) {
                err.flush();
            }
        }

        private void write(Sample s) throws IOException {
            switch (format) {
                case JSON -> {
                    if (grouping == null) {
                        series.writeJsonLine(s, output.writer());
                    } else {
                        StateSeries.writeJsonLine(s, grouping.kind(), grouped ? grouping.keys() : null, grouping.lastGroups(),
                                grouped ? grouping.lastTimeWaitRemaining() : null, grouping.lastHeadroom(), output.writer());
                    }
                }
                case CSV -> {
                    if (grouped) {
                        SocketGroupFormat.writeCsvRows(s, grouping.lastGroups(), grouping.lastTimeWaitRemaining(), output.writer());
                    } else if (grouping != null) {
                        HeadroomFormat.writeCsvRows(s, grouping.lastHeadroom(), output.writer());
                    } else {
                        StateSeries.writeCsvRow(s, output.writer());
                    }
                }
                case TABLE -> {
                    recent.addLast(s);
                    long horizon = s.elapsedNanos() - StateTableView.HISTORY.toNanos();
                    while (recent.getFirst().elapsedNanos() < horizon) {
                        recent.removeFirst();
                    }
                    List<Sample> history = List.copyOf(recent);
                    double entered = entries.perSecond(s.elapsedNanos());
                    String groups = (grouped ? GroupTable.render(grouping.keys(), top, grouping.lastGroups(), s.states(),
                                    grouping.lastTimeWaitRemaining()) : "")
                            + (grouping != null && grouping.lastHeadroom() != null
                                    ? HeadroomTable.render(grouping.lastHeadroom()) : "");
                    if (redraw) {
                        output.writer().write(StateTableView.redrawInPlace(
                                view.render(s, history, series.peaks(), series.errorCount(), true, entered,
                                        entries.killedMoved()) + groups));
                    } else if (limit == 1) {
                        output.writer().write(view.render(s, history, series.peaks(), series.errorCount(), false) + groups);
                    } else {
                        output.line(view.renderLine(s, history, entered));
                        output.writer().write(groups);
                    }
                }
            }
        }
    }

    /**
     * Where output goes: the command's writer, or an {@link AtomicFile} renamed to --out on commit.
     * A write to the file that fails is kept as a {@link WriteFailure} naming it.
     */
    private static final class Output implements AutoCloseable {
        private static final DateTimeFormatter LAST_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS 'UTC'", Locale.ROOT)
                .withZone(ZoneOffset.UTC);
        private final Writer writer;
        private final AtomicFile file;
        private IOException failure;
        private boolean committed;
        // The end of the last whole sample that reached the file, how many there were and the last one's time.
        private long wholeBytes;
        private long wholeSamples;
        private long lastWholeMillis;

        private Output(Writer writer, AtomicFile file) {
            this.writer = writer;
            this.file = file;
        }

        static Output open(Path target, boolean replace, PrintWriter stdout) throws IOException {
            if (target == null) {
                return new Output(stdout, null);
            }
            AtomicFile f = AtomicFile.create(target, replace);
            f.lock(); // so a monitor started later on this --out knows the file is being written, not left by a kill
            f.keepIfNotRenamed(); // a name taken meanwhile must not cost the samples (the error says where they are)
            return new Output(new BufferedWriter(new OutputStreamWriter(f.stream(), StandardCharsets.UTF_8)), f);
        }

        Writer writer() {
            return writer;
        }

        void line(String s) throws IOException {
            guard(() -> {
                writer.write(s);
                writer.write('\n');
            });
        }

        void flush() throws IOException {
            guard(writer::flush);
        }

        /** Marks what the file holds so far as whole: its header, or a sample ({@code s}) and all before it. */
        void markWhole(Sample s) {
            if (file == null || failure != null) {
                return;
            }
            wholeBytes = file.bytesWritten();
            if (s != null) {
                wholeSamples++;
                lastWholeMillis = s.epochMillis();
            }
        }

        /**
         * After a failure, keeps the file's whole samples under its name and says so in the failure (or, if that fails
         * too, says that); false when there is no whole sample to keep, and the caller abandons the file.
         */
        boolean commitWhole() {
            if (committed || file == null || failure == null || wholeSamples == 0) {
                return false;
            }
            committed = true;
            try {
                file.commitFirst(wholeBytes);
            } catch (IOException e) {
                // Keeping them failed too: both said (the rename's error says where they are kept, if they are).
                failure = new IOException(failure.getMessage() + "; then " + e.getMessage(), failure);
                return true;
            }
            String samples = wholeSamples == 1 ? "sample" : String.format(Locale.ROOT, "%,d samples", wholeSamples);
            String kept = file.target() + " keeps the " + samples + " written whole before it, the last at "
                    + LAST_TIME.format(Instant.ofEpochMilli(lastWholeMillis));
            failure = failure instanceof WriteFailure w ? w.withNote(kept)
                    : new IOException(failure.getMessage() + "; " + kept, failure);
            return true;
        }

        /** The first failure to write the file, or null. */
        IOException failure() {
            return failure;
        }

        // A PrintWriter hides write errors: a closed pipe (| head) must still end the stream. picocli's writer over
        // System.out never saw them at all (its charset's OutputStreamWriter hides the PrintStream): StandardOutput does.
        boolean broken() {
            return file == null && (writer instanceof PrintWriter p && p.checkError() || StandardOutput.failure().isPresent());
        }

        /** Flushes, and for a file closes it and renames it into place. */
        void commit() throws IOException {
            if (committed) {
                return;
            }
            committed = true;
            if (file == null) {
                writer.flush();
                return;
            }
            guard(writer::flush);
            file.commit();
        }

        /** Without a commit (a failure), the partial temporary file is removed. */
        @Override
        public void close() throws IOException {
            if (file != null) {
                file.close();
            }
        }

        private void guard(IoAction a) throws IOException {
            try {
                a.run();
            } catch (IOException e) {
                if (file == null) {
                    throw e;
                }
                if (failure == null) {
                    IOException cause = file.writeError() != null ? file.writeError() : e;
                    failure = WriteFailure.of(file.target(), cause, file.bytesNeeded(), -1);
                }
                throw failure;
            }
        }

        @FunctionalInterface
        private interface IoAction {
            void run() throws IOException;
        }
    }
}
