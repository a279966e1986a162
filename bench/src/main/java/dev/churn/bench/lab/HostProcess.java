package dev.churn.bench.lab;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A program run inside a lab namespace as a process of its own ({@code ip netns exec}), the way a
 * separate machine would run it: its output goes to files, every wait is bounded, and {@link #close}
 * ends it and everything it started. It runs in a session of its own, so a terminal's Ctrl-C
 * reaches only the lab's JVM, which then stops its hosts in order (see {@link #stopAll}): clients
 * first, given time to write their results, then servers, and only then are namespaces removed.
 * Use: {@code try (HostProcess p = HostProcess.start(ns, Role.SERVER, HostProcess.java("dev.churn.cli.Main", "serve"), dir, "server")) {...}}
 */
public final class HostProcess implements AutoCloseable {

    /** What a host is to the others: clients stop before servers, so no client sees its server vanish. */
    public enum Role {
        /** Stopped first; given {@link #CLIENT_GRACE} to write its results. */
        CLIENT,
        /** Stopped once every client has. */
        SERVER
    }

    /** A stopped {@code churn run} writes its results before it exits (its own limit is 10 s): more than that. */
    public static final Duration CLIENT_GRACE = Duration.ofSeconds(15);
    private static final Duration GRACE = Duration.ofSeconds(5);
    /** A server stopped after its clients may be merging what they sent it (churn serve's control channel): more time. */
    private static final Duration SERVER_GRACE = Duration.ofSeconds(30);
    private static final Set<HostProcess> LIVE = ConcurrentHashMap.newKeySet();
    /** setsid(1) puts the host in a session of its own (it execs, no fork, for a child that leads no group). */
    static final String SETSID = "/usr/bin/setsid";

    private final String name;
    private final Role role;
    private final Process process;
    private final Path out;
    private final Path err;

    private HostProcess(String name, Role role, Process process, Path out, Path err) {
        this.name = name;
        this.role = role;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts the command in the namespace; its standard output and error go to {@code <logs>/<name>.out}
     * and {@code .err}.
     */
    public static HostProcess start(NetNamespace ns, Role role, List<String> command, Path logs, String name) throws IOException {
        return start(ns, role, command, logs, name, null);
    }

    /** {@link #start(NetNamespace, Role, List, Path, String)} in this working directory (null: this JVM's). */
    public static HostProcess start(NetNamespace ns, Role role, List<String> command, Path logs, String name, Path workDir)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of(SETSID))) {
            cmd.add(SETSID);
        }
        cmd.addAll(List.of("ip", "netns", "exec", ns.name()));
        cmd.addAll(command);
        Files.createDirectories(logs);
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        ProcessBuilder b = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (workDir != null) {
            b.directory(workDir.toFile());
        }
        Process p = b.start();
        HostProcess h = new HostProcess(name, role, p, out, err);
        LIVE.add(h);
        return h;
    }

    /** This JVM's java launcher and class path running {@code mainClass} with these arguments. */
    public static List<String> java(String mainClass, List<String> args) {
        return java(mainClass, List.of(), args);
    }

    /**
     * {@link #java(String, List)} with these JVM options too (e.g. a system property). The host's JVM gets this one's
     * options first, as the launcher gave them: started with --enable-native-access alone, the lab's hosts ran without
     * the launcher's -XX:PerMethodTrapLimit=0 -XX:PerBytecodeTrapLimit=0 (performance.md: they change the measured
     * part's first second) or the user's CHURN_JAVA_OPTS, so a lab measured another JVM than the deployment it rehearses.
     */
    public static List<String> java(String mainClass, List<String> jvmOptions, List<String> args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(inheritedOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        if (!cmd.contains(NATIVE_ACCESS)) {
            cmd.add(NATIVE_ACCESS);
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /**
     * This JVM's options a host's JVM takes too: all but agents (a debugger's listening port, taken twice, would stop
     * every host from starting) and the class path, which {@link #java} gives itself.
     */
    static List<String> inheritedOptions(List<String> mine) {
        return mine.stream().filter(o -> !o.startsWith("-agentlib:") && !o.startsWith("-agentpath:")
                && !o.startsWith("-javaagent:") && !o.startsWith("-Xrunjdwp") && !o.equals("-Xdebug")).toList();
    }

    /** The name given at start. */
    public String name() {
        return name;
    }

    /** Waits at most this long for the process to exit; true when it did. */
    public boolean waitFor(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Polls its standard output until a line contains {@code text}; false when the limit passes or it exits first. */
    public boolean awaitOutput(String text, Duration limit) throws IOException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (Files.readString(out, StandardCharsets.UTF_8).contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                return Files.readString(out, StandardCharsets.UTF_8).contains(text);
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** True while it runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Its exit code; only after it exited. */
    public int exitCode() {
        return process.exitValue();
    }

    /** The file its standard output goes to. */
    public Path stdout() {
        return out;
    }

    /** The last non-blank line it wrote to standard error, or "" (what went wrong, for a one-line report). */
    public String lastErrorLine() {
        try {
            List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.getLast().strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Asks it and its children to stop (SIGTERM: its shutdown hooks run), then forces them after a grace period. */
    public void kill() {
        List<ProcessHandle> tree = terminate();
        awaitOrForce(tree, System.nanoTime() + GRACE.toNanos());
    }

    /** SIGKILL to it and its children, at once: a host that dies without a word, as a crashed machine does. */
    public void killAbruptly() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** The role it was started with. */
    public Role role() {
        return role;
    }

    // SIGTERM to it and its children; returns them, to wait for.
    private List<ProcessHandle> terminate() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.addFirst(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        return tree;
    }

    private static void awaitOrForce(List<ProcessHandle> tree, long endNanos) {
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(Math.max(1, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception notYet) {
                h.destroyForcibly();
            }
        }
    }

    /**
     * Stops every host still running, clients before servers: each wave gets SIGTERM at once and
     * its grace ({@link #CLIENT_GRACE} for clients) before it is forced. Run by the lab's shutdown
     * hook (Ctrl-C, SIGTERM) before it removes any namespace, so no host loses its network mid-run.
     */
    static void stopAll() {
        for (Role wave : Role.values()) {
            List<HostProcess> ps = LIVE.stream().filter(p -> p.role == wave && p.process.isAlive()).toList();
            List<List<ProcessHandle>> trees = ps.stream().map(HostProcess::terminate).toList();
            long end = System.nanoTime() + (wave == Role.CLIENT ? CLIENT_GRACE : SERVER_GRACE).toNanos();
            trees.forEach(t -> awaitOrForce(t, end));
        }
    }

    /** Stops it if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        LIVE.remove(this);
    }
}
