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
 * A connect that reaches its own socket is a failure, not a completed cycle: bound to the target's own port with
 * nothing listening there, TCP's simultaneous open connects the socket to itself, and a 1-byte request reads back as
 * the 1-byte response, and such a cycle counted as completed (QA, 2026-12-07; 5 of 250,566 connects to a refused
 * port in the ephemeral range did it). --bind-ports makes it happen on the first connect instead of by chance.
 */
class SelfConnectTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "nio", "virtual", "selector", "raw", "epoll"})
    void aConnectToItselfIsCountedAsSelfConnectForEveryTransport(String transport) throws Exception {
        int port = RunCommandTest.closedLoopbackPort();
        Path out = tmp.resolve(transport);
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        int code = c.run("run", "--target", "127.0.0.1:" + port, "--bind-ports", port + "-" + port, "--transport", transport,
                "--connections", "1", "--warmup", "0s", "--request", "1", "--response", "1", "--out", out.toString(),
                "--no-progress");
        assertEquals(ExitCodes.FAILURE, code, c.err::toString);
        JsonNode s = SummaryJson.read(out);
        assertEquals(0, s.at("/connections/completed").asLong(), s::toString);
        JsonNode self = s.at("/failures/self_connect");
        assertEquals(1, self.get("count").asLong(), s.get("failures")::toString);
        assertTrue(self.get("firstMessage").asText().contains("connected to itself: local port " + port + " is the target's"),
                self::toString);
    }
}
