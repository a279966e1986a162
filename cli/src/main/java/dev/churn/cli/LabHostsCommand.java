package dev.churn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.config.Closer;
import dev.churn.bench.lab.HostProcess;
import dev.churn.bench.lab.LabNetwork;
import dev.churn.bench.lab.NetNamespace;
import dev.churn.bench.result.ResultsDirectory;
import dev.churn.bench.result.RunMerger;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * {@code churn lab hosts}: a multi-host run rehearsed on one machine. One server and N client
 * "hosts", each a network namespace joined by a bridge, each running churn as a process of its own
 * ({@code churn serve} on the server, {@code churn run --target} on every client at once); then
 * their results are merged as {@code churn merge} does and a table per host is printed.
 * Needs root; every namespace is removed at the end, also on failure or Ctrl-C. On Ctrl-C (or
 * SIGTERM) the clients are stopped first and given time to write their results, which are then
 * collected and merged as usual; the server stops next, and the namespaces go last.
 */
@Command(name = "hosts", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rehearses a multi-host run on one machine: a server namespace and N client namespaces "
                + "(198.18.0.0/24, RFC 2544's benchmarking range) on a bridge in a namespace of its own; 'churn serve' "
                + "runs in the server, 'churn run --target' in every client at once, each as its own process; then "
                + "the runs are merged and shown per host.",
            "Root is needed for the namespaces; the host's own network is never touched."})
public final class LabHostsCommand implements Callable<Integer> {

    /** The server's port in its namespace: fixed, since the clients must know it; nothing else listens there. */
    static final int PORT = 24900;
    static final int DEFAULT_CLIENTS = 3;
    static final long DEFAULT_CONNECTIONS = 2000;
    private static final String MAIN = "dev.churn.cli.Main";
    private static final Duration SERVER_START = Duration.ofSeconds(30);
    // Beyond the run itself: JVM start, writing results; generous, yet bounded.
    private static final Duration CLIENT_SLACK = Duration.ofSeconds(90);
    private static final Pattern ACCEPTED = Pattern.compile("accepted ([\\d,]+) connections; closed");
    /** What Ctrl-C waits for: the clients' grace, then stopping the server, merging and printing. */
    private static final Duration STOP_WAIT = HostProcess.CLIENT_GRACE.plusSeconds(30);
    /** Exit codes of a JVM ended by SIGINT and SIGTERM (128 + signal): a stopped client, not a failed one. */
    private static final List<Integer> STOPPED_CODES = List.of(130, 143);
    /** What a run stopped by Ctrl-C returns, as the JVM itself would (128 + SIGINT). */
    private static final int STOPPED_EXIT = 130;

    @Spec
    CommandSpec spec;

    @Option(names = "--clients", paramLabel = "N", description = "Client hosts, 1.." + LabNetwork.MAX_CLIENTS + " (default 3).")
    int clients = DEFAULT_CLIENTS;

    @Option(names = "--connections", paramLabel = "N", converter = OptionConverters.PositiveLong.class,
            description = "Connections per client host (default " + DEFAULT_CONNECTIONS + " when no --duration).")
    Long connections;

    @Option(names = "--duration", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Run each client this long, e.g. 10s (with --connections: whichever comes first).")
    Duration duration;

    @Option(names = "--closer", paramLabel = "WHO", converter = OptionConverters.CloserName.class,
            description = "Who closes first, given to the server and every client: client (default), server, abort, "
                    + "half or never.")
    Closer closer = Closer.CLIENT;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write here: one folder per client, merged/, and each process's output in logs/ "
                    + "(default results/<yyyyMMdd-HHmmss>-lab-hosts/).")
    Path out;

    /** Test seam: extra arguments for the first client's {@code churn run}, e.g. a bad option to make it fail. */
    List<String> firstClientExtraArgs = List.of();

    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || clients > LabNetwork.MAX_CLIENTS) {
            throw new UsageException("--clients must be 1.." + LabNetwork.MAX_CLIENTS + ", got " + clients);
        }
        if (!NetNamespace.permitted()) {
            throw LabCommand.needsRoot();
        }
        Path root = (out == null
                ? ResultsDirectory.create(ResultsDirectory.DEFAULT_ROOT, "lab-hosts", Instant.now())
                : RunCommand.usage(() -> ResultsDirectory.at(out))).path().toAbsolutePath();
        if (Files.exists(root.resolve("merged"))) {
            throw new UsageException("--out: " + root + " already holds a lab hosts run (merged/); name another directory");
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Ctrl-C: the lab's own cleanup hook stops the clients, then the server, then removes the
        // namespaces; this one keeps the JVM alive, bounded, until the results are collected below.
        Thread hook = Thread.ofPlatform().name("churn-lab-hosts-stop").unstarted(this::stopAndAwait);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return runLab(root, o, err);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waited for the results collected above.
            }
        }
    }

    private int runLab(Path root, PrintWriter o, PrintWriter err) throws IOException, InterruptedException {
        Path logs = root.resolve("logs");
        List<Path> runs = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        String server;
        long accepted;
        try (LabNetwork net = LabNetwork.create(clients)) {
            server = net.serverAddress().getHostAddress();
            for (int i = 0; i < clients; i++) {
                addresses.add(net.clientAddress(i).getHostAddress());
            }
            err.println("lab hosts: server " + server + ":" + PORT + " and " + clients + " client(s), each a namespace "
                    + "and a JVM of its own (closer " + closer.label() + ")");
            err.flush();
            try (HostProcess srv = HostProcess.start(net.server(), HostProcess.Role.SERVER, HostProcess.java(MAIN, List.of("serve", "--bind", server,
                    "--port", Integer.toString(PORT), "--closer", closer.label())), logs, "server")) {
                if (!srv.awaitOutput("listening on", SERVER_START)) {
                    throw new IOException("the server did not start in " + SERVER_START.toSeconds() + " s"
                            + detail(srv) + " (see " + srv.stdout().getParent() + ")");
                }
                runClients(net, server, root, logs, runs);
                // SIGTERM: its shutdown hook closes every socket and it prints what it accepted.
                srv.kill();
                accepted = accepted(srv.stdout());
            }
        }
        if (stopping) {
            // Stopped: a client that could not write its results in its grace has none to merge.
            List<Path> written = new ArrayList<>();
            List<String> at = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                if (Files.isRegularFile(runs.get(i).resolve("summary.json"))) {
                    written.add(runs.get(i));
                    at.add(addresses.get(i));
                } else {
                    err.println("lab hosts: " + host(i) + " stopped without results (its output is in " + logs + ")");
                }
            }
            runs = written;
            addresses = at;
        }
        JsonNode merged = null;
        if (runs.size() > 1) {
            // The clients are JVMs started one after another: short runs may not overlap in time, which a
            // plain merge refuses. The lab merges anyway and prints why the figures may not add (--force).
            merged = RunMerger.merge(runs, ResultsDirectory.at(root.resolve("merged")), RunMerger.DEFAULT_LABEL, true);
        }
        print(o, runs, addresses, merged, server, accepted, root);
        return stopping ? STOPPED_EXIT : ExitCodes.OK;
    }

    /** What Ctrl-C runs: says the lab is stopping and waits, bounded, until its results are collected. */
    private void stopAndAwait() {
        stopping = true;
        try {
            finished.await(STOP_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // All clients start at once, each bounded; any that fails (or overruns) fails the lab with one line.
    private void runClients(LabNetwork net, String server, Path root, Path logs, List<Path> runs)
            throws IOException, InterruptedException {
        List<HostProcess> ps = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Path dir = root.resolve(host(i));
                List<String> args = new ArrayList<>(List.of("run", "--target", server + ":" + PORT,
                        "--closer", closer.label(), "--out", dir.toString(), "--label", host(i), "--no-progress"));
                long n = connections != null ? connections : duration == null ? DEFAULT_CONNECTIONS : 0;
                if (n > 0) {
                    args.addAll(List.of("--connections", Long.toString(n)));
                }
                if (duration != null) {
                    args.addAll(List.of("--duration", duration.toMillis() + "ms"));
                }
                if (i == 0) {
                    args.addAll(firstClientExtraArgs);
                }
                ps.add(HostProcess.start(net.clients().get(i), HostProcess.Role.CLIENT, HostProcess.java(MAIN, args), logs, host(i)));
                runs.add(dir);
            }
            Duration limit = (duration == null ? Duration.ZERO : duration).plus(CLIENT_SLACK);
            long end = System.nanoTime() + limit.toNanos();
            List<String> failed = new ArrayList<>();
            for (HostProcess p : ps) {
                if (!p.waitFor(Duration.ofNanos(Math.max(0, end - System.nanoTime())))) {
                    failed.add(p.name() + " did not finish in " + limit.toSeconds() + " s");
                } else if (p.exitCode() != 0 && !(stopping || STOPPED_CODES.contains(p.exitCode()))) {
                    failed.add(p.name() + " exited " + p.exitCode() + detail(p));
                }
            }
            if (!failed.isEmpty() && !stopping) {
                throw new IOException(String.join("; ", failed) + " (its output is in " + logs + ")");
            }
        } finally {
            ps.forEach(HostProcess::close);
        }
    }

    private void print(PrintWriter o, List<Path> runs, List<String> addresses, JsonNode merged, String server, long accepted,
            Path root) throws IOException {
        o.println(String.format(Locale.ROOT, "%-10s %-13s %11s %11s %8s %18s", "host", "address", "rate/s", "completed",
                "failed", "connect p99 (µs)"));
        for (int i = 0; i < runs.size(); i++) {
            row(o, host(i), addresses.get(i), SummaryJson.read(runs.get(i)));
        }
        if (merged != null) {
            row(o, "merged", "", merged);
            for (JsonNode m : merged.at("/merge/mismatches")) {
                o.println("  note: " + m.asText());
            }
        }
        // Serve prints its count after its sockets are closed, racing its own exit on SIGTERM: it may be missing.
        o.println(accepted < 0 ? "server " + server + ":" + PORT + " stopped (its output: logs/server.out)"
                : String.format(Locale.ROOT, "server %s:%d accepted %,d connections", server, PORT, accepted));
        for (Path r : runs) {
            o.println("  " + r);
        }
        if (merged != null) {
            o.println("merged: " + root.resolve("merged") + "   (churn report " + root.resolve("merged") + ")");
        }
        o.println("every lab namespace is removed; process output is in " + root.resolve("logs"));
        o.flush();
    }

    private static void row(PrintWriter o, String host, String address, JsonNode s) {
        o.println(String.format(Locale.ROOT, "%-10s %-13s %,11.1f %,11d %,8d %18.1f", host, address,
                s.at("/connections/perSecond").asDouble(), s.at("/connections/completed").asLong(),
                s.at("/connections/failed").asLong(), s.at("/phases/connect/p99").asDouble()));
    }

    static String host(int i) {
        return "client-" + (i + 1);
    }

    private static String detail(HostProcess p) {
        String line = p.lastErrorLine();
        return line.isEmpty() ? "" : ": " + line;
    }

    private static long accepted(Path serverOut) throws IOException {
        Matcher m = ACCEPTED.matcher(Files.readString(serverOut));
        return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
    }
}
