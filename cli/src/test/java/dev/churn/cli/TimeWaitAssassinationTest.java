package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.result.SummaryJson;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every measured connection of a client-closes run enters TIME_WAIT (the kernel's TW counter), yet a few
 * may be gone by the end: on loopback a closing server's late duplicate ACK draws the TIME_WAIT's answer,
 * the closed server resets it, and with net.ipv4.tcp_rfc1337=0 the RST ends the TIME_WAIT. Each missing
 * one needs an RST (OutRsts), and with tcp_rfc1337=1 none is missing. A private network namespace (unshare
 * -n) makes the namespace-wide counters this run's alone. A TIME_WAIT may also be gone because a later
 * connect took it over (net.ipv4.tcp_tw_reuse=2 allows that on loopback once it is a second old, and
 * connect's port search wraps around the range in a few thousand connections): TWRecycled counts those,
 * and a slow run on a busy machine has some.
 */
class TimeWaitAssassinationTest {

    private static final int CONNECTIONS = 5000;

    @ParameterizedTest(name = "tcp_rfc1337={0}")
    @ValueSource(ints = {0, 1})
    void everyTimeWaitThatIsMissingWasEndedByAnRstAndTheTableSaysSo(int rfc1337, @TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        PrivateNetns.Ended run = PrivateNetns.churn(tmp, "echo " + rfc1337 + " > /proc/sys/net/ipv4/tcp_rfc1337", 90,
                "run", "--connections", Integer.toString(CONNECTIONS), "--warmup", "300ms", "--no-progress", "--out", dir.toString());
        assertEquals(0, run.exitCode(), run.console());
        String console = run.console();

        JsonNode s = SummaryJson.read(dir);
        assertEquals(Integer.toString(rfc1337), s.at("/environment/sysctls/net.ipv4.tcp_rfc1337").asText(), "recorded");
        long entered = s.at("/kernel/TW").asLong();
        long left = s.at("/states/final/TIME_WAIT").asLong();
        long resets = s.at("/kernel/OutRsts").asLong();
        long reused = s.at("/kernel/TWRecycled").asLong();
        assertEquals(CONNECTIONS, entered, s.get("kernel")::toString);
        if (rfc1337 == 1) {
            assertEquals(CONNECTIONS - reused, left,
                    "with tcp_rfc1337=1 an RST does not end a TIME_WAIT: " + resets + " RSTs, " + s.get("kernel"));
        } else {
            assertTrue(entered - reused - left <= resets,
                    entered - reused - left + " TIME_WAIT missing but only " + resets + " RSTs, " + s.get("kernel"));
        }
        // The final sample waits for the sink's last closes to cross: none is caught between states.
        for (String between : new String[] {"FIN_WAIT1", "FIN_WAIT2", "CLOSING", "LAST_ACK"}) {
            assertEquals(0, s.at("/states/final/" + between).asLong(), between + " in " + s.at("/states/final"));
        }
        boolean noted = console.replaceAll("\\s+", " ").contains("RFC 1337's TIME_WAIT"); // the note wraps where it may
        assertEquals(entered - reused - left > 0 && resets > 0, noted, console);
    }
}
