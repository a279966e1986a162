package dev.churn.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.monitor.TimeWaitBudget;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.Options;

/**
 * Runs the whole suite with the smoke preset through the same code path as {@code churn bench}
 * (JMH's Runner in forked JVMs, the profiler attached) and checks the kernel's view makes sense.
 */
class BenchSuiteSmokeTest {

    @TempDir
    Path out;

    @Test
    void smokePresetRunsEveryBenchmarkWithSensibleSecondaryResults() throws Exception {
        // The suite leaves some 10,000 TIME_WAIT sockets; past tcp_max_tw_buckets the kernel would
        // destroy them at once and the TIME_WAIT checks below would fail through no fault of ours.
        TimeWaitBudget budget = TimeWaitBudget.await(30_000, Duration.ofSeconds(70));
        Assumptions.assumeTrue(budget.headroom() >= 30_000, () -> "the kernel's TIME_WAIT table is nearly full: " + budget);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        BenchSuite.Outcome o = BenchSuite.run(BenchPreset.SMOKE, null, List.of(), out, "test",
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertTrue(Files.size(o.json()) > 0, "jmh.json written");
        assertTrue(Files.readString(o.json()).contains("\"tcp.samples\""), "secondary results in JMH's JSON");
        Set<String> methods = new TreeSet<>();
        for (RunResult r : o.results()) {
            String b = r.getParams().getBenchmark();
            methods.add(b.substring(b.lastIndexOf('.', b.lastIndexOf('.') - 1) + 1));
        }
        assertEquals(Set.of("BurstBenchmark.burst", "ConnectCloseBenchmark.connectClose",
                "ConnectCloseBenchmark.connectCloseLatency", "CrrBenchmark.crr", "MonitorSourceBenchmark.sample",
                "TlsBenchmark.connection"), methods);

        for (RunResult r : o.results()) {
            String bench = r.getParams().getBenchmark();
            Map<String, Result> sec = r.getSecondaryResults();
            String what = bench + " " + r.getParams().getParam("linger");
            assertTrue(value(sec, "tcp.samples") > 0, what + ": the profiler sampled the benchmark's ports");
            // The median sample, not a mean the cold first sample of each iteration pulls up.
            double median = value(sec, "tcp.sample_us");
            assertTrue(median > 0 && median <= value(sec, "tcp.sample_us.max"),
                    what + ": 0 < sample_us " + median + " <= sample_us.max " + value(sec, "tcp.sample_us.max"));
            if (bench.contains("MonitorSource")) {
                // The seeder tops up to 1000 on its port; a count may miss some under load, none is a failure.
                double seeded = value(sec, "tcp.time_wait.peak");
                assertTrue(seeded > 0 && seeded <= 1000 + 1000, what + ": the seeded TIME_WAIT is seen, got " + seeded);
                continue;
            }
            assertTrue(value(sec, "connect.p99") > 0, what + ": connect.p99 from the engine's recorder");
            assertTrue(value(sec, "connect.p50") <= value(sec, "connect.p99"), what + ": p50 <= p99");
            assertTrue(value(sec, "tcp.activeopens") > 0, what + ": the kernel counted active opens");
            boolean serverCloses = !bench.contains("Crr") && !bench.contains("Tls");
            boolean rst = "0".equals(r.getParams().getParam("linger"));
            double tw = value(sec, "tcp.time_wait.peak");
            if (rst) {
                assertEquals(0.0, tw, what + ": linger 0 closes with RST, no TIME_WAIT");
                assertTrue(sec.containsKey("tcp.time_wait.peak"), what + ": a peak of 0 is written, not left out");
                assertTrue(value(sec, "tcp.estabresets") > 0, what + ": the RSTs show as estabresets");
            } else if (serverCloses) {
                assertTrue(tw > 0, what + ": the server closes first, TIME_WAIT on the sink's port");
            } else {
                assertTrue(tw > 0, what + ": the client closes first, TIME_WAIT on its side");
            }
            if (bench.contains("Crr") || bench.contains("Tls")) {
                assertTrue(value(sec, "first_byte.p99") > 0, what + ": request/response time recorded");
            }
            if (bench.contains("Tls")) {
                assertTrue(value(sec, "tls.p50") > 0 && value(sec, "tls.p50") <= value(sec, "tls.p99"),
                        what + ": the TLS handshake timed as its own phase");
            }
        }
        assertTrue(BenchSummary.table(o.rows()).contains("TIME_WAIT peak"));
        assertEquals(o.results().size(), o.rows().size());

        // Parameters the whole run shares are shown too: the smoke preset's server closes first.
        for (BenchSummary.Row row : o.rows()) {
            if (row.benchmark().startsWith("ConnectClose") || row.benchmark().startsWith("Burst")) {
                assertTrue(row.params().contains("closer=server"), row.toString());
            }
        }
        // JMH's output is in jmh.log; the progress is one line per configuration, n of m, plus its score.
        String log = Files.readString(o.log());
        assertTrue(log.contains("# Run complete") && log.lines().count() > 100, "JMH's own output in " + o.log());
        List<String> lines = progress.toString(StandardCharsets.UTF_8).lines().toList();
        int m = o.results().size();
        assertEquals("churn bench: " + m + (m == 1 ? " configuration" : " configurations") + "; JMH's log: " + o.log(), lines.getFirst());
        assertEquals(m, lines.stream().filter(l -> l.matches("\\[\\d+/" + m + " \\d+:\\d\\d\\] \\w+\\.\\w+ .*")).count(), lines.toString());
        assertTrue(lines.size() <= 1 + 2 * m, "no JMH chatter on the progress stream: " + lines);
    }

    /**
     * JMH's {@code -t 2} runs two benchmark threads on one state: what is not thread-safe (a runner's buffers, a
     * netlink socket, a burst's sockets) must be each thread's own. In this class, not one of its own: the two test
     * JVMs would run both suites at once, and the second would meet JMH's lock.
     */
    @Test
    void twoBenchmarkThreadsEachHaveTheirOwnClientSourceAndSockets() throws Exception {
        TimeWaitBudget budget = TimeWaitBudget.await(20_000, Duration.ofSeconds(70));
        Assumptions.assumeTrue(budget.headroom() >= 20_000, () -> "the kernel's TIME_WAIT table is nearly full: " + budget);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        // Shared, CRR on nio timed out ("0 of 1 response bytes came": both threads wrote through one request buffer),
        // the netlink source failed ("malformed reply"), and bursts lost sockets to each other, never closed.
        BenchSuite.Outcome o = BenchSuite.run(BenchPreset.SMOKE, "CrrBenchmark|MonitorSourceBenchmark|BurstBenchmark",
                List.of("-t", "2", "-i", "3", "-p", "transport=nio", "-p", "linger=off"), out, "threads",
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        Set<String> ran = new TreeSet<>();
        for (RunResult r : o.results()) {
            String b = r.getParams().getBenchmark();
            ran.add(b.substring(b.lastIndexOf('.', b.lastIndexOf('.') - 1) + 1));
            assertEquals(2, r.getParams().getThreads(), b);
            if (b.endsWith("BurstBenchmark.burst")) {
                // Two threads hold at most 2 x n between their connects and closes; none is left over.
                double peak = value(r.getSecondaryResults(), "tcp.close_wait.peak");
                assertTrue(peak <= 2 * 1000, "CLOSE_WAIT on the sink's port peaked at " + peak + ": sockets left open");
            }
        }
        assertEquals(Set.of("BurstBenchmark.burst", "CrrBenchmark.crr", "MonitorSourceBenchmark.sample"), ran,
                progress.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nativeAccessIsOnTheForksCommandLineOnce() {
        Options opts = BenchSuite.options(BenchPreset.SMOKE, null, List.of(), Path.of("jmh.json"));
        List<String> fork = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        // without an append in the options, the benchmarks' @Fork(jvmArgsAppend = NATIVE_ACCESS) applies
        fork.addAll(opts.getJvmArgsAppend().orElse(List.of(BenchSuite.NATIVE_ACCESS)));
        assertEquals(1, fork.stream().filter(BenchSuite.NATIVE_ACCESS::equals).count(), fork.toString());
    }

    @Test
    void everyValueTheBenchmarksDeclareIsAcceptedByTheParameterCheck() {
        // The check runs each -p value through the benchmarks' own parsers: each annotation's values must pass it.
        for (var e : org.openjdk.jmh.runner.BenchmarkList.defaultList().find(
                org.openjdk.jmh.runner.format.OutputFormatFactory.createFormatInstance(
                        new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                        org.openjdk.jmh.runner.options.VerboseMode.SILENT), List.of(".*"), List.of())) {
            for (Map.Entry<String, String[]> p : e.getParams().orElse(Map.of()).entrySet()) {
                List<String> args = List.of("-p", p.getKey() + "=" + String.join(",", p.getValue()));
                BenchSuite.options(BenchPreset.SMOKE, null, args, Path.of("jmh.json"));
            }
        }
        BenchSuite.options(BenchPreset.SMOKE, null, List.of("-p", "transport=raw,epoll,selector", "-psource=proc"),
                Path.of("jmh.json"));
    }

    /** The secondary result's score, 0 when absent (the profiler omits states never seen). */
    private static double value(Map<String, Result> sec, String label) {
        Result r = sec.get(label);
        return r == null ? 0 : r.getScore();
    }
}
