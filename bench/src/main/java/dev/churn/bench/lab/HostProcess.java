package dev.churn.bench.lab;

import java.io.IOException;
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
 * (or a shutdown hook, on Ctrl-C) ends it and everything it started.
 * Use: {@code try (HostProcess p = HostProcess.start(ns, HostProcess.java("dev.churn.cli.Main", "serve"), dir, "server")) {...}}
 */
public final class HostProcess implements AutoCloseable {

    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Set<HostProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("churn-lab-process-cleanup").unstarted(() -> {
            for (HostProcess p : LIVE) {
                p.kill();
            }
        }));
    }

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private HostProcess(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts the command in the namespace; its standard output and error go to {@code <logs>/<name>.out}
     * and {@code .err}.
     */
    public static HostProcess start(NetNamespace ns, List<String> command, Path logs, String name) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
        cmd.addAll(command);
        Files.createDirectories(logs);
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        HostProcess h = new HostProcess(name, p, out, err);
        LIVE.add(h);
        return h;
    }

    /** This JVM's java launcher and class path running {@code mainClass} with these arguments. */
    public static List<String> java(String mainClass, List<String> args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return cmd;
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
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.addFirst(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long end = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception notYet) {
                h.destroyForcibly();
            }
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
