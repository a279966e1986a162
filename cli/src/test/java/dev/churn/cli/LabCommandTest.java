package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code churn lab states} end to end on real loopback sockets, and the lab's input errors. */
class LabCommandTest {

    @Test
    void statesJsonShowsEveryListedStateAndExitsZero() throws Exception {
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        int code = c.run("lab", "states", "--format", "json");

        assertEquals(0, code, () -> c.err + "\n" + c.out);
        JsonNode doc = LabCommand.JSON.readTree(c.out.toString());
        assertEquals("churn.lab.states/1", doc.get("schema").asText());
        assertTrue(doc.get("ok").asBoolean());
        Set<String> seen = new HashSet<>();
        for (JsonNode step : doc.get("steps")) {
            assertTrue(step.get("matches").asBoolean(), step::toString);
            seen.add(step.at("/observed/client").asText());
            seen.add(step.at("/observed/server").asText());
        }
        assertEquals(Set.of("CLOSED", "LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2",
                "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSING"), seen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"states --format xml", "exhaust --ports 0", "exhaust --ports 3", "exhaust --cycles 99999"})
    void badInputIsOneLineAndExitTwo(String args) {
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(2, c.run(("lab " + args).split(" ")), c.err::toString);
        assertEquals(1, c.err.toString().lines().count(), c.err::toString);
        assertTrue(c.err.toString().startsWith("churn lab "), c.err::toString);
    }
}
