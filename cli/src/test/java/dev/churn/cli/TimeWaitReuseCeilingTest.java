package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.result.SummaryJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TIME_WAIT reuse ceiling the port-search note names, on real sockets in a private network
 * namespace (root): with {@code tcp_tw_reuse} taking TIME_WAIT over on loopback, connect() keeps to
 * the ports of one parity (half the range) while one of them is free or old enough to take over,
 * so below half the range per {@code tcp_tw_reuse_delay} the TIME_WAIT never spread past that half,
 * and above it they do. 2,000 ports and the default delay of 1,000 ms: a ceiling of 1,000 a second.
 */
class TimeWaitReuseCeilingTest {

    private static final String RANGE = "echo '20000 21999' > /proc/sys/net/ipv4/ip_local_port_range;"
            + " echo 2 > /proc/sys/net/ipv4/tcp_tw_reuse; echo 1000 > /proc/sys/net/ipv4/tcp_tw_reuse_delay";

    private static JsonNode run(Path tmp, String name, int rate, StringBuilder console) throws Exception {
        Path dir = tmp.resolve(name);
        PrivateNetns.Ended run = PrivateNetns.churn(tmp, RANGE, 60, "run", "--rate", String.valueOf(rate), "--duration", "3s",
                "--warmup", "0s", "--no-progress", "--out", dir.toString());
        console.append(run.console());
        assertEquals(0, run.exitCode(), run.console());
        return SummaryJson.read(dir);
    }

    @Test
    void belowTheCeilingTheTimeWaitKeepToHalfTheRangeAndAboveItTheySpill(@TempDir Path tmp) throws Exception {
        // Before Linux 6.13 a TIME_WAIT could be taken over at the next whole second, with no sysctl to say how long.
        assumeTrue(Files.exists(Path.of("/proc/sys/net/ipv4/tcp_tw_reuse_delay")),
                "needs net.ipv4.tcp_tw_reuse_delay (Linux 6.13+)");
        StringBuilder below = new StringBuilder();
        JsonNode slow = run(tmp, "below", 500, below);
        assertEquals("1000", slow.at("/environment/sysctls/net.ipv4.tcp_tw_reuse_delay").asText(), "recorded");
        assertEquals(0, slow.at("/connections/failed").asLong(), below::toString);
        // 1,500 connections on 1,000 ports of one parity: the last third took a TIME_WAIT over.
        assertTrue(slow.at("/kernel/TWRecycled").asLong() > 0, slow.path("kernel")::toString);
        assertTrue(slow.at("/states/peak/TIME_WAIT").asLong() <= 1000, slow.path("states")::toString);
        assertTrue(below.toString().replaceAll("\\s+", " ").contains("is about 1,000 a second to one destination once each of"
                + " those ports holds a TIME_WAIT"), below::toString);

        StringBuilder above = new StringBuilder();
        JsonNode fast = run(tmp, "above", 1500, above);
        assertTrue(fast.at("/states/peak/TIME_WAIT").asLong() > 1000, fast.path("states")::toString);
    }
}
