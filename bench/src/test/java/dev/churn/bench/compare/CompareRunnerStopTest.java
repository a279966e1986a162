package dev.churn.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A comparison that ends early keeps what finished. The launcher here hands back summary.json
 * fixtures (how one run is made is the CLI's business, shown end to end in CompareCommandTest);
 * what is under test is the runner's bookkeeping of finished, cut-short, failed and missing runs.
 */
class CompareRunnerStopTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Map<String, String>> CONFIGS =
            List.of(Map.of("transport", "blocking"), Map.of("transport", "raw"), Map.of("transport", "epoll"));

    private static JsonNode summary(double rate, String endReason) {
        return JSON.createObjectNode().put("endReason", endReason).set("connections",
                JSON.createObjectNode().put("perSecond", rate).put("completed", 100));
    }

    private final List<String> launched = new ArrayList<>();

    @Test
    void aStopDuringARunKeepsTheFinishedRunsAndLeavesTheCutShortOneOutOfTheMedians() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CompareRunner runner = new CompareRunner(CONFIGS, 2, List.of(), Path.of("cmp"));
        Comparison c = runner.run((args, out, label) -> {
            launched.add(label);
            if (launched.size() < 5) {
                return summary(1000 * launched.size(), "DURATION_REACHED");
            }
            stop.set(true); // Ctrl-C during the fifth run: it ends early, as churn run does
            return summary(1, "STOPPED");
        }, (n, total, config, r, s) -> {}, stop::get);

        assertEquals(5, launched.size(), "no run starts after the stop");
        Comparison.Stopped st = c.stopped();
        assertEquals(Comparison.Stopped.INTERRUPTED, st.reason());
        assertEquals(4, st.runsDone());
        assertEquals(6, st.runsPlanned());
        assertEquals(List.of("02-transport-raw-r2"), st.notCounted());
        assertEquals(List.of(), st.notRun());
        assertEquals(3, c.rows().size());
        assertEquals(List.of("01-transport-blocking-r1", "01-transport-blocking-r2"), c.rows().get(0).runs());
        assertEquals(List.of("02-transport-raw-r1"), c.rows().get(1).runs(), "the cut-short run is not a row's run");
        assertEquals(2000, c.rows().get(1).metrics().get(Metric.RATE).median(), 1e-9, "its rate of 1/s is not in the median");

        JsonNode j = ComparisonJson.toJson(c);
        assertEquals("interrupted", j.at("/stopped/reason").asText());
        assertEquals("02-transport-raw-r2", j.at("/stopped/notCounted/0").asText());
    }

    @Test
    void aStopBeforeAConfigurationRanLeavesItWithoutARowAndSaysSo() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Comparison c = new CompareRunner(CONFIGS, 1, List.of(), Path.of("cmp")).run((args, out, label) -> {
            launched.add(label);
            stop.set(true); // Ctrl-C between the first run's end and the second's start
            return summary(500, "COUNT_REACHED");
        }, (n, total, config, r, s) -> {}, stop::get);

        assertEquals(List.of("01-transport-blocking-r1"), launched);
        assertEquals(1, c.rows().size());
        assertEquals(List.of(), c.stopped().notCounted(), "the first run finished whole");
        assertEquals(List.of(Map.of("transport", "raw"), Map.of("transport", "epoll")), c.stopped().notRun());
        assertEquals("epoll", ComparisonJson.toJson(c).at("/stopped/notRun/1/transport").asText());
    }

    @Test
    void aFailedRunEndsTheComparisonWithTheRunsBeforeItKept(@TempDir Path tmp) throws Exception {
        IOException boom = new IOException("run 02-transport-raw-r1 failed (exit code 1): no connection completed");
        Comparison c = new CompareRunner(CONFIGS, 2, List.of(), tmp.resolve("cmp")).run((args, out, label) -> {
            launched.add(label);
            if (label.startsWith("02")) {
                Files.createDirectories(out);
                Files.writeString(out.resolve("states.csv"), "what it measured before it failed\n");
                throw boom;
            }
            return summary(700, "COUNT_REACHED");
        }, (n, total, config, r, s) -> {}, () -> false);

        assertEquals(2, launched.size());
        assertEquals(Comparison.Stopped.FAILED, c.stopped().reason());
        assertSame(boom, c.stopped().failure());
        assertEquals(List.of("02-transport-raw-r1"), c.stopped().notCounted(), "its folder holds what it measured");
        // A run that failed before it wrote anything has no folder to point at.
        Comparison none = new CompareRunner(CONFIGS, 1, List.of(), tmp.resolve("cmp2")).run((args, out, label) -> {
            if (label.startsWith("02")) {
                throw boom;
            }
            return summary(700, "COUNT_REACHED");
        }, (n, total, config, r, s) -> {}, () -> false);
        assertEquals(List.of(), none.stopped().notCounted());
        assertEquals(1, c.rows().size());
        assertTrue(ComparisonJson.toJson(c).at("/stopped/failure").asText().contains("no connection completed"));
        // The old entry point still throws the failure, now after keeping nothing less.
        assertThrows(IOException.class, () -> new CompareRunner(CONFIGS, 1, List.of(), Path.of("cmp"))
                .run((args, out, label) -> {
                    if (label.startsWith("02")) {
                        throw boom;
                    }
                    return summary(700, "COUNT_REACHED");
                }, (n, total, config, r, s) -> {}));
    }

    @Test
    void aFailedFirstRunLeavesNothingToCompareAndThrows() {
        IOException boom = new IOException("refused");
        IOException thrown = assertThrows(IOException.class, () -> new CompareRunner(CONFIGS, 1, List.of(), Path.of("cmp"))
                .run((args, out, label) -> {
                    throw boom;
                }, (n, total, config, r, s) -> {}, () -> false));
        assertSame(boom, thrown.getCause());
        assertEquals("refused; it was the first run, so there is no comparison", thrown.getMessage());
    }

    @Test
    void aWholeComparisonIsNotStopped() throws Exception {
        Comparison c = new CompareRunner(CONFIGS, 1, List.of(), Path.of("cmp"))
                .run((args, out, label) -> summary(900, "COUNT_REACHED"), (n, total, config, r, s) -> {}, () -> false);
        assertNull(c.stopped());
        assertEquals(3, c.rows().size());
        assertTrue(ComparisonJson.toJson(c).path("stopped").isMissingNode());
    }
}
