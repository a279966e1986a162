package dev.churn.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.RunnerException;

/**
 * A benchmark that fails says why on the suite's error line, not only in jmh.log: JMH's message is
 * "Benchmark caught the exception" whatever happened. Run out of local ports in a namespace of its own.
 */
class BenchFailureTest {

    @TempDir
    Path dir;

    @Test
    void aBenchmarkOutOfLocalPortsSaysSoOnTheErrorLine() throws IOException, InterruptedException {
        assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*")),
                "needs root for a network namespace of its own (unshare -n) with a narrow port range");
        String java = ProcessHandle.current().info().command().orElse("java");
        // Its own temporary folder: JMH's lock there is not the one the other test JVM's suite may hold.
        Process p = new ProcessBuilder(List.of("unshare", "-n", "sh", "-c",
                "ip link set lo up && echo '40000 40063' > /proc/sys/net/ipv4/ip_local_port_range && exec \"$@\"", "sh",
                java, "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + dir, "-cp",
                System.getProperty("java.class.path"), Suite.class.getName(), dir.resolve("out").toString()))
                .redirectErrorStream(true).start();
        String said;
        try {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the suite did not end in 90 s");
            said = new String(p.getInputStream().readAllBytes()).strip();
        } finally {
            p.destroyForcibly();
        }
        assumeTrue(!said.contains("unshare failed"), "no network namespace here: " + said);
        assumeTrue(!said.contains("Read-only file system") && !said.contains("Permission denied"),
                "cannot set the namespace's ip_local_port_range: " + said);
        // Before: "Benchmark caught the exception (JMH's log: ...); kept the 0 that finished ...", the cause only in the log.
        assertTrue(said.matches("(?s).*failed: Benchmark caught the exception: \\d+ of 16 cycles failed, first: Cannot assign"
                + " requested address \\(no local port was free for the next connect: net\\.ipv4\\.ip_local_port_range.*"), said);
    }

    /** In the namespace: the client closes first, its TIME_WAIT holds the 64 ports; prints the suite's error. */
    public static final class Suite {
        public static void main(String[] args) throws IOException {
            try {
                BenchSuite.run(BenchPreset.SMOKE, "ConnectCloseBenchmark.connectClose$",
                        List.of("-p", "closer=client", "-p", "linger=off"), Path.of(args[0]), null,
                        new PrintStream(OutputStream.nullOutputStream()));
                System.out.println("finished without a failure");
            } catch (RunnerException e) {
                System.out.println("failed: " + e.getMessage());
            }
        }
    }
}
