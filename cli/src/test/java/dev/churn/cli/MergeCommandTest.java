package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.result.ResultCollector;
import dev.churn.bench.result.RunMerger;
import dev.churn.bench.result.ResultsDirectory;
import dev.churn.bench.result.SummaryJson;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import dev.churn.monitor.StateSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private static final int RATE = 400;

    @TempDir
    Path tmp;

    @Test
    void threeHostsMergeIntoOneRunWhoseCountsAndHistogramsAreTheSums() throws Exception {
        List<Path> hostDirs = IntStream.rangeClosed(1, HOSTS).mapToObj(i -> tmp.resolve("host" + i)).toList();
        try (SinkServer server = SinkServer.start(SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 0, 0))) {
            String target = "127.0.0.1:" + server.port();
            // Really at once (the common pool has one thread on two cores), and paced by an open loop so
            // each run lasts about a second and their measured windows overlap, as merge requires.
            ExecutorService pool = Executors.newFixedThreadPool(HOSTS);
            try {
                List<CompletableFuture<Integer>> runs = hostDirs.stream().map(d -> CompletableFuture.supplyAsync(() -> {
                    RunCommandTest.Cli c = new RunCommandTest.Cli();
                    return c.run("run", "--target", target, "--connections", Integer.toString(CONNECTIONS),
                            "--rate", Integer.toString(RATE), "--out", d.toString(), "--label", d.getFileName().toString(),
                            "--no-progress", "--format", "json");
                }, pool)).toList();
                for (CompletableFuture<Integer> f : runs) {
                    assertEquals(0, f.get(120, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
        // A real run counts no latency above the histograms' ceiling; two hosts are given some, which the merge adds.
        for (int i = 0; i < 2; i++) {
            ObjectNode h = (ObjectNode) SummaryJson.read(hostDirs.get(i));
            assertEquals(0, h.path("overCeiling").size(), h.path("overCeiling")::toString);
            assertTrue(h.path("overCeiling").isObject(), "an empty object, not absent");
            h.putObject("overCeiling").put("cycle", i + 2);
            Files.writeString(hostDirs.get(i).resolve(SummaryJson.FILE), h.toPrettyString());
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
        assertEquals(0, m.at("/shortagePauses/count").asLong(-1), "the hosts' pauses, added: none");
        assertEquals(5, m.at("/overCeiling/cycle").asLong(), m.path("overCeiling")::toString);
        assertTrue(c.out.toString().replaceAll("\\s+", " ").contains("5 latencies were above an hour"), c.out::toString);
        double rateSum = 0;
        for (Path d : hostDirs) {
            rateSum += SummaryJson.read(d).at("/connections/perSecond").asDouble();
        }
        assertEquals(rateSum, m.at("/merge/sumOfHostRates").asDouble(), 0.01);
        // The rate is over the common window: the completions inside it over its length.
        JsonNode w = m.at("/merge/rateWindow");
        assertEquals("common", w.get("kind").asText());
        assertFalse(m.at("/merge/forced").asBoolean());
        assertTrue(w.get("completed").asDouble() > 0 && w.get("completed").asDouble() <= HOSTS * CONNECTIONS, w::toString);
        assertEquals(w.get("completed").asDouble() / w.get("seconds").asDouble(), m.at("/connections/perSecond").asDouble(),
                0.01 * m.at("/connections/perSecond").asDouble());
        // The header shows the load all clients made together: three open loops of RATE/s.
        assertEquals(HOSTS * RATE, m.at("/scenario/load/rate").asDouble(), 1e-9);
        assertTrue(c.out.toString().contains("open loop 1,200.0/s (at most"), c.out::toString);
        assertTrue(c.out.toString().contains("(3 clients combined)"), c.out::toString);
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

    /**
     * Two open loops, one of which fell behind: the merged summary adds their schedules up and its table says the
     * generator fell behind. A merge dropped the schedule (a host that missed 127,544 of 150,000 starts, not a word).
     */
    @Test
    void theHostsSchedulesAddUpAndOneThatFellBehindIsSaid() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).openLoop(500).schedule(1500, 1500, 900, 3, false)
                .interval(0, 1, 100).interval(1, 2, 100).interval(2, 3, 100).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).openLoop(50000).schedule(150000, 22456, 2_400_000, 100, true)
                .interval(0, 1, 50).interval(1, 2, 50).interval(2, 3, 50).write();
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
        JsonNode m = SummaryJson.read(tmp.resolve("m"));
        assertEquals(151500, m.at("/schedule/intended").asLong(), m::toString);
        assertEquals(23956, m.at("/schedule/started").asLong());
        assertEquals(127544, m.at("/schedule/missed").asLong());
        assertEquals(2_400_000, m.at("/schedule/maxLagMicros").asDouble(), 1e-9);
        assertEquals(103, m.at("/schedule/peakInFlight").asLong());
        assertTrue(m.at("/schedule/generatorLimited").asBoolean());
        assertEquals(22456, m.at("/hosts/1/schedule/started").asLong(), "each host's own stays");
        String table = c.out.toString();
        assertTrue(table.contains("started 23,956 of 151,500 intended"), table);
        assertTrue(table.contains("127,544 missed"), table);
        assertTrue(table.contains("the load generator fell behind its schedule"), table);

        // Closed loops have no schedule, and neither has their merge.
        Path x = RunFixture.at(tmp.resolve("x"), "x", t0).interval(0, 1, 100).write();
        Path y = RunFixture.at(tmp.resolve("y"), "y", t0).interval(0, 1, 100).write();
        assertEquals(0, c.run("merge", x.toString(), y.toString(), "--out", tmp.resolve("n").toString()), c.err::toString);
        assertTrue(SummaryJson.read(tmp.resolve("n")).path("schedule").isNull());
    }

    @Test
    void theRateIsOverTheCommonWindowAndTheHeaderShowsTheCombinedLoad() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        // a measures [0 s, 3 s): 100 + 100 + 100; b measures [1 s, 4 s): 50 + 50 + 50.
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).openLoop(500)
                .interval(0, 1, 100).interval(1, 2, 100).interval(2, 3, 100).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0 + 1000).openLoop(500)
                .interval(0, 1, 50).interval(1, 2, 50).interval(2, 3, 50).write();
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
        JsonNode m = SummaryJson.read(tmp.resolve("m"));
        // Common window [1 s, 3 s): a's 200 and b's 100 completions in 2 s.
        assertEquals(300, m.at("/merge/rateWindow/completed").asDouble(), 1e-9);
        assertEquals(2.0, m.at("/merge/rateWindow/seconds").asDouble(), 1e-9);
        assertEquals(150.0, m.at("/connections/perSecond").asDouble(), 1e-9);
        assertEquals(450, m.at("/connections/completed").asLong());
        assertEquals(450, m.at("/phases/cycle/count").asLong());
        assertEquals(Instant.ofEpochMilli(t0 + 1000).toString(), m.at("/merge/rateWindow/from").asText());
        // Two open loops at 500/s each: the server was offered 1,000/s.
        assertEquals("open", m.at("/scenario/load/type").asText());
        assertEquals(1000.0, m.at("/scenario/load/rate").asDouble(), 1e-9);
        assertEquals(2, m.at("/scenario/load/clients").asInt());
        assertTrue(c.out.toString().contains("open loop 1,000.0/s"), c.out::toString);
        assertTrue(c.out.toString().contains("150.0 connections/s over 2.000 s"), c.out::toString);
    }

    /** A count above the ceiling that is not a count (a hand-edited summary) is refused in one line, not read as 0. */
    @Test
    void anOverCeilingThatIsNotACountIsRefused() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 100).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).interval(0, 1, 100).write();
        ObjectNode s = (ObjectNode) SummaryJson.read(b);
        s.putObject("overCeiling").put("cycle", -2);
        Files.writeString(b.resolve(SummaryJson.FILE), s.toPrettyString());
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(ExitCodes.USAGE, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()));
        assertEquals(1, c.err.toString().strip().lines().count(), c.err::toString);
        assertTrue(c.err.toString().contains("overCeiling.cycle"), c.err::toString);
    }

    /** The merged measuredFrom is the earliest host's, one on a whole second ("...:00Z") included (QA, 2026-12-06). */
    @Test
    void theMergedMeasuredFromIsTheEarliestHostsAsAnInstant() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 100).interval(1, 2, 100).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0 + 494).interval(0, 1, 100).interval(1, 2, 100).write();
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("merge", b.toString(), a.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
        assertEquals("2026-11-21T10:00:00Z", SummaryJson.read(tmp.resolve("m")).path("measuredFrom").asText());
    }

    /**
     * A host's failures.*.firstAtMs counts from its own measuredFrom; the merge's, from the merged one. b started 1 s after
     * a and failed 68 ms into its run, a 351 ms into its: the first failure of the merge is a's, at 351 ms. The merge
     * took the smaller of the raw values, 68 ms, b's, before any failure had happened (review, 2026-12-07). With a clock
     * shift (a joined session's), measuredFrom and the failure move with the host's clock, as startedAt does.
     */
    @Test
    void theFirstFailureOfAClassIsTheEarliestOnTheMergedClock() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = failing(RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 100).interval(1, 2, 100)
                .interval(2, 3, 100).write(), 351, "refused a");
        Path b = failing(RunFixture.at(tmp.resolve("b"), "b", t0 + 1000).interval(0, 1, 100).interval(1, 2, 100).write(),
                68, "refused b");
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
        JsonNode m = SummaryJson.read(tmp.resolve("m"));
        assertEquals(351, m.at("/failures/econnrefused/firstAtMs").asLong(), m::toString);
        assertEquals("refused a", m.at("/failures/econnrefused/firstMessage").asText());
        assertEquals(6, m.at("/failures/econnrefused/count").asLong());

        // b's clock 2 s behind the reference: moved, it started 1 s after a and failed at 1,068 ms of the merge; its
        // own measuredFrom, 1 s before a's, is not the merged one.
        Path behind = failing(RunFixture.at(tmp.resolve("behind"), "behind", t0 - 1000).interval(0, 1, 100)
                .interval(1, 2, 100).write(), 68, "refused behind");
        Path early = failing(RunFixture.at(tmp.resolve("early"), "early", t0).interval(0, 1, 100).interval(1, 2, 100)
                .interval(2, 3, 100).write(), 1500, "refused early");
        JsonNode s = RunMerger.write(RunMerger.read(List.of(early, behind), false, new long[] {0, 2000}),
                ResultsDirectory.at(tmp.resolve("shifted")), "merged");
        assertEquals(Instant.ofEpochMilli(t0).toString(), s.path("measuredFrom").asText(), s::toString);
        assertEquals(1068, s.at("/failures/econnrefused/firstAtMs").asLong(), s::toString);
        assertEquals("refused behind", s.at("/failures/econnrefused/firstMessage").asText());
    }

    /** The run at {@code dir} with 3 refused connections, the first {@code atMs} into its measured part. */
    private static Path failing(Path dir, long atMs, String message) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode s = (com.fasterxml.jackson.databind.node.ObjectNode) SummaryJson.read(dir);
        ((com.fasterxml.jackson.databind.node.ObjectNode) s.path("failures")).putObject("econnrefused").put("count", 3)
                .put("firstAtMs", atMs).put("firstMessage", message);
        Files.writeString(dir.resolve(SummaryJson.FILE), s.toPrettyString());
        return dir;
    }

    /**
     * Two hosts measuring the same 3 s, their logs' intervals a few ms later (the first tick after the part's start) and
     * so their last one past the window's end: the window holds every completion, 600, and the merged rate is the two
     * rates added. Spread over the whole last interval, completions past the end were cut off (599.1/s for two clients
     * of 300/s each, QA 2026-12-06).
     */
    @Test
    void hostsWithTheSameWindowMergeToTheSumOfTheirCompletions() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0.007, 1.007, 100).interval(1.007, 2.007, 100)
                .interval(2.007, 3.007, 100).measuredSeconds(3.0).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).interval(0.215, 1.215, 100).interval(1.215, 2.215, 100)
                .interval(2.215, 3.215, 100).measuredSeconds(3.0).write();
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
        JsonNode m = SummaryJson.read(tmp.resolve("m"));
        assertEquals(3.0, m.at("/merge/rateWindow/seconds").asDouble(), 1e-9);
        assertEquals(600, m.at("/merge/rateWindow/completed").asDouble(), 1e-9, m::toString);
        assertEquals(200.0, m.at("/connections/perSecond").asDouble(), 1e-9);
    }

    /**
     * A host whose process stood still keeps its stall in the merge, and the merge warns of the longest, naming the
     * host: a stopped client's timeouts were summed into the merge's failures with no word of why (review, 2026-12-06).
     */
    @Test
    void aHostsStallIsKeptAndTheLongestIsSaid() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 100).interval(1, 2, 100).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).interval(0, 1, 100).interval(1, 2, 100).write();
        com.fasterxml.jackson.databind.node.ObjectNode sb =
                (com.fasterxml.jackson.databind.node.ObjectNode) SummaryJson.read(b);
        sb.putObject("stall").put("seconds", 2.5).put("endedAtSeconds", 1.8).put("inWarmup", false);
        Files.writeString(b.resolve(SummaryJson.FILE), sb.toPrettyString());
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
        JsonNode m = SummaryJson.read(tmp.resolve("m"));
        assertEquals("b", m.at("/stall/host").asText(), m::toString);
        assertTrue(m.at("/hosts/0/stall").isNull() && m.at("/hosts/1/stall/seconds").asDouble() == 2.5, m::toString);
        assertTrue(c.out.toString().replaceAll("\\s+", " ").contains("warning host b's process stood still for 2.5 s or more,"
                + " until 1.8 s into the run"), c.out::toString);
        assertTrue(c.out.toString().replaceAll("\\s+", " ").contains("its latencies hold the wait"), c.out::toString);

        // A longer stall in a's warm-up touched no figure: b's, in its measured part, is the one said (QA, 2026-12-06).
        com.fasterxml.jackson.databind.node.ObjectNode sa =
                (com.fasterxml.jackson.databind.node.ObjectNode) SummaryJson.read(a);
        sa.putObject("stall").put("seconds", 4.4).put("endedAtSeconds", 0.9).put("inWarmup", true);
        Files.writeString(a.resolve(SummaryJson.FILE), sa.toPrettyString());
        RunCommandTest.Cli again = new RunCommandTest.Cli();
        assertEquals(0, again.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m2").toString()),
                again.err::toString);
        assertEquals("b", SummaryJson.read(tmp.resolve("m2")).at("/stall/host").asText());
        // Alone, a warm-up's stall says the measured figures do not hold it.
        RunCommandTest.Cli table = new RunCommandTest.Cli();
        assertEquals(0, table.run("report", "--table", a.toString()), table.err::toString);
        assertTrue(table.out.toString().replaceAll("\\s+", " ").contains("stood still for 4.4 s or more in the warm-up, until"
                + " 0.9 s into the run") && table.out.toString().replaceAll("\\s+", " ").contains("the measured figures do not"
                + " hold the wait"), table.out::toString);
    }

    /**
     * A host that completed nothing in its first half second (its log's first interval starts there) measured from its
     * start all the same: the window is its summary's, so the merged rate is the hosts' rates added, not more.
     */
    @Test
    void aHostThatStalledAtItsStartKeepsItsWholeWindow() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 100).interval(1, 2, 100).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).interval(0.5, 1, 50).interval(1, 2, 100).write();
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
        JsonNode m = SummaryJson.read(tmp.resolve("m"));
        double added = SummaryJson.read(a).at("/connections/perSecond").asDouble() + SummaryJson.read(b).at("/connections/perSecond")
                .asDouble();
        assertEquals(175.0, added, 1e-9);
        assertEquals(added, m.at("/connections/perSecond").asDouble(), 1e-9, "(it was 200/s over the 1.5 s after b's stall)");
        assertEquals(2.0, m.at("/merge/rateWindow/seconds").asDouble(), 1e-9);
    }

    /**
     * A host's states.csv cut off inside a row is refused, as report refuses it: merge copied it into a merged folder
     * that report then could not read (QA, 2026-12-06).
     */
    @Test
    void aHostsCutOffStatesFileIsRefusedInOneLine() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 100).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).interval(0, 1, 100).write();
        Files.writeString(a.resolve("states.csv"), StateSeries.CSV_HEADER + "\n0,1,0,0,0,0,3");
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(2, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
        assertEquals("churn merge: " + a.resolve("states.csv") + ": row 2 is cut off (no newline at its end: a damaged or"
                + " cut-off CSV)", c.err.toString().strip());
        assertFalse(Files.exists(tmp.resolve("m")), "nothing written");
    }

    /**
     * A host's states.csv cut at a row boundary is whole as a CSV: its rows are held to its summary's states.samples,
     * before merge copies it (QA, 2026-12-06), and the merged folder's copy to the host's entry when report draws it.
     */
    @Test
    void aHostsStatesFileWithOtherRowsThanItsSummaryCountsIsRefused() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 100).states(7, 20).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).interval(0, 1, 100).states(3, 3).write();
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(2, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
        assertEquals("churn merge: " + a.resolve("states.csv") + " holds 7 samples but its summary.json counts 20 (a cut-off"
                + " CSV, or one from another run)", c.err.toString().strip());
        assertFalse(Files.exists(tmp.resolve("m")), "nothing written");

        RunFixture.at(a, "a", t0).interval(0, 1, 100).states(20, 20).write();
        Path m = tmp.resolve("m");
        RunCommandTest.Cli ok = new RunCommandTest.Cli();
        assertEquals(0, ok.run("merge", a.toString(), b.toString(), "--out", m.toString()), ok.err::toString);
        Path copy = m.resolve(RunMerger.statesFile("a"));
        List<String> lines = Files.readAllLines(copy);
        Files.write(copy, lines.subList(0, 8));
        RunCommandTest.Cli r = new RunCommandTest.Cli();
        assertEquals(2, r.run("report", m.toString()), r.err::toString);
        assertEquals("churn report: " + copy + " holds 7 samples but its summary.json counts 20 (a cut-off CSV, or one from"
                + " another run)", r.err.toString().strip());
    }

    /**
     * A closed loop's window starts at its first cycle, 100 ms into its first logged interval here: no completion
     * came before it, so that interval's completions are spread over its part inside the window, and the merged rate
     * is the hosts' rates added (pro-rated over the whole interval, it was 0.9 of that).
     */
    @Test
    void completionsAreSpreadOnlyOverTheHostsOwnWindow() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).firstCycleAt(0.1).interval(0, 1, 100).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).firstCycleAt(0.1).interval(0, 1, 100).write();
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
        JsonNode m = SummaryJson.read(tmp.resolve("m"));
        assertEquals(200, m.at("/merge/rateWindow/completed").asDouble(), 1e-9);
        assertEquals(2 * SummaryJson.read(a).at("/connections/perSecond").asDouble(), m.at("/connections/perSecond").asDouble(),
                1e-3);
    }

    /**
     * Two hosts at 100/s each, half a second apart: every merged cycle interval's count over its length is 200/s, the
     * hosts' rates added, which the report's rate chart draws. Each interval spanned the hosts' intervals in its second
     * (1.5 s), and the chart showed 133/s (QA, 2026-12-06).
     */
    @Test
    void eachMergedIntervalsRateIsTheHostsRatesAdded() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 100).interval(1, 2, 100).interval(2, 3, 100).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0 + 500).interval(0, 1, 100).interval(1, 2, 100).interval(2, 3, 100)
                .write();
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
        HistogramLogReader reader = new HistogramLogReader(tmp.resolve("m").resolve(ResultCollector.FILE).toFile());
        int cycles = 0;
        EncodableHistogram e;
        while ((e = reader.nextIntervalHistogram()) != null) {
            if ("cycle".equals(e.getTag())) {
                cycles++;
                double seconds = e.getEndTimeStamp() / 1000.0 - e.getStartTimeStamp() / 1000.0;
                assertEquals(200.0, ((Histogram) e).getTotalCount() / seconds, 0.5, "interval from " + e.getStartTimeStamp());
            }
        }
        assertEquals(3, cycles);
    }

    /**
     * Issue 15: a joined session knows each client's clock offset to the server's. Host b's clock is a
     * minute ahead, so on its own clock its window misses a's entirely and a plain merge refuses; moved
     * by its offset it is the same merge as above, and the summary says by how much each host moved.
     */
    @Test
    void aHostWhoseClockIsAheadMergesOnTheReferenceClockWhenItsOffsetIsKnown() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        long ahead = 60_000;
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).openLoop(500)
                .interval(0, 1, 100).interval(1, 2, 100).interval(2, 3, 100).states(3, 3).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0 + 1000 + ahead).openLoop(500)
                .interval(0, 1, 50).interval(1, 2, 50).interval(2, 3, 50).states(3, 3).write();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RunMerger.read(List.of(a, b), false, new long[] {0, 0}));
        assertTrue(refused.getMessage().contains("overlap"), refused.getMessage());

        JsonNode m = RunMerger.write(RunMerger.read(List.of(a, b), false, new long[] {0, -ahead}),
                ResultsDirectory.at(tmp.resolve("m")), "merged");

        assertEquals(300, m.at("/merge/rateWindow/completed").asDouble(), 1e-9);
        assertEquals(2.0, m.at("/merge/rateWindow/seconds").asDouble(), 1e-9);
        assertEquals(150.0, m.at("/connections/perSecond").asDouble(), 1e-9);
        assertEquals(Instant.ofEpochMilli(t0 + 1000).toString(), m.at("/merge/rateWindow/from").asText());
        assertEquals(Instant.ofEpochMilli(t0).toString(), m.path("startedAt").asText());
        assertEquals(-ahead, m.at("/hosts/1/clockShiftMillis").asLong(), m::toString);
        assertEquals(0, m.at("/hosts/0/clockShiftMillis").asLong(), m::toString);

        // The report draws b's states on the server's clock too, 1 s after a's start, as its latencies: they were drawn
        // by b's own clock, a minute late here (QA, 2026-12-06: 500 ms early for a client 500 ms behind).
        Path html = tmp.resolve("m.html");
        assertEquals(0, new RunCommandTest.Cli().run("report", tmp.resolve("m").toString(), "--out", html.toString()));
        String page = Files.readString(html);
        assertTrue(page.contains("{\"host\":\"b\",\"TIME_WAIT\":[[1.0,0],[1.1,1],[1.2,2]]"),
                () -> page.substring(page.indexOf("\"host\":\"b\"") - 2, page.indexOf("\"host\":\"b\"") + 80));
    }

    @Test
    void unrelatedRunsAreRefusedInOneLineUnlessForcedAndTheForcedResultSaysSo() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        // An open loop against one server, and a closed loop against another made 11 minutes earlier.
        Path open = RunFixture.at(tmp.resolve("open"), "open", t0 + 11 * 60_000).openLoop(500)
                .interval(0, 1, 500).interval(1, 2, 500).write();
        Path closed = RunFixture.at(tmp.resolve("closed"), "closed", t0).scenario("target", "127.0.0.2:7000")
                .interval(0, 1, 3000).interval(1, 2, 3000).write();
        Path out = tmp.resolve("refused");
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(2, c.run("merge", open.toString(), closed.toString(), "--out", out.toString()));
        String err = c.err.toString().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("scenario.target differs") && err.contains("--force"), err);
        assertFalse(Files.exists(out), "a refused merge writes nothing");

        // Only the windows differ: still refused, saying so.
        Path later = RunFixture.at(tmp.resolve("later"), "later", t0 + 11 * 60_000).interval(0, 1, 10).write();
        Path earlier = RunFixture.at(tmp.resolve("earlier"), "earlier", t0).interval(0, 1, 10).write();
        RunCommandTest.Cli w = new RunCommandTest.Cli();
        assertEquals(2, w.run("merge", later.toString(), earlier.toString(), "--out", out.toString()));
        assertTrue(w.err.toString().contains("measured windows do not overlap"), w.err::toString);

        RunCommandTest.Cli f = new RunCommandTest.Cli();
        assertEquals(0, f.run("merge", open.toString(), closed.toString(), "--out", out.toString(), "--force"), f.err::toString);
        JsonNode m = SummaryJson.read(out);
        assertTrue(m.at("/merge/forced").asBoolean());
        assertEquals(3, m.at("/merge/mismatches").size(), m.at("/merge/mismatches")::toString); // target, load kind, windows
        assertEquals("union", m.at("/merge/rateWindow/kind").asText());
        assertEquals("mixed", m.at("/scenario/load/type").asText());
        // Union: 11 min 2 s for 7,000 completions.
        assertEquals(7000.0 / 662.0, m.at("/connections/perSecond").asDouble(), 1e-3);
        assertTrue(f.out.toString().contains("forced      scenario.target differs"), f.out::toString);
    }

    @Test
    void aSecondMergeIntoTheSameFolderIsRefusedAndForceReplacesIt() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 100).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).interval(0, 1, 200).write();
        Path out = tmp.resolve("merged");
        RunCommandTest.Cli first = new RunCommandTest.Cli();
        assertEquals(0, first.run("merge", a.toString(), b.toString(), "--out", out.toString()), first.err::toString);
        String before = Files.readString(out.resolve("summary.json"));

        RunCommandTest.Cli again = new RunCommandTest.Cli();
        assertEquals(2, again.run("merge", a.toString(), b.toString(), "--out", out.toString()));
        assertTrue(again.err.toString().contains("already holds") && again.err.toString().contains("--force"), again.err::toString);
        assertEquals(before, Files.readString(out.resolve("summary.json")), "a refused merge leaves the folder as it was");

        // The message says --force replaces them, so --force must (it once did not: merge ignored it there).
        RunCommandTest.Cli forced = new RunCommandTest.Cli();
        assertEquals(0, forced.run("merge", a.toString(), b.toString(), "--out", out.toString(), "--force"), forced.err::toString);
        assertEquals(300, SummaryJson.read(out).at("/connections/completed").asLong());
        assertFalse(SummaryJson.read(out).at("/merge/forced").asBoolean() && SummaryJson.read(out).at("/merge/mismatches").size() > 0,
                "nothing about these runs needed forcing");
    }

    @Test
    void anOutThatIsOneOfTheRunsIsRefusedEvenWithForce() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 100).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).interval(0, 1, 200).write();
        byte[] summary = Files.readAllBytes(a.resolve("summary.json"));
        byte[] log = Files.readAllBytes(a.resolve("latency.hlog"));
        // --force once wrote the merge over run a: its own summary and log were gone.
        for (String out : List.of(a.toString(), tmp.resolve("b/../a").toString())) {
            RunCommandTest.Cli c = new RunCommandTest.Cli();
            assertEquals(2, c.run("merge", a.toString(), b.toString(), "--out", out, "--force"), c.out::toString);
            String err = c.err.toString().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains("one of the folders read"), err);
        }
        assertTrue(java.util.Arrays.equals(summary, Files.readAllBytes(a.resolve("summary.json"))), "a's summary.json");
        assertTrue(java.util.Arrays.equals(log, Files.readAllBytes(a.resolve("latency.hlog"))), "a's latency.hlog");
        // Beside the runs, or inside one, is another folder: allowed.
        RunCommandTest.Cli inside = new RunCommandTest.Cli();
        assertEquals(0, inside.run("merge", a.toString(), b.toString(), "--out", a.resolve("merged").toString()),
                inside.err::toString);
        assertEquals(300, SummaryJson.read(a.resolve("merged")).at("/connections/completed").asLong());
    }

    @Test
    void aRunGivenTwiceByPathOrAsACopyIsRefused() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path good = RunFixture.at(tmp.resolve("good"), "good", t0).interval(0, 1, 300).write();
        Path copy = Files.createDirectory(tmp.resolve("copy"));
        for (String f : List.of("summary.json", "latency.hlog")) {
            Files.copy(good.resolve(f), copy.resolve(f));
        }
        for (String[] args : List.of(new String[] {"merge", good.toString(), good.toString()},
                new String[] {"merge", good.toString(), tmp.resolve("good/../good").toString()},
                new String[] {"merge", good.toString(), copy.toString()})) {
            RunCommandTest.Cli c = new RunCommandTest.Cli();
            assertEquals(2, c.run(args), c.err::toString);
            String err = c.err.toString().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains("given twice") || err.contains("is the same run as"), err);
        }
    }

    @Test
    void aGarbageOrTruncatedLogIsRefusedNamingTheFile() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 300).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).interval(0, 1, 300).write();
        // Lines HdrHistogram does not know: its reader skips them and finds no interval at all.
        Files.writeString(b.resolve("latency.hlog"), "hello\nthis is not a histogram log\n");
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(2, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()));
        String err = c.err.toString().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(b.resolve("latency.hlog").toString()) && err.contains("holds 0 connect latencies"), err);

        byte[] full = Files.readAllBytes(a.resolve("latency.hlog"));
        Files.write(b.resolve("latency.hlog"), java.util.Arrays.copyOf(full, full.length - 40));
        RunCommandTest.Cli t = new RunCommandTest.Cli();
        assertEquals(2, t.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()));
        assertTrue(t.err.toString().contains(b.resolve("latency.hlog") + " is"), t.err::toString);
        assertFalse(Files.exists(tmp.resolve("m")));
    }

    /**
     * A log of histograms no churn writes, more significant digits than its 3 or a latency beyond a day, is refused in
     * one line before anything adds it up: 300 intervals of 5 digits holding 2^61 ns each took {@code churn merge} to
     * 6.3 GB and a stack trace (QA, 2026-12-06).
     */
    @Test
    void aLogOfHistogramsNoChurnWritesIsRefusedInOneLine() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 100).interval(1, 2, 100).interval(2, 3, 100).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).interval(0, 1, 1).interval(1, 2, 1).interval(2, 3, 1).write();
        long twoDays = java.time.Duration.ofDays(2).toNanos();
        for (long[] log : new long[][] {{5, 1L << 61}, {5, 100_000}, {3, twoDays}}) {
            RunFixture.outsizedLog(b, t0, (int) log[0], log[1]);
            RunCommandTest.Cli c = new RunCommandTest.Cli();
            assertEquals(2, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
            String err = c.err.toString().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("churn merge: " + b.resolve("latency.hlog")
                    + " is not a churn latency log: interval 1 holds "), err);
            assertTrue(err.endsWith(log[0] == 5 ? "a histogram of 5 significant digits (churn writes 3)"
                    : " s, longer than a day (churn records at most an hour)"), err); // 2 days, as the histogram rounds it
        }
        assertFalse(Files.exists(tmp.resolve("m")));
    }

    /**
     * A summary's label is anyone's: one of terminal escapes and a newline was printed raw by merge, broke the merged
     * latency.hlog's comment line in two, and named a states file with escapes (QA, 2026-12-06). A host whose label is
     * not a label goes by its folder's name.
     */
    @Test
    void aHostWhoseSummaryLabelIsNotALabelGoesByItsFolder() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        String evil = "x\u001b]0;PWNED\u0007\u001b[31mRED\nFAKE LINE";
        Path a = RunFixture.at(tmp.resolve("a"), evil, t0).interval(0, 1, 100).states(3, 3).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).interval(0, 1, 100).states(3, 3).write();
        RunCommandTest.Cli c = new RunCommandTest.Cli();
        assertEquals(0, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
        String out = c.out.toString();
        assertTrue(out.contains("  host a "), out);
        assertTrue(out.chars().noneMatch(ch -> ch == 0x1b || ch == 0x07), out);
        JsonNode m = SummaryJson.read(tmp.resolve("m"));
        assertEquals("a", m.at("/hosts/0/host").asText());
        assertEquals(evil, m.at("/hosts/0/label").asText(), "the summary's own label is kept, as data");
        assertTrue(Files.isRegularFile(tmp.resolve("m").resolve("states-a.csv")));
        List<String> log = Files.readAllLines(tmp.resolve("m").resolve("latency.hlog"));
        assertTrue(log.getFirst().contains("2 hosts (a, b)"), log::toString);
        assertTrue(log.stream().noneMatch(l -> l.startsWith("FAKE")), log::toString);
    }

    /**
     * A host's log or states file of 0 bytes (killed at once, a full disk) is said to be empty: the log's "holds 0
     * connect latencies ... (a corrupt log, or one from another run)" sent the reader looking for the wrong thing.
     */
    @Test
    void anEmptyLogOrStatesFileIsSaidToBeEmpty() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 300).states(3, 3).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).interval(0, 1, 300).states(3, 3).write();
        for (String name : List.of("latency.hlog", "states.csv")) {
            Path file = b.resolve(name);
            byte[] full = Files.readAllBytes(file);
            Files.write(file, new byte[0]);
            RunCommandTest.Cli c = new RunCommandTest.Cli();
            assertEquals(2, c.run("merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()), c.err::toString);
            assertEquals("churn merge: " + file + " is empty (0 bytes: the run was killed, or the disk filled)",
                    c.err.toString().strip());
            Files.write(file, full);
        }
        assertFalse(Files.exists(tmp.resolve("m")), "nothing written");
    }

    @Test
    void aSummaryWithWrongTypesIsBadInputForMergeAndReportAlike() throws Exception {
        long t0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
        Path a = RunFixture.at(tmp.resolve("a"), "a", t0).interval(0, 1, 300).write();
        Path b = RunFixture.at(tmp.resolve("b"), "b", t0).interval(0, 1, 300).write();
        Path file = b.resolve("summary.json");
        Files.writeString(file, Files.readString(file).replaceFirst("\"failed\" : 0", "\"failed\" : \"none\""));
        for (String[] args : List.of(new String[] {"merge", a.toString(), b.toString(), "--out", tmp.resolve("m").toString()},
                new String[] {"report", b.toString()})) {
            RunCommandTest.Cli c = new RunCommandTest.Cli();
            assertEquals(2, c.run(args), c.err::toString);
            String err = c.err.toString().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains(file.toString()) && err.contains("connections.failed"), err);
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
