package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The run's table repeats summary.json's busy-machine warning (environment.load.warning). */
class BusyMachineWarningTest {

    private static JsonNode summary(String warning) throws Exception {
        return new ObjectMapper().readTree("""
                {"schema": "churn.run/1", "label": "t", "scenario": {"transport": "blocking", "closer": "client",
                 "linger": "off", "load": {"type": "closed", "concurrency": 1}, "target": "127.0.0.1:1"},
                 "connections": {"attempted": 1, "completed": 1, "failed": 0, "perSecond": 1.0},
                 "durationSeconds": 1.0, "endReason": "COUNT_REACHED", "phases": {}, "failures": {}, "kernel": {},
                 "environment": {"sysctls": {}, "load": {"othersPercent": 63.0, "warning": %s}}}
                """.formatted(warning));
    }

    @Test
    void theWarningIsALineOfTheTableAndAbsentWhenNull() throws Exception {
        String busy = SummaryTable.render(summary("\"other processes took 63% of the machine's CPU time during the run\""), Path.of("r"));
        assertTrue(busy.contains("\n  warning     other processes took 63% of the machine's CPU time during the run\n"), busy);
        assertFalse(SummaryTable.render(summary("null"), Path.of("r")).contains("warning"));
    }

    @Test
    void theWholeWarningWrapsWithinAHundredColumns() throws Exception {
        // As it comes on a shared machine: 165 columns on one line, the only note that did not wrap.
        String w = "other processes took 28% of the machine's CPU time during the run (load average 2.66 1.92 1.63): "
                + "a busy machine, so these figures are not churn's alone";
        String table = SummaryTable.render(summary("\"" + w + "\""), Path.of("r"));
        assertTrue(table.lines().allMatch(l -> l.length() <= 100), table);
        assertTrue(table.replaceAll("\\s+", " ").contains("warning " + w), table);
        assertTrue(table.contains("\n  warning     other processes took 28%"), table);
    }
}
