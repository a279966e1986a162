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

    @Test
    void aFullTimeWaitTableIsSaidOutLoudAndOnlyThen() throws Exception {
        String full = SummaryTable.render(summary(1234), Path.of("r"));
        assertTrue(full.contains("TIME_WAIT table was full"), full);
        assertTrue(full.contains("1,234 new TIME_WAIT sockets"), full);
        assertFalse(SummaryTable.render(summary(0), Path.of("r")).contains("warning"));
    }
}
