package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SummaryTableTest {

    private static JsonNode summary(long overflow) throws Exception {
        return new ObjectMapper().readTree("""
                {"schema": "churn.run/1", "label": "t", "scenario": {"transport": "blocking", "closer": "client",
                 "linger": "off", "load": {"type": "closed", "concurrency": 1}, "target": "127.0.0.1:1"},
                 "connections": {"attempted": 1, "completed": 1, "failed": 0, "perSecond": 1.0},
                 "durationSeconds": 1.0, "endReason": "COUNT_REACHED", "phases": {}, "failures": {},
                 "kernel": {"TW": 10, "TCPTimeWaitOverflow": %d}}
                """.formatted(overflow));
    }

    private static JsonNode run(String closer, long peakTimeWait, String portRange, long listenOverflows) throws Exception {
        return new ObjectMapper().readTree("""
                {"schema": "churn.run/1", "label": "t", "scenario": {"transport": "blocking", "closer": "%s",
                 "linger": "off", "bindPorts": null, "load": {"type": "closed", "concurrency": 1},
                 "target": "127.0.0.1:1"},
                 "connections": {"attempted": 1, "completed": 1, "failed": 0, "perSecond": 1.0},
                 "durationSeconds": 1.0, "endReason": "COUNT_REACHED", "phases": {}, "failures": {},
                 "states": {"source": "netlink", "ports": [1], "samples": 3,
                            "peak": {"TIME_WAIT": %d, "CLOSE_WAIT": 0}, "final": {"TIME_WAIT": 0, "CLOSE_WAIT": 0}},
                 "kernel": {"TW": 10, "TCPTimeWaitOverflow": 0, "ListenOverflows": %d},
                 "environment": {"sysctls": {"net.ipv4.ip_local_port_range": "%s"}}}
                """.formatted(closer, peakTimeWait, listenOverflows, portRange));
    }

    @Test
    void clientTimeWaitPastHalfThePortRangeExplainsTheConnectTail() throws Exception {
        // 32768-60999 is 28,232 ports: the note starts at 45% of them, 12,705 client TIME_WAIT sockets.
        String past = SummaryTable.render(run("client", 14_116, "32768 60999", 0), Path.of("r"));
        assertTrue(past.contains("TIME_WAIT reached 14,116, 50% of the 28,232 ephemeral ports (32768-60999)"), past);
        assertTrue(past.contains("that kernel search is the connect tail"), past);
        assertTrue(SummaryTable.render(run("half", 20_000, "32768 60999", 0), Path.of("r")).contains("ephemeral ports"));

        assertTrue(SummaryTable.render(run("client", 12_705, "32768 60999", 0), Path.of("r")).contains("ephemeral"));
        assertFalse(SummaryTable.render(run("client", 12_704, "32768 60999", 0), Path.of("r")).contains("ephemeral"),
                "well below half the range connect finds a port at once");
        assertFalse(SummaryTable.render(run("server", 20_000, "32768 60999", 0), Path.of("r")).contains("ephemeral"),
                "server-side TIME_WAIT does not hold the client's ports");
        assertFalse(SummaryTable.render(run("client", 20_000, "1024 65535", 0), Path.of("r")).contains("ephemeral"),
                "a wider range has room");
        assertFalse(SummaryTable.render(run("client", 20_000, "not a range", 0), Path.of("r")).contains("ephemeral"));
    }

    @Test
    void listenQueueOverflowsAreExplained() throws Exception {
        String dropped = SummaryTable.render(run("client", 0, "32768 60999", 3), Path.of("r"));
        assertTrue(dropped.contains("listen queues in this network namespace overflowed 3 times"), dropped);
        assertTrue(dropped.contains("after 1 s"), dropped);
        assertFalse(SummaryTable.render(run("client", 0, "32768 60999", 0), Path.of("r")).contains("listen queues"));
    }

    @Test
    void aFullTimeWaitTableIsSaidOutLoudAndOnlyThen() throws Exception {
        String full = SummaryTable.render(summary(1234), Path.of("r"));
        assertTrue(full.contains("TIME_WAIT table was full"), full);
        assertTrue(full.contains("1,234 new TIME_WAIT sockets"), full);
        assertFalse(SummaryTable.render(summary(0), Path.of("r")).contains("warning"));
    }
}
