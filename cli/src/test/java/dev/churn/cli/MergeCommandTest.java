package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.result.ResultCollector;
import dev.churn.bench.result.RunMerger;
import dev.churn.bench.result.SummaryJson;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code churn merge}: three simulated client hosts run at once against one server, then merge. */
class MergeCommandTest {

    private static final int HOSTS = 3;
    private static final int CONNECTIONS = 400;

    @TempDir
    Path tmp;

    @Test
    void threeHostsMergeIntoOneRunWhoseCountsAndHistogramsAreTheSums() throws Exception {
        List<Path> hostDirs = IntStream.rangeClosed(1, HOSTS).mapToObj(i -> tmp.resolve("host" + i)).toList();
        try (SinkServer server = SinkServer.start(SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 0, 0))) {
            String target = "127.0.0.1:" + server.port();
            List<CompletableFuture<Integer>> runs = hostDirs.stream().map(d -> CompletableFuture.supplyAsync(() -> {
                RunCommandTest.Cli c = new RunCommandTest.Cli();
                return c.run("run", "--target", target, "--connections", Integer.toString(CONNECTIONS),
                        "--out", d.toString(), "--label", d.getFileName().toString(), "--no-progress", "--format", "json");
            })).toList();
            for (CompletableFuture<Integer> f : runs) {
                assertEquals(0, f.get(120, TimeUnit.SECONDS));
            }
        }
        Path merged = tmp.resolve("merged");
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        String[] args = {"merge", hostDirs.get(0).toString(), hostDirs.get(1).toString(), hostDirs.get(2).toString(),
            "--out", merged.toString()};
        assertEquals(0, c.run(args), c.err::toString);
        assertTrue(c.out.toString().contains("host host2"), c.out::toString);

        JsonNode m = SummaryJson.read(merged);
        assertEquals(HOSTS * CONNECTIONS, m.at("/connections/completed").asLong());
        assertEquals(HOSTS * CONNECTIONS, m.at("/connections/attempted").asLong());
        double rateSum = 0;
        for (Path d : hostDirs) {
            rateSum += SummaryJson.read(d).at("/connections/perSecond").asDouble();
        }
        assertEquals(rateSum, m.at("/connections/perSecond").asDouble(), 0.01);
        assertEquals(HOSTS, m.get("hosts").size());
        for (int i = 0; i < HOSTS; i++) {
            JsonNode h = m.get("hosts").get(i);
            assertEquals("host" + (i + 1), h.get("host").asText());
            assertTrue(Files.isRegularFile(merged.resolve(RunMerger.statesFile(h.get("host").asText()))));
            assertTrue(h.at("/kernel/ActiveOpens").asLong() >= CONNECTIONS, h::toString);
        }

        // Histograms add exactly: per phase, the merged log's total equals the sum of the hosts' logs.
        Map<String, Histogram> sum = new HashMap<>();
        for (Path d : hostDirs) {
            totals(d).forEach((tag, h) -> sum.computeIfAbsent(tag, t -> new Histogram(3)).add(h));
        }
        Map<String, Histogram> mergedTotals = totals(merged);
        assertEquals(sum.keySet(), mergedTotals.keySet());
        for (String tag : sum.keySet()) {
            assertEquals(sum.get(tag), mergedTotals.get(tag), tag);
        }
        assertEquals(HOSTS * CONNECTIONS, mergedTotals.get("cycle").getTotalCount());
        assertEquals(m.at("/phases/cycle/count").asLong(), mergedTotals.get("cycle").getTotalCount());
        assertTrue(Files.size(merged.resolve("cycle.hgrm")) > 0);

        // A report of the merged folder draws every host's states.
        RunCommandTest.Cli r = new RunCommandTest.Cli();
        assertEquals(0, r.run("report", merged.toString()), r.err::toString);
        assertTrue(Files.readString(merged.resolve("report.html")).contains("\"host\":\"host3\""));
    }

    @Test
    void badInputIsOneLineExitTwo() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        for (String[] args : List.of(new String[] {"merge", tmp.resolve("nope").toString(), empty.toString()},
                new String[] {"merge", empty.toString(), empty.toString()},
                new String[] {"merge", empty.toString()})) {
            RunCommandTest.Cli c = new RunCommandTest.Cli();
            assertEquals(2, c.run(args), c.err::toString);
            assertEquals(1, c.err.toString().strip().lines().count(), c.err::toString);
        }
    }

    private static Map<String, Histogram> totals(Path dir) throws Exception {
        Map<String, Histogram> t = new HashMap<>();
        HistogramLogReader reader = new HistogramLogReader(dir.resolve(ResultCollector.FILE).toFile());
        EncodableHistogram e;
        while ((e = reader.nextIntervalHistogram()) != null) {
            t.computeIfAbsent(e.getTag(), k -> new Histogram(3)).add((Histogram) e);
        }
        return t;
    }
}
