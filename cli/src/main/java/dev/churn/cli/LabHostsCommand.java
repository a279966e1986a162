package dev.churn.cli;

import dev.churn.bench.config.Closer;
import dev.churn.bench.engine.RunSpec;
import dev.churn.bench.lab.HostProcess;
import dev.churn.bench.lab.LabNetwork;
import dev.churn.bench.lab.NetNamespace;
import dev.churn.bench.control.SessionReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code churn lab hosts}: a multi-host run rehearsed on one machine with the code of a real
 * deployment. One server and N client "hosts", each a network namespace joined by a bridge, each
 * running churn as a process of its own: {@code churn serve --clients N --sessions 1} on the server,
 * {@code churn run --target --join} on every client. The clients join one session through the
 * server's control port, start at the instant it gives, and send their results back; the server
 * merges them and exits. The lab then shows the session as the server wrote it. Needs root; every
 * namespace is removed at the end, also on failure or Ctrl-C. On Ctrl-C (or SIGTERM) the clients are
 * stopped first and given time to send their results, which the server still merges; the server stops
 * next, and the namespaces go last.
 */
@Command(name = "hosts", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rehearses a multi-host run on one machine: a server namespace and N client namespaces "
                + "(addresses 198.18.0.x, RFC 2544's benchmarking range) on a bridge in a namespace of its own; 'churn serve "
                + "--clients N' runs in the server, 'churn run --target --join' in every client, each as its own process. "
                + "The clients join one session through the server's control port, start at one instant and send their "
                + "results back; the server merges them, and the session is shown per host.",
            "Root is needed for the namespaces; the host's own network is never touched.",
            "",
            "Examples:",
            "  churn lab hosts                               3 clients, 2,000 connections each",
            "  churn lab hosts --clients 2 --duration 10s",
            "  churn lab hosts --closer server --clients 4",
            "",
            "Exit codes: 0 when every client's results were merged, 1 when one failed or was lost (the others are still "
                    + "merged, marked partial), 2 on bad input, 130 when stopped by Ctrl-C."})
public final class LabHostsCommand implements Callable<Integer> {

    /** The server's port in its namespace: fixed, since the clients must know it; nothing else listens there. */
    static final int PORT = 24900;
    static final int DEFAULT_CLIENTS = 3;
    static final long DEFAULT_CONNECTIONS = 2000;
    private static final String MAIN = "dev.churn.cli.Main";
    private static final Duration SERVER_START = Duration.ofSeconds(30);
    // Beyond the run itself: JVM start, writing results; generous, yet bounded.
    private static final Duration CLIENT_SLACK = Duration.ofSeconds(90);
    /**
     * A client's run when only --connections bounds it: it stops at this as at a --duration, its results kept, so the
     * lab's wait for its clients is bounded by what it told them (a count alone once met a hidden 150 s wait, and the
     * clients that had finished were called failed).
     */
    static final Duration COUNT_RUN_CAP = Duration.ofMinutes(5);
    /** How long the server waits for every client to be ready: N JVMs starting on a busy 2-core machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** After the clients: the server merges and exits by itself. */
    private static final Duration SESSION_END = Duration.ofSeconds(30);
    /** Where each client writes its own copy of its results (the server holds the session's). */
    static final String LOCAL = "local";
    private static final Pattern ACCEPTED = Pattern.compile("accepted ([\\d,]+) connections.*; closed");
    /** What Ctrl-C waits for: the clients' grace, then stopping the server, merging and printing. */
    private static final Duration STOP_WAIT = HostProcess.CLIENT_GRACE.plusSeconds(45);
    /** Exit codes of a JVM ended by SIGINT and SIGTERM (128 + signal): a stopped client, not a failed one. */
    private static final List<Integer> STOPPED_CODES = List.of(130, 143);
    /** What a run stopped by Ctrl-C returns, as the JVM itself would (128 + SIGINT). */
    private static final int STOPPED_EXIT = 130;

    @Spec
    CommandSpec spec;

    @Option(names = "--clients", paramLabel = "N", description = "Client hosts, 1.." + LabNetwork.MAX_CLIENTS + " (default 3).")
    int clients = DEFAULT_CLIENTS;

    @Option(names = "--connections", paramLabel = "N", converter = OptionConverters.PositiveLong.class,
            description = "Connections per client host (default " + DEFAULT_CONNECTIONS + " when no --duration; "
                    + "without --duration each client also stops after 5 minutes, keeping what it measured).")
    Long connections;

    @Option(names = "--duration", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Run each client this long, e.g. 10s (with --connections: whichever comes first).")
    Duration duration;

    @Option(names = "--closer", paramLabel = "WHO", converter = OptionConverters.CloserName.class,
            description = "Who closes first, given to the server and every client: client (default), server, abort, "
                    + "half or never.")
    Closer closer = Closer.CLIENT;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write here: the session's folder (<stamp>-session/: one folder per client, merged/, "
                    + "session.json), each client's own copy in local/ and each process's output in logs/ "
                    + "(default results/<yyyyMMdd-HHmmss>-lab-hosts/).")
    Path out;

    /** Test seam: extra arguments for the first client's {@code churn run}, e.g. a bad option to make it fail. */
    List<String> firstClientExtraArgs = List.of();

    /** Test seam: SIGKILL the first client this long after the session started, as a host that dies mid-run. */
    Duration killFirstClientAfter;

    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || clients > LabNetwork.MAX_CLIENTS) {
            throw new UsageException("--clients must be 1.." + LabNetwork.MAX_CLIENTS + ", got " + clients);
        }
        if (duration != null && duration.compareTo(RunCommand.MIN_DURATION) < 0) {
            // Each client is a 'churn run', which would refuse it from inside its namespace, in a log.
            throw new UsageException("--duration must be at least " + RunCommand.MIN_DURATION.toMillis() + "ms, got "
                    + DurationConverter.format(duration));
        }
        if (duration != null && duration.compareTo(RunSpec.MAX_DURATION) > 0) {
            // The same: 25h built the namespaces and started every host before a client's log refused it (QA, 2026-12-06).
            throw new UsageException("--duration must be at most " + RunSpec.MAX_DURATION.toHours()
                    + "h, got " + DurationConverter.format(duration));
        }
        if (!NetNamespace.permitted()) {
            throw LabCommand.needsRoot();
        }
        Path root = OutFolder.open(out, false, "lab-hosts").path().toAbsolutePath();
        if (Files.exists(root.resolve("merged"))) {
            throw new UsageException("--out: " + root + " already holds a lab hosts run (merged/); name another directory");
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Ctrl-C: the lab's own cleanup hook stops the clients, then the server, then removes the
        // namespaces; this one keeps the JVM alive, bounded, until the results are collected below.
        StopHook hook = StopHook.install("lab-hosts-stop", this::stopAndAwait);
        try {
            return runLab(root, o, err);
        } finally {
            finished.countDown();
            hook.remove(); // after Ctrl-C, the hook is running and waited for the results collected above
        }
    }

    private int runLab(Path root, PrintWriter o, PrintWriter err) throws IOException, InterruptedException {
        Path logs = root.resolve("logs");
        String server;
        long accepted;
        List<String> failed;
        try (LabNetwork net = LabNetwork.create(clients)) {
            server = net.serverAddress().getHostAddress();
            err.println("lab hosts: server " + server + ":" + PORT + " (control port " + (PORT + 1) + ") and " + clients
                    + (clients == 1 ? " client" : " clients")
                    + ", each a namespace and a JVM of its own, joined in one session through the server's control "
                    + "port (closer " + closer.label() + ")");
            err.flush();
            // The server runs one session of N clients and exits: 0 when every client's results arrived, 1 otherwise.
            try (HostProcess srv = HostProcess.start(net.server(), HostProcess.Role.SERVER, HostProcess.java(MAIN, List.of("serve",
                    "--bind", server, "--port", Integer.toString(PORT), "--closer", closer.label(), "--clients", Integer.toString(clients),
                    "--sessions", "1", "--out", root.toString())), logs, "server")) {
                if (!srv.awaitOutput("control on", SERVER_START)) {
                    throw new IOException("the server did not start in " + SERVER_START.toSeconds() + " s"
                            + detail(srv) + " (see " + srv.stdout().getParent() + ")");
                }
                failed = runClients(net, server, root, srv);
                // Its session over, the server writes the merge and exits by itself; then it has said what it accepted.
                if (!srv.waitFor(SESSION_END)) {
                    srv.kill();
                }
                accepted = accepted(srv.stdout());
            }
        }
        Path session = sessionDir(root);
        if (session == null) {
            String why = failed.isEmpty() ? "the server wrote no session" + serverLastLine(logs) : String.join("; ", failed);
            throw new IOException(why + " (the processes' output is in " + logs + ")");
        }
        SessionReport report = SessionReport.read(session, LabCommand.JSON);
        for (String f : failed) {
            err.println("lab hosts: " + f);
        }
        err.flush();
        print(o, report, server, accepted, root);
        if (stopping) {
            o.println("stopped by a signal: the clients' runs ended early; the session above holds what they measured");
            o.flush();
            return STOPPED_EXIT;
        }
        return report.partial() || !failed.isEmpty() ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    /** What Ctrl-C runs: says the lab is stopping and waits, bounded, until its results are collected. */
    private void stopAndAwait() {
        stopping = true;
        PrintWriter err = spec.commandLine().getErr();
        // Both figures: docs/multi-host.md gives each client 15 s, and "up to 60 s" alone read as a contradiction.
        err.println("lab hosts: stopping: the clients end their runs and send what they measured (up to "
                + HostProcess.CLIENT_GRACE.toSeconds() + " s each), then the server merges; waiting up to "
                + STOP_WAIT.toSeconds() + " s in all");
        err.flush();
        try {
            finished.await(STOP_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts every client at once and waits, bounded, until all have ended; returns what went wrong
     * with each that failed. A client that fails before the session starts can never be waited for:
     * the server is stopped then, which cancels the session for the others at once.
     */
    private List<String> runClients(LabNetwork net, String server, Path root, HostProcess srv)
            throws IOException, InterruptedException {
        List<HostProcess> ps = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                List<String> args = new ArrayList<>(List.of("run", "--target", server + ":" + PORT, "--join", "--clients",
                        Integer.toString(clients), "--start-timeout", START_TIMEOUT.toSeconds() + "s", "--closer", closer.label(),
                        "--out", root.resolve(LOCAL).resolve(host(i)).toString(), "--label", host(i), "--no-progress"));
                long n = connections != null ? connections : duration == null ? DEFAULT_CONNECTIONS : 0;
                if (n > 0) {
                    args.addAll(List.of("--connections", Long.toString(n)));
                }
                args.addAll(List.of("--duration", (duration != null ? duration : COUNT_RUN_CAP).toMillis() + "ms"));
                if (i == 0) {
                    args.addAll(firstClientExtraArgs);
                }
                ps.add(HostProcess.start(net.clients().get(i), HostProcess.Role.CLIENT, HostProcess.java(MAIN, args),
                        root.resolve("logs"), host(i)));
            }
            Duration limit = START_TIMEOUT.plus(duration == null ? COUNT_RUN_CAP : duration).plus(CLIENT_SLACK);
            long end = System.nanoTime() + limit.toNanos();
            long killAt = Long.MAX_VALUE;
            boolean serverStopped = false;
            while (ps.stream().anyMatch(HostProcess::isAlive) && System.nanoTime() - end < 0) {
                String said = Files.readString(srv.stdout());
                boolean started = said.contains(" clients start at ") || said.contains(" client starts at ");
                if (started && killFirstClientAfter != null && killAt == Long.MAX_VALUE) {
                    killAt = System.nanoTime() + killFirstClientAfter.toNanos();
                }
                if (System.nanoTime() - killAt >= 0 && ps.getFirst().isAlive()) {
                    ps.getFirst().killAbruptly(); // test seam: a host that dies mid-run
                }
                if (!started && !serverStopped && !stopping && ps.stream().anyMatch(p -> !p.isAlive() && p.exitCode() != 0)) {
                    // One client failed before the start: the session can never start. The server stops (its clients
                    // hear the cancellation) and so do the clients still starting, which would wait for it in vain.
                    srv.kill();
                    ps.stream().filter(HostProcess::isAlive).forEach(HostProcess::kill);
                    serverStopped = true;
                }
                Thread.sleep(50);
            }
            List<String> failed = new ArrayList<>();
            for (HostProcess p : ps) {
                if (p.isAlive()) {
                    failed.add(p.name() + " did not finish in " + limit.toSeconds() + " s");
                } else if (p.exitCode() != 0 && !(stopping && STOPPED_CODES.contains(p.exitCode()))) {
                    failed.add(p.name() + " exited " + p.exitCode() + (p.exitCode() == 137 ? " (killed)" : detail(p)));
                }
            }
            return failed;
        } finally {
            ps.forEach(HostProcess::close);
        }
    }

    private void print(PrintWriter o, SessionReport r, String server, long accepted, Path root) {
        o.print(SessionTable.render(r));
        // Serve prints its count after its sockets are closed, racing its own exit on SIGTERM: it may be missing.
        o.println(accepted < 0 ? "server " + server + ":" + PORT + " stopped (its output: logs/server.out)"
                : String.format(Locale.ROOT, "server %s:%d accepted %,d connections", server, PORT, accepted));
        o.println("every lab namespace is removed; process output is in " + root.resolve("logs") + ", each client's own copy of "
                + "its results in " + root.resolve(LOCAL));
        o.flush();
    }

    /** The session folder the server made under the lab's folder, or null when it made none. */
    static Path sessionDir(Path root) throws IOException {
        try (var s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith("-session") && Files.isRegularFile(p.resolve(SessionReport.FILE)))
                    .findFirst().orElse(null);
        }
    }

    private static String serverLastLine(Path logs) {
        try {
            List<String> lines = Files.readAllLines(logs.resolve("server.out")).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : ": " + lines.getLast().strip();
        } catch (IOException e) {
            return "";
        }
    }

    static String host(int i) {
        return "client-" + (i + 1);
    }

    private static String detail(HostProcess p) {
        String line = p.lastErrorLine();
        return line.isEmpty() ? "" : ": " + line;
    }

    /**
     * The server's standard output, read byte for byte: in whatever encoding its JVM wrote (µ is one
     * byte in Latin-1, which strict UTF-8 decoding refuses), the ASCII the patterns read is the same.
     */
    private static String serverOutput(Path serverOut) throws IOException {
        return new String(Files.readAllBytes(serverOut), StandardCharsets.ISO_8859_1);
    }

    private static long accepted(Path serverOut) throws IOException {
        Matcher m = ACCEPTED.matcher(serverOutput(serverOut));
        return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
    }
}
