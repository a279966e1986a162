package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code churn} in a network namespace of its own ({@code unshare -n}), where no other process opens a
 * connection, so the kernel's namespace-wide counters are the run's alone. Skips (with the reason) without root
 * or unshare, or where no namespace can be made.
 */
final class PrivateNetns {

    private PrivateNetns() {}

    /** What the process said (stdout and stderr) and how it ended. */
    record Ended(int exitCode, String console) {}

    /**
     * Runs {@code churn args} in a fresh namespace with loopback up, after the shell commands in {@code setup}
     * (e.g. a sysctl written under /proc/sys, which is the namespace's own); waits at most {@code seconds}.
     */
    static Ended churn(Path tmp, String setup, int seconds, String... args) throws IOException, InterruptedException {
        return churn(tmp, true, setup, seconds, args);
    }

    /** As {@link #churn(Path, String, int, String...)}, with loopback left down (as a new namespace has it) unless {@code loopbackUp}. */
    static Ended churn(Path tmp, boolean loopbackUp, String setup, int seconds, String... args)
            throws IOException, InterruptedException {
        assumeTrue(SmallTmpfs.isRoot(), "needs root for a private network namespace (unshare -n)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare (util-linux)");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/unshare", "-n", "sh", "-c",
                (loopbackUp ? "ip link set lo up" : "true") + (setup.isEmpty() ? "" : " && " + setup) + " && exec \"$@\"", "sh",
                java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path console = Files.createTempFile(tmp, "console", ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(console.toFile()).start();
        try {
            assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), "the run did not end in " + seconds + " s");
        } finally {
            p.destroyForcibly();
        }
        String said = Files.readString(console);
        assumeTrue(!said.contains("Cannot find device") && !said.contains("unshare failed"), "no namespace here: " + said);
        return new Ended(p.exitValue(), said);
    }
}
