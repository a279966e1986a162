package dev.churn.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * When a run waits for the TIME_WAIT the run before it left: only where the runs share ports, and only until the
 * namespace is back to what it held before the comparison or the deadline passes. The counts are fixtures here (a real
 * TIME_WAIT lives 60 s); the real sockets' side, a run that began among them and the table that says so, is in
 * CompareCommandTest.
 */
@Tag("alone") // counts what it waits for, and other tests' TIME_WAIT fill the table it waits on (pom.xml: surefire)
class CompareRunnerSettleTest {

    private final List<String> said = new ArrayList<>();
    private final CompareRunner.Progress progress = new CompareRunner.Progress() {
        @Override
        public void runDone(int number, int total, Map<String, String> config, int repeat, JsonNode s) {}

        @Override
        public void waiting(String why) {
            said.add(why);
        }
    };

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Map<String, String>> CONFIGS = List.of(Map.of("linger", "off"), Map.of("linger", "0"));

    /** Two runs, the first leaving 300 TIME_WAIT; the nanoTime each began and ended. */
    private List<Long> twoRuns(List<String> baseArgs, boolean settle) throws Exception {
        List<Long> times = new ArrayList<>();
        long[] tw = {5_000, 5_300};
        AtomicInteger reads = new AtomicInteger();
        new CompareRunner(CONFIGS, 1, baseArgs, Path.of("cmp"), settle)
                // before the comparison 5,000 (others'); after the first run 5,300, for good: the deadline ends the wait
                .settlingWith(() -> tw[Math.min(reads.getAndIncrement(), 1)], Duration.ofMillis(400))
                .run((args, out, label) -> {
                    times.add(System.nanoTime());
                    ObjectNode s = JSON.createObjectNode().put("endReason", "DURATION_REACHED");
                    s.putObject("connections").put("perSecond", 1000).put("completed", 300);
                    s.putObject("states").putObject("final").put("TIME_WAIT", times.size() == 1 ? 300 : 0);
                    times.add(System.nanoTime());
                    return s;
                }, progress);
        return times;
    }

    @Test
    void theRunAfterOneThatLeftTimeWaitOnSharedPortsWaitsForThem() throws Exception {
        List<Long> t = twoRuns(List.of("--target", "127.0.0.1:9000"), true);

        assertTrue(t.get(2) - t.get(1) >= 400_000_000L, "began " + (t.get(2) - t.get(1)) + " ns after the first ended");
        assertEquals(1, said.size(), said::toString);
        assertTrue(said.getFirst().contains("for the 300 TIME_WAIT the last run left"), said::toString);
    }

    @Test
    void noSettleOrUnsharedPortsStartAtOnce() throws Exception {
        List<Long> noSettle = twoRuns(List.of("--target", "127.0.0.1:9000"), false);
        List<Long> ownSink = twoRuns(List.of("--connections", "300"), true);

        assertTrue(noSettle.get(2) - noSettle.get(1) < 300_000_000L);
        assertTrue(ownSink.get(2) - ownSink.get(1) < 300_000_000L);
        assertEquals(List.of(), said);
    }

    @Test
    void runsShareTheirPortsWithATargetOrBoundClientPorts() {
        assertTrue(CompareRunner.sharesPorts(List.of("--target", "127.0.0.1:9000")));
        assertTrue(CompareRunner.sharesPorts(List.of("--bind-ports=20000-20015")));
        assertFalse(CompareRunner.sharesPorts(List.of("--connections", "300")), "the built-in sink: a port of its own each run");
    }

    @Test
    void aWaitEndsWhenTheNamespaceIsBackToWhatItHeldBefore() throws Exception {
        long[] counts = {1_200, 1_150, 1_100, 1_000, 990};
        AtomicInteger read = new AtomicInteger();
        long t0 = System.nanoTime();
        CompareRunner.awaitSettled(200, t0 + 30_000_000_000L, 1_000, () -> counts[Math.min(read.getAndIncrement(), 4)],
                progress, () -> false);

        assertEquals(4, read.get(), "read until it held the 1,000 of before, and no longer");
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        assertEquals(1, said.size(), said::toString);
        assertTrue(said.getFirst().startsWith("waiting up to 30 s for the 200 TIME_WAIT the last run left on the ports"),
                said::toString);
        assertTrue(said.getFirst().endsWith("(--no-settle starts at once)"), said::toString);
    }

    @Test
    void aNamespaceThatNeverFallsBackWaitsOnlyUntilTheDeadline() throws Exception {
        long t0 = System.nanoTime();
        CompareRunner.awaitSettled(200, t0 + 300_000_000L, 1_000, () -> 5_000, progress, () -> false);
        long waited = System.nanoTime() - t0;

        assertTrue(waited >= 300_000_000L && waited < 3_000_000_000L, "waited " + waited + " ns");
        assertEquals(1, said.size());
    }

    @Test
    void nothingAboveTheBaselineOrAPassedDeadlineOrAStopWaitsNotAtAll() throws Exception {
        long t0 = System.nanoTime();
        CompareRunner.awaitSettled(200, t0 + 30_000_000_000L, 1_000, () -> 1_000, progress, () -> false);
        CompareRunner.awaitSettled(200, t0 - 1, 1_000, () -> 5_000, progress, () -> false);
        CompareRunner.awaitSettled(200, t0 + 30_000_000_000L, 1_000, () -> 5_000, progress, () -> true);

        assertTrue(System.nanoTime() - t0 < 3_000_000_000L);
        assertEquals(1, said.size(), "only the stopped one had begun to wait: " + said);
    }
}
