package dev.churn.bench.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.monitor.LoadReading;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

    @Test
    void capturesThisMachine() {
        Environment e = Environment.capture();
        assertTrue(e.kernelRelease().matches("\\d+\\.\\d+.*"), e.kernelRelease());
        assertEquals(Runtime.getRuntime().availableProcessors(), e.cpus());
        assertTrue(e.jdkVersion().startsWith(Integer.toString(Runtime.version().feature())), e.jdkVersion());
        assertFalse(e.hostname().isBlank());
        assertTrue(e.sysctls().get("net.core.somaxconn").matches("\\d+"), e.sysctls().toString());
    }

    @Test
    void theLoadSectionRecordsBeforeAfterAndSharesAndWarnsAboveAQuarter() {
        // 10 s on 2 CPUs: 2,000 ticks, 300 idle, 100 steal, 1,600 busy of which 500 are churn's own
        LoadReading before = new LoadReading(0.52, 0.61, 0.70, 63_000, 50_300, 500, 1_200);
        LoadReading after = new LoadReading(71.2, 40.1, 20.0, 65_000, 50_600, 600, 1_700);
        Environment e = new Environment("6.1.0", "Linux amd64", "Eclipse Adoptium", "25+36", 2, "box", Map.of())
                .withLoad(before, after);
        JsonNode load = SummaryJson.environment(e).path("load");
        assertEquals("[0.52,0.61,0.7]", load.at("/before/loadAverage").toString());
        assertEquals(71.2, load.at("/after/loadAverage/0").asDouble());
        assertEquals(6.0, load.at("/after/stealSeconds").asDouble());
        assertEquals(25.0, load.path("ownPercent").asDouble());
        assertEquals(55.0, load.path("othersPercent").asDouble());
        assertEquals(5.0, load.path("stealPercent").asDouble());
        assertEquals(20.0, load.path("machineCpuSeconds").asDouble());
        assertEquals(25.0, load.path("othersPercentLimit").asDouble());
        assertTrue(load.path("warning").asText().startsWith("other processes took 55% of the machine's CPU time"), load.toString());

        LoadReading quiet = new LoadReading(0.3, 0.3, 0.3, 65_000, 51_000, 500, 2_200);
        JsonNode calm = SummaryJson.environment(new Environment("6.1.0", "Linux", "x", "25", 2, "box", Map.of())
                .withLoad(before, quiet)).path("load");
        assertTrue(calm.path("warning").isNull(), calm.toString());
        assertTrue(SummaryJson.environment(new Environment("6.1.0", "Linux", "x", "25", 2, "box", Map.of()))
                .path("load").isMissingNode(), "no reading, no section");
    }

    @Test
    void aRealRunsReadingsGiveShares() {
        LoadReading before = LoadReading.now();
        assertNotNull(before, "Linux /proc");
        long end = System.nanoTime() + 300_000_000L;
        long spin = 0;
        while (System.nanoTime() < end) {
            spin++;
        }
        Environment e = Environment.capture().withLoad(before, LoadReading.now());
        assertNotNull(e.load().share(), "spun " + spin);
        assertTrue(e.load().share().own() > 0, e.load().toString());
    }
}
