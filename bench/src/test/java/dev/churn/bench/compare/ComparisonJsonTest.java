package dev.churn.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** comparison.json says which way each metric is better, and whether a difference beyond the noise is better or worse. */
class ComparisonJsonTest {

    @Test
    void aDifferenceBeyondTheNoiseIsBetterOrWorseByTheMetricsDirection() {
        Comparison.Row base = row("off", Map.of(Metric.RATE, List.of(1000.0, 1010.0, 1020.0), Metric.RESETS, List.of(0.0, 1.0, 2.0),
                Metric.CONNECT_P99, List.of(50.0, 55.0, 60.0)));
        Comparison.Row abort = row("0", Map.of(Metric.RATE, List.of(1500.0, 1510.0, 1520.0), Metric.RESETS, List.of(300.0, 301.0, 302.0),
                Metric.CONNECT_P99, List.of(52.0, 57.0, 70.0)));
        JsonNode j = ComparisonJson.toJson(new Comparison(Path.of("x"), 3, List.of(), List.of(base, abort)));
        assertEquals("better", j.at("/rows/1/metrics/rate/change").asText(), "a higher rate is better");
        assertEquals("worse", j.at("/rows/1/metrics/resets/change").asText(), "more resets are worse");
        assertTrue(j.at("/rows/1/metrics/connectP99/change").isNull(), "overlapping ranges: no verdict");
        assertTrue(j.at("/rows/0/metrics/rate/change").isNull(), "the first row is the baseline");
        assertEquals(Metric.values().length, j.get("metrics").size());
        assertEquals("higher", j.at("/metrics/0/better").asText());
        assertEquals("resets", j.at("/metrics/" + Metric.RESETS.ordinal() + "/key").asText());
        assertEquals("lower", j.at("/metrics/" + Metric.RESETS.ordinal() + "/better").asText());
    }

    @Test
    void theOrderOfTheRunsIsKeptAndAnOlderFileReadsAsInterleaved() {
        Comparison.Row a = row("off", Map.of());
        Comparison.Row b = row("0", Map.of());
        Comparison separate = new Comparison(Path.of("x"), 3, List.of(), List.of(a, b), null, Comparison.Order.SEPARATE);
        JsonNode j = ComparisonJson.toJson(separate);
        assertEquals("separate", j.path("order").asText());
        assertEquals(Comparison.Order.SEPARATE, ComparisonJson.fromJson(j, Path.of("y")).order());

        JsonNode interleaved = ComparisonJson.toJson(new Comparison(Path.of("x"), 3, List.of(), List.of(a, b)));
        assertEquals("interleaved", interleaved.path("order").asText());
        ((ObjectNode) interleaved).remove("order"); // as churn wrote it before --runs
        assertEquals(Comparison.Order.INTERLEAVED, ComparisonJson.fromJson(interleaved, Path.of("y")).order());
    }

    /** The run options compare holds fixed are written with every password option's value hidden, as a run's command is. */
    @Test
    void theFixedOptionsHideAPasswordsValue() {
        Comparison c = new Comparison(Path.of("x"), 1, List.of("--tls", "--key", "k.pem", "--key-password", "pass:hunter2",
                "--truststore-password=pass:hunter2"), List.of(row("off", Map.of())));
        assertEquals("[\"--tls\",\"--key\",\"k.pem\",\"--key-password\",\"***\",\"--truststore-password=***\"]",
                ComparisonJson.toJson(c).get("baseArgs").toString());
    }

    private static Comparison.Row row(String linger, Map<Metric, List<Double>> given) {
        Map<Metric, Stats> m = new EnumMap<>(Metric.class);
        for (Metric k : Metric.values()) {
            m.put(k, Stats.of(given.getOrDefault(k, List.of(1.0, 1.0, 1.0))));
        }
        return new Comparison.Row(Map.of("linger", linger), List.of("r1", "r2", "r3"), m);
    }
}
