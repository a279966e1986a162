package dev.churn.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A metric added after churn.run/1 began is read only from runs that wrote it, never as a 0. */
class NewerMetricTest {

    private static JsonNode summary(String cpu) throws Exception {
        return new ObjectMapper().readTree("""
                {"connections": {"perSecond": 1000.0, "failed": 0, "completed": 5000}, "kernel": {"OutRsts": 0}%s}
                """.formatted(cpu == null ? "" : ", \"cpu\": " + cpu));
    }

    @Test
    void cpuPerConnectionIsLeftOutOfARowWithARunThatHasNoneAndKeptWhenAllHaveIt() throws Exception {
        JsonNode old = summary(null);
        JsonNode stopped = summary("null"); // a run that ended in its warm-up writes cpu: null
        JsonNode a = summary("{\"measuredSeconds\": 7.0, \"perConnectionMicros\": 93.0}");
        JsonNode b = summary("{\"measuredSeconds\": 7.2, \"perConnectionMicros\": 97.0}");
        assertFalse(Metric.CPU_PER_CONNECTION.in(old));
        assertFalse(Metric.CPU_PER_CONNECTION.in(stopped));
        assertTrue(Metric.CPU_PER_CONNECTION.in(a));
        assertTrue(Metric.RESETS.in(old), "a metric every summary has is read from any");
        // Too few connections for a cost each, as the run's own table says: 400 were shown at 36.6 µs (QA, 2026-12-06).
        JsonNode few = new ObjectMapper().readTree("""
                {"connections": {"completed": 999}, "cpu": {"measuredSeconds": 0.1, "perConnectionMicros": 36.6}}""");
        assertFalse(Metric.CPU_PER_CONNECTION.in(few));

        Map<Metric, Stats> mixed = CompareRunner.metrics(List.of(a, old));
        assertNull(mixed.get(Metric.CPU_PER_CONNECTION));
        assertEquals(1000.0, mixed.get(Metric.RATE).median());

        Map<Metric, Stats> both = CompareRunner.metrics(List.of(a, b));
        assertEquals(95.0, both.get(Metric.CPU_PER_CONNECTION).median(), 1e-9);
        assertEquals(93.0, both.get(Metric.CPU_PER_CONNECTION).min(), 1e-9);
    }

    @Test
    void resetsPerConnectionDividesByTheConnectionsAttemptedAndIsZeroWithoutAny() throws Exception {
        ObjectMapper m = new ObjectMapper();
        // Two linger-0 runs of the same configuration, one twice as fast: the count differs, the share does not.
        JsonNode slow = m.readTree("""
                {"connections": {"attempted": 78978}, "kernel": {"OutRsts": 79012}}""");
        JsonNode fast = m.readTree("""
                {"connections": {"attempted": 150777}, "kernel": {"OutRsts": 150790}}""");
        assertEquals(79012 / 78978.0, Metric.RESETS_PER_CONNECTION.of(slow), 1e-12);
        assertEquals(150790 / 150777.0, Metric.RESETS_PER_CONNECTION.of(fast), 1e-12);
        assertTrue(Metric.RESETS.of(slow) < Metric.RESETS.of(fast));
        assertTrue(Metric.RESETS_PER_CONNECTION.perConnection() && !Metric.RESETS.perConnection());
        assertEquals(0, Metric.RESETS_PER_CONNECTION.of(m.readTree("""
                {"connections": {"attempted": 0}, "kernel": {"OutRsts": 12}}""")));
        assertTrue(Metric.RESETS_PER_CONNECTION.in(slow), "a summary with both counts");
        assertFalse(Metric.RESETS_PER_CONNECTION.in(m.readTree("""
                {"connections": {"attempted": 0}, "kernel": {"OutRsts": 12}}""")), "no connection attempted: no share");
    }

    /**
     * A value a run does not have is not a 0, which ranks as the best row: a run whose connections all
     * failed (an HTTP 404 on every one) times no phase, and a merged run keeps its hosts' states and
     * counters under hosts[] only. compare showed 0.0 µs latencies and a TIME_WAIT peak of 0 for them.
     */
    @Test
    void aRunWithoutPhasesOrStatesHasNoLatenciesOrPeaksNotZeroes() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode allFailed = m.readTree("""
                {"connections": {"perSecond": 0.0, "attempted": 300, "failed": 300}, "phases": {},
                 "states": {"peak": {"TIME_WAIT": 0, "CLOSE_WAIT": 0}}, "kernel": {"OutRsts": 3}}""");
        JsonNode merged = m.readTree("""
                {"connections": {"perSecond": 2000.0, "attempted": 4000, "failed": 0},
                 "phases": {"connect": {"p50": 40.0, "p99": 90.0, "p999": 120.0}, "close": {"p99": 30.0}, "cycle": {"p99": 200.0}},
                 "states": null, "kernel": {}}""");
        for (Metric latency : List.of(Metric.CONNECT_P50, Metric.CONNECT_P99, Metric.CONNECT_P999, Metric.CLOSE_P99, Metric.CYCLE_P99)) {
            assertFalse(latency.in(allFailed), latency + " of a run with nothing completed");
            assertTrue(latency.in(merged), latency + " of the merged run");
        }
        assertTrue(Metric.TIME_WAIT_PEAK.in(allFailed));
        for (Metric kernel : List.of(Metric.TIME_WAIT_PEAK, Metric.CLOSE_WAIT_PEAK, Metric.RESETS, Metric.RESETS_PER_CONNECTION)) {
            assertFalse(kernel.in(merged), kernel + " of a merged run");
        }
        Map<Metric, Stats> row = CompareRunner.metrics(List.of(allFailed));
        assertNull(row.get(Metric.CONNECT_P50));
        assertEquals(300.0, row.get(Metric.FAILURES).median());
        assertNull(CompareRunner.metrics(List.of(merged)).get(Metric.TIME_WAIT_PEAK));
    }
}
