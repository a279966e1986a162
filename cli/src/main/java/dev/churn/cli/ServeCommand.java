package dev.churn.cli;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.control.ControlServer;
import dev.churn.bench.control.SinkTerms;
import dev.churn.bench.engine.RunCapacity;
import dev.churn.bench.posix.Errno;
import dev.churn.bench.posix.ErrnoException;
import dev.churn.bench.result.OutputPath;
import dev.churn.bench.result.ResultsDirectory;
import dev.churn.bench.result.SummaryJson;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import dev.churn.bench.tls.PasswordSource;
import dev.churn.bench.tls.ServerTls;
import dev.churn.bench.tls.TlsKeyType;
import dev.churn.bench.tls.TlsVersion;
import dev.churn.monitor.StateSources;
import dev.churn.monitor.Sysctls;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code churn serve}: the churn sink as a server of its own, for {@code churn run --target} from
 * another process or namespace, in plain TCP, TLS ({@code --tls}) and/or HTTP/1.1 ({@code --http}).
 * Prints {@code listening on ADDR:PORT} (with the certificate's fingerprint under TLS), then a line every
 * {@value #REPORT_SECONDS} seconds with the connections accepted and what they cost the process in CPU
 * ({@link ServeCpu}); runs until --duration or Ctrl-C, which closes every socket.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs the churn sink server: accepts connections and plays the server's part of the close "
                    + "choreography, for 'churn run --target' in another process.",
            "",
            "Examples:",
            "  churn serve --port 9000                      until Ctrl-C",
            "  churn serve --closer server --duration 1m    the server closes first (TIME_WAIT here)",
            "  churn serve --tls --port 24443               TLS 1.2 and 1.3, a self-signed certificate made now",
            "  churn serve --tls 1.3 --cert c.pem --key k.pem   TLS 1.3 only, with your certificate",
            "  churn serve --http --response 1024           HTTP/1.1: a 200 with 1 KiB of body per request",
            "  churn serve --tls --http --closer server     HTTPS, the server closes first",
            "  churn serve --bind 0.0.0.0 --port 9000 --clients 3",
            "                                               sessions of 3 'churn run --join' clients on control",
            "                                               port 9001, started at one instant; their results",
            "                                               merged in results/",
            "",
            "A connection that makes no progress for " + SinkServer.IDLE_SECONDS + " s (its client gone without a FIN or an RST) is reset "
                    + "and counted; --closer never's connections are held on purpose and stay, up to what ulimit -n "
                    + "leaves room for beside an eighth of it, and at least 64, kept free (for sessions' results): past that, "
                    + "served and closed.",
        })
public final class ServeCommand implements Callable<Integer> {

    static final int REPORT_SECONDS = 5;
    /** While nothing changes, how often the progress line still says so. */
    static final int IDLE_REPORT_SECONDS = 60;
    /**
     * How long Ctrl-C waits for the sockets to be closed before the JVM exits anyway: beyond the sockets,
     * a joined session that just ended may still be merging (ControlServer's FINISH_WAIT).
     */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    // The session's lines; the serving loop says its refusals held back before a line of its own.
    private SessionPrinter printer;

    @Mixin
    SinkOptions sink = new SinkOptions();

    @Mixin
    TlsOptions tlsOptions = new TlsOptions();

    @Option(names = "--no-tls-tickets", description = "With --tls 1.3: issue no session tickets. A TLS 1.3 server sends "
            + "them after the handshake, and a client that reads nothing (no --response or --http, --closer client) "
            + "answers them with an RST that ends its TIME_WAIT; without them the closers leave TIME_WAIT as without "
            + "TLS, and no client can resume (--tls-resume).")
    boolean noTlsTickets;

    @Option(names = "--http", description = "Speak HTTP/1.1: read each request's head (up to its blank line, at most "
            + "16 KiB; --request is not used) and answer 200 with Connection: close and a body of --response bytes. "
            + "With --closer client (the default) it then waits for the client to close, as 'churn run' and curl do; "
            + "a client that waits for the server's close instead (ab, openssl s_time -www) needs --closer server.")
    boolean http;

    @Option(names = "--port", paramLabel = "P", converter = OptionConverters.ListenPort.class,
            description = "Port to listen on (default 0: the kernel picks one; it is printed).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", converter = OptionConverters.BindAddress.class,
            description = "Address to listen on (default 127.0.0.1; ::1 for IPv6). The control port has no "
                    + "authentication: any client that reaches it can join a session, take a slot, or send made-up "
                    + "results. Bind another address only on a trusted network or in a lab namespace.")
    InetAddress bind = InetAddress.ofLiteral("127.0.0.1");







    @Option(names = "--duration", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Serve this long, e.g. 30s or 10m (default: until Ctrl-C).")
    Duration duration;

    @Option(names = "--control-port", paramLabel = "P", converter = OptionConverters.ListenPort.class,
            description = "The control channel's port, on the --bind address, where 'churn run --target ADDR:PORT --join' "
                    + "clients join a session (default: --port + 1; with --port 0 the kernel picks one; it is printed).")
    Integer controlPort;

    @Option(names = "--clients", paramLabel = "N", converter = OptionConverters.PositiveInt.class,
            description = "Clients per joined session: the server starts a session when N are ready, at one instant for "
                    + "all (default: as many as the session's first client says with its --clients).")
    Integer clients;

    @Option(names = "--out", paramLabel = "DIR", description = "Where each joined session's results go: "
            + "DIR/<yyyyMMdd-HHmmss>-session/ with a folder per client, merged/ (the exact merge) and session.json "
            + "(default results/).")
    Path out;

    @Option(names = "--sessions", paramLabel = "N", converter = OptionConverters.PositiveInt.class,
            description = "Exit after N joined sessions; exit code 1 when one was cancelled or lost a client "
                    + "(default: serve until --duration or Ctrl-C).")
    Integer sessions;

    /** How often the progress line is due: {@value #REPORT_SECONDS} s; tests shorten it to see many ticks in a second. */
    Duration reportEvery = Duration.ofSeconds(REPORT_SECONDS);
    /** The clock the progress line's rate and quiet span are read from; tests make it run fast. */
    LongSupplier clock = System::nanoTime;

    private final CountDownLatch stop = new CountDownLatch(1);
    /** The kernel's accept-queue overflows since serving began: connections the sink never saw. */
    private AcceptQueueDrops queueDrops;
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        if (http && spec.commandLine().getParseResult().hasMatchedOption("--request")) {
            throw new UsageException("--request is not used with --http (the server reads each request's head, "
                    + "whatever its size): drop it");
        }
        if (noTlsTickets && tlsOptions.version(null) != TlsVersion.V1_3) {
            // Only a TLS 1.3-only context can stop them: one that also speaks 1.2 promises tickets it would not send.
            throw new UsageException("--no-tls-tickets needs --tls 1.3 (a server that also speaks TLS 1.2 sends its tickets"
                    + " inside the handshake, where a client reads them)");
        }
        ServerTls tls = RunCommand.usage(() -> PipeWait.reading(spec.commandLine().getErr(), spec.qualifiedName(),
                () -> tlsOptions.server(tlsOptions.version(null), extraHosts(bind), !noTlsTickets), tlsOptions.cert,
                tlsOptions.key, PasswordSource.fileOf(tlsOptions.keyPassword)));
        if (out != null) {
            // Made now: a folder that cannot be made is bad input at start, not a cancelled session when a client joins.
            // Writable too: a read-only one was accepted and cancelled the first session (QA, 2026-12-06).
            RunCommand.usage(() -> {
                OutputPath.checkWritable(OutputPath.createFolder(OutputPath.checkFolder(out)));
                return out;
            });
        } else if (!defaultRootWritable()) {
            // Not made here: a serve that no client joins leaves no results/ behind. But a session that starts
            // would be cancelled ("cannot write the session's results") after its clients had warmed up.
            String where = "joined sessions' results cannot be written under " + Path.of("").toAbsolutePath()
                    + " (not writable)";
            if (sessions != null) {
                throw new UsageException(where + "; serve from a folder you can write, or name one with --out");
            }
            spec.commandLine().getErr().println("warning: " + where + ": a session that starts is cancelled; --out DIR "
                    + "names a writable folder");
        }
        if (clients != null && clients > ControlServer.MAX_CLIENTS) {
            // The control server refuses any join that asks for more; a serve that asked for more never started one.
            throw new UsageException("--clients is at most " + ControlServer.MAX_CLIENTS + " (a session's clients each hold a "
                    + "control channel and a folder of results), got " + clients);
        }
        if (controlPort == null && port == 65535) {
            throw new UsageException("--port 65535 has no port + 1 for the control channel: give --control-port");
        }
        int control = controlPort != null ? controlPort : port == 0 ? 0 : port + 1;
        if (control != 0 && control == port) {
            throw new UsageException("--control-port " + control + " is the serving port; give another");
        }
        SinkConfig config = RunCommand.usage(() -> new SinkConfig(bind, port,
                new SocketConfig(Linger.OFF, false, sink.reusePort, sink.listenersOrAuto(), false, 0, 0, sink.backlogOrDefault(),
                        bind instanceof Inet6Address, null),
                sink.closer, sink.requestBytes, sink.responseBytes, null, tls, http));
        PrintWriter out = spec.commandLine().getOut();
        SinkServer server;
        try {
            server = SinkServer.start(config);
        } catch (IOException e) {
            // The sink's own explanation names it "the built-in sink" and the address again: said once, as serve's
            // ("cannot listen on 10.9.9.9:21451: the built-in sink cannot listen on 10.9.9.9:21451: ...", QA 2026-12-06).
            String sinkSays = "the built-in sink cannot listen on ";
            String told = String.valueOf(e.getMessage());
            boolean explained = told.startsWith(sinkSays) && told.indexOf(": ", sinkSays.length()) > 0;
            String detail = explained ? told.substring(told.indexOf(": ", sinkSays.length()) + 2) : told;
            if (addressRefused(e) && notThisHostsAddress(e)) {
                detail = detail.replace(" (the address is not on this host)", ""); // serve's hint below says it, for --bind
            }
            String why = "cannot listen on " + SummaryJson.hostPort(new InetSocketAddress(bind, port)) + ": " + detail;
            if (addressRefused(e)) {
                // The hint fits the cause: an address this host does not have is --bind's, a taken or
                // privileged port is --port's.
                throw new UsageException(why + (notThisHostsAddress(e)
                        ? " (--bind takes an address of this host: 127.0.0.1, ::1, or one 'ip address' lists)"
                        : " (--port P for another, 0 for a free one)"));
            }
            throw new IOException(why, e);
        }
        server.countQueueAtClose(); // said in the last line: connections its clients had, that it never accepted
        printer = new SessionPrinter(out, sessions, stop::countDown);
        queueDrops = AcceptQueueDrops.start(StateSources.DEFAULT_PROC_ROOT);
        ServeCpu cpu = ServeCpu.start();
        ControlServer controlServer;
        try {
            controlServer = ControlServer.start(new InetSocketAddress(bind, control),
                    new ControlServer.Settings(clients == null ? 0 : clients, this.out == null ? ResultsDirectory.DEFAULT_ROOT : this.out,
                            new SinkTerms(sink.requestBytes, sink.responseBytes, sink.closer, tls != null, http,
                                    tlsOptions.version(null) == null ? null : tlsOptions.version(null).label(), Map.of()),
                            () -> cpu.read(server.accepted(), server.notHeld())),
                    printer);
        } catch (IOException e) {
            server.close();
            String why = "cannot open the control port " + SummaryJson.hostPort(new InetSocketAddress(bind, control)) + ": "
                    + e.getMessage() + " (--control-port P to choose another)";
            if (addressRefused(e)) {
                throw new UsageException(why);
            }
            throw new IOException(why, e);
        }
        if (sink.closer == Closer.NEVER) {
            // Counted after the control port opened: what it holds is not the held connections' to take.
            server.holdAtMost(RunCapacity.holdable());
        }
        StopHook hook = StopHook.install("serve-stop", this::stopAndAwait);
        try (server) {
            out.println("listening on " + SummaryJson.hostPort(server.address()) + " (closer " + sink.closer.label() + ", "
                    + server.listeners() + (server.listeners() == 1 ? " listener" : " listeners") + heldBacklog(sink.backlogOrDefault())
                    + tlsWords(tls)
                    + (http ? ", HTTP" : "") + ")");
            // Two lines, each under 100 columns even with IPv6 addresses: where, then the command to paste.
            out.println("control on " + SummaryJson.hostPort(controlServer.address()) + " (sessions of "
                    + (clients == null ? "the size their first client gives" : clients + (clients == 1 ? " client" : " clients")) + ")");
            // Bound to every address (0.0.0.0, ::), the server cannot say which one a client reaches it by.
            String where = server.address().getAddress().isAnyLocalAddress()
                    ? "HOST:" + server.address().getPort() : SummaryJson.hostPort(server.address());
            out.println("  join with: churn run --target " + where + " --join"
                    + (control == 0 || port == 0 ? " --control-port " + controlServer.address().getPort() : ""));
            if (server.holdCap() != Long.MAX_VALUE) {
                out.println(heldBound(server.holdCap(), RunCapacity.openFilesLimit()));
            }
            out.flush();
            try {
                serve(server, out, cpu);
            } finally {
                // A session still running is merged with what arrived, before the sink's sockets close.
                controlServer.close();
            }
        } finally {
            // Said before the hook may let the JVM go (Ctrl-C, SIGTERM): the count is the last word.
            printer.sayHeldBack(); // the refusals counted, not shown, before the lines that end it (QA, 2026-12-06)
            long overflows = queueDrops.sinceStart();
            if (overflows > 0) {
                // Never seen by the sink, so in no count of its own: their clients' connects waited for a retransmit or
                // timed out. A line of its own, before the totals: the namespace's counter, not this sink's alone.
                out.println(String.format(Locale.ROOT, "a full accept queue dropped a SYN or last ACK %s while serving "
                        + "(ListenOverflows, any listener of this network namespace): those connects waited for a retransmit, "
                        + "or failed",
                        TableText.counted(overflows, "time")));
            }
            long accepted = server.accepted();
            String spent = cpu.total(accepted);
            if (spent != null) {
                out.println(spent);
            }
            out.println(String.format(Locale.ROOT, "accepted %,d connection%s", accepted, accepted == 1 ? "" : "s")
                    + faults(server) + "; closed");
            if (failed(controlServer)) {
                // Its reason beside exit 1: a --sessions 1 --duration 2s that no client joined ended on "closed" alone
                // (QA, 2026-12-06).
                out.println(controlServer.failedSessions() > 0
                        ? controlServer.failedSessions()
                                + " session(s) cancelled, short of a client or not written (said above): exit 1"
                        : "only " + controlServer.sessions() + " of the " + sessions + " sessions asked for (--sessions) ran: exit 1");
            }
            out.flush();
            closed.countDown();
            hook.remove(); // after Ctrl-C, the hook is running and waits for the close above
        }
        return failed(controlServer) ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    /**
     * ", backlog 100,000 held to 4,096 by net.core.somaxconn" when the kernel holds the listen backlog below the one asked
     * (the default 4096 too, under a smaller somaxconn), else "": it did so silently (review, 2026-12-07).
     */
    static String heldBacklog(int backlog) {
        String max = Sysctls.readOne(StateSources.DEFAULT_PROC_ROOT, "net.core.somaxconn");
        long somaxconn = max == null || !max.matches("\\d{1,18}") ? -1 : Long.parseLong(max);
        return somaxconn >= 0 && backlog > somaxconn
                ? String.format(Locale.ROOT, ", backlog %,d held to %,d by net.core.somaxconn", backlog, somaxconn) : "";
    }

    /** Exit 1 under --sessions N: a session cancelled, short of a client or not written, or fewer than N sessions. */
    private boolean failed(ControlServer c) {
        return sessions != null && (c.failedSessions() > 0 || c.sessions() < sessions);
    }

    /**
     * Whether a bind failed on the address the user gave (taken, not this host's, or a privileged
     * port without the right): bad input, exit 2 and one line, as for {@code monitor --listen}. Any
     * other failure (out of descriptors, ...) is the work failing.
     */
    static boolean notThisHostsAddress(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // EINVAL: a link-local address whose interface the kernel cannot tell (QA, 2026-12-06: --bind fe80::1%lo).
            if (t instanceof ErrnoException x && (x.errno() == Errno.EADDRNOTAVAIL || x.errno() == Errno.EINVAL)
                    || t.getMessage() != null && t.getMessage().contains("Cannot assign requested address")) {
                return true;
            }
        }
        return false;
    }

    static boolean addressRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            if (t instanceof ErrnoException x && "bind".equals(x.call())
                    && (x.errno() == Errno.EADDRINUSE || x.errno() == Errno.EADDRNOTAVAIL || x.errno() == Errno.EACCES
                    || x.errno() == Errno.EINVAL)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reports every few seconds until --duration passes or stop() is called; while nothing changes
     * (no accepts, nothing held or failed anew) only once a minute, so a server left waiting for
     * its clients for hours does not fill its log with the same line.
     */
    // Where results/ goes without --out, checked without making it: the folder if it is there, else its parent.
    private static boolean defaultRootWritable() {
        Path root = ResultsDirectory.DEFAULT_ROOT.toAbsolutePath();
        return Files.isDirectory(root) ? Files.isWritable(root) : Files.isWritable(root.getParent());
    }

    private void serve(SinkServer server, PrintWriter out, ServeCpu cpu) throws InterruptedException {
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long last = 0;
        String lastState = "0"; // what a server that has accepted nothing yet would report
        long tick = reportEvery.toNanos();
        // The rate and the quiet span are over the time that passed, not the ticks counted: a serve stopped for 9 s
        // (SIGSTOP) 3 s into its first tick said "accepted 236 (+47/s)" on waking, 12 s after it began: 20/s.
        long lastTick = clock.getAsLong();
        long lastLine = lastTick;
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            long wait = Math.min(left, tick);
            if (stop.await(wait, TimeUnit.NANOSECONDS)) {
                return;
            }
            if (wait == tick) {
                long now = server.accepted();
                String state = String.format(Locale.ROOT, "%,d%s%s", now, server.held() > 0 ? ", held open " + server.held() : "",
                        faults(server));
                boolean idle = state.equals(lastState); // the count is in it
                String spent = cpu.sinceLast(now); // each tick, so a line's share is of its own tick
                long t = clock.getAsLong();
                double tickSeconds = Math.max(1e-9, (t - lastTick) / 1e9);
                double quietSeconds = (t - lastLine) / 1e9;
                if (!idle || quietSeconds >= IDLE_REPORT_SECONDS) {
                    printer.sayHeldBack();
                    double rate = (now - last) / tickSeconds;
                    out.println(String.format(Locale.ROOT, "accepted %,d (%s)%s%s%s", now,
                            idle ? String.format(Locale.ROOT, "none in the last %,.0f s", quietSeconds)
                                    // Below 10/s with a decimal: one TLS handshake in a 5 s tick read "+0/s".
                                    : String.format(Locale.ROOT, rate < 10 ? "+%,.1f/s" : "+%,.0f/s", rate),
                            server.held() > 0 ? ", held open " + server.held() : "", faults(server), spent));
                    out.flush();
                    lastLine = t;
                }
                last = now;
                lastTick = t;
                lastState = state;
            }
        }
    }

    /** Said at the start under --closer never when a descriptor limit bounds what it holds. */
    static String heldBound(long cap, long openFiles) {
        // The descriptors already open (the JVM's jars and files, the listeners) are said too: 20,000 less 2,500 is not
        // the 17,485 printed beside them (QA, 2026-12-06).
        long reserve = RunCapacity.holdReserve(openFiles);
        long inUse = Math.max(0, openFiles - reserve - cap);
        return String.format(Locale.ROOT, "--closer never holds at most %,d connections at once (ulimit -n %,d, less %,d "
                + "kept for serving and results%s);%n  past that it serves and closes them as --closer client does: "
                + "raise ulimit -n to hold more", cap, openFiles, reserve,
                inUse > 0 ? String.format(Locale.ROOT, " and %,d open already", inUse) : "");
    }

    /** What Ctrl-C runs: ends serving and waits, bounded, until every socket is closed. */
    boolean stopAndAwait() {
        stop.countDown();
        try {
            return closed.await(STOP_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The bind address, for the self-signed certificate's names, unless it already names it (loopback) or names nothing (any). */
    private static List<String> extraHosts(InetAddress bind) {
        return bind.isLoopbackAddress() || bind.isAnyLocalAddress() ? List.of() : List.of(bind.getHostAddress());
    }

    /** {@code , TLS 1.2/1.3, self-signed ec certificate, SHA-256 fingerprint AB:CD:...}, or nothing without TLS. */
    private String tlsWords(ServerTls tls) {
        if (tls == null) {
            return "";
        }
        TlsVersion only = tlsOptions.version(null);
        String cert = tlsOptions.cert != null ? "certificate from " + tlsOptions.cert
                : "self-signed " + (tlsOptions.keyType == null ? TlsKeyType.EC : tlsOptions.keyType).label() + " certificate";
        return ", TLS " + (only == null ? TlsVersion.V1_2.label() + "/" + TlsVersion.V1_3.label() : only.label())
                + (noTlsTickets ? " without session tickets" : "") + ", " + cert
                + ", SHA-256 fingerprint " + fingerprint(tls.certificate());
    }

    /** The certificate's SHA-256 fingerprint as openssl x509 -fingerprint -sha256 prints it: a client can check it. */
    static String fingerprint(X509Certificate c) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot fingerprint the certificate: " + e.getMessage(), e);
        }
    }

    /** What went wrong with clients, when anything did: failed handshakes, connections closed for silence. */
    private static String faults(SinkServer server) {
        String s = "";
        if (server.unaccepted() > 0) {
            // Known at the close only: set up by the kernel, their clients' connects returned, and reset by the close.
            s += String.format(Locale.ROOT, ", %,d more never accepted (in the accept queue at the stop, reset)",
                    server.unaccepted());
        }
        if (server.tlsFailures() > 0) {
            s += String.format(Locale.ROOT, ", %,d TLS handshake%s failed", server.tlsFailures(), server.tlsFailures() == 1 ? "" : "s");
        }
        if (server.resets() > 0) {
            // What --closer abort asks for, and what a warm-up's SO_LINGER 0 sends; else a client that went away.
            s += String.format(Locale.ROOT, ", %,d ended by a reset (a client's RST%s)", server.resets(),
                    server.config().http() ? ", or a request head over 16 KiB" : "");
        }
        if (server.idleCloses() > 0) {
            s += String.format(Locale.ROOT, ", %,d reset after %d s of silence", server.idleCloses(), SinkServer.IDLE_SECONDS);
        }
        if (server.notHeld() > 0) {
            s += String.format(Locale.ROOT, ", %,d not held (past the %,d this ulimit -n allows)", server.notHeld(),
                    server.holdCap());
        }
        if (server.acceptFailures() > 0) {
            // Out of descriptors (errno 24, as a rule): clients wait behind a full accept queue and fail nothing here.
            // Calls, retried about once a millisecond, not connections: said here as the run's table says it.
            s += String.format(Locale.ROOT, ", accept failed %s (calls, each retried; first: %s)",
                    TableText.counted(server.acceptFailures(), "time"),
                    server.firstAcceptFailure());
        }
        return s;
    }
}
