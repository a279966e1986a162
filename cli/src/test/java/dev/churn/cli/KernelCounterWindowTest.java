package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.result.SummaryJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel counter deltas of a run cover its measured part only: the warm-up's SO_LINGER 0
 * connections open and reset sockets too, and must not show in them. The run goes in a network
 * namespace of its own (unshare -n), where no other process opens a connection, so the counts are exact.
 */
class KernelCounterWindowTest {

    @Test
    void kernelDeltasLeaveTheWarmupOut(@TempDir Path tmp) throws Exception {
        assumeTrue(SmallTmpfs.isRoot(), "needs root for a private network namespace (unshare -n)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare (util-linux)");
        Path dir = tmp.resolve("run");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder("/usr/bin/unshare", "-n", "sh", "-c", "ip link set lo up && exec \"$@\"", "sh",
                java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--connections", "500", "--warmup", "300ms", "--no-progress", "--out", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("console.txt").toFile())
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run did not end in 60 s");
        String console = Files.readString(tmp.resolve("console.txt"));
        assumeTrue(!console.contains("Cannot find device") && !console.contains("unshare failed"), "no namespace here: " + console);
        assertEquals(0, p.exitValue(), console);

        JsonNode s = SummaryJson.read(dir);
        assertEquals(500, s.at("/connections/completed").asLong());
        // 500 measured connects, each one active open on the client and one passive open on the sink;
        // the warm-up's connections (hundreds in 300 ms) and their resets are outside the window.
        assertEquals(500, s.at("/kernel/ActiveOpens").asLong(), s.get("kernel")::toString);
        assertEquals(500, s.at("/kernel/PassiveOpens").asLong(), s.get("kernel")::toString);
        assertEquals(0, s.at("/kernel/EstabResets").asLong(), s.get("kernel")::toString);
    }
}
