package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.result.SummaryJson;
import java.nio.file.Path;
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
        Path dir = tmp.resolve("run");
        PrivateNetns.Ended run = PrivateNetns.churn(tmp, "", 60,
                "run", "--connections", "500", "--warmup", "300ms", "--no-progress", "--out", dir.toString());
        assertEquals(0, run.exitCode(), run.console());

        JsonNode s = SummaryJson.read(dir);
        assertEquals(500, s.at("/connections/completed").asLong());
        // 500 measured connects, each one active open on the client and one passive open on the sink;
        // the warm-up's connections (hundreds in 300 ms) and their resets are outside the window.
        assertEquals(500, s.at("/kernel/ActiveOpens").asLong(), s.get("kernel")::toString);
        assertEquals(500, s.at("/kernel/PassiveOpens").asLong(), s.get("kernel")::toString);
        assertEquals(0, s.at("/kernel/EstabResets").asLong(), s.get("kernel")::toString);
    }
}
