package dev.churn.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What the suite says about configurations it cannot measure as asked: burst sizes beyond the
 * descriptors, and scores that are the kernel's TIME_WAIT reuse ceiling.
 */
class BenchNotesTest {

    /** The full preset's closer=client with n=10000 needs both ends of 10,000 connections: left out, the rest kept. */
    @Test
    void aPresetsBurstSizeBeyondTheDescriptorsIsLeftOutAndAGivenOneRefused() {
        assertEquals(List.of("1000"), BenchParams.burstSizesThatFit(List.of("1000", "10000"), List.of("client", "server"), 20_000,
                false, 1));
        assertEquals(List.of("1000", "10000"), BenchParams.burstSizesThatFit(List.of("1000", "10000"), List.of("server"), 20_000,
                false, 1), "the sink holds none with closer=server");
        IllegalArgumentException given = assertThrows(IllegalArgumentException.class,
                () -> BenchParams.burstSizesThatFit(List.of("1000", "10000"), List.of("client"), 20_000, true, 1));
        assertTrue(given.getMessage().startsWith("-p n=10000: BurstBenchmark holds 20,000 sockets at once with closer=client"),
                given.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BenchParams.burstSizesThatFit(List.of("10000"), List.of("client"), 20_000, false, 1), "nothing left to run");
    }

    /**
     * Each benchmark thread holds a burst of its own: with -t 2 -p n=6000 -p closer=client the check passed (12,256 of
     * a ulimit -n of 20,000) and the fork failed with "Too many open files" after the run's folder was made.
     */
    @Test
    void aBurstSizeIsCheckedForEveryBenchmarkThread() {
        long limit = dev.churn.bench.engine.RunCapacity.openFilesLimit();
        Assumptions.assumeTrue(limit >= 1_000 && limit <= 3_000_000, "ulimit -n " + limit);
        String n = Long.toString(limit / 3); // one thread: 2/3 of the limit; two: 4/3
        List<String> args = List.of("-t", "2", "-p", "n=" + n, "-p", "closer=client");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchSuite.options(BenchPreset.SMOKE, "BurstBenchmark", args, Path.of("jmh.json")));
        assertTrue(e.getMessage().startsWith("-p n=" + n + ": BurstBenchmark holds ") && e.getMessage().contains(
                "(both ends of each connection, in each of 2 threads)"), e.getMessage());
        BenchSuite.options(BenchPreset.SMOKE, "BurstBenchmark", List.of("-p", "n=" + n, "-p", "closer=client"),
                Path.of("jmh.json"));
    }

    private static BenchSummary.Row row(String params, long connects, long recycled) {
        return new BenchSummary.Row("ConnectCloseBenchmark.connectClose", params, "thrpt", 14_100, 50, "ops/s", 2000, 14_100,
                connects, recycled);
    }

    /** Connects that mostly took a TIME_WAIT over: the rows are named, with the ceiling the sysctls give. */
    @Test
    void rowsAtTheReuseCeilingAreNamedWithTheCeiling() {
        List<String> notes = BenchSummary.notes(List.of(row("closer=client linger=off", 44_288, 42_412),
                row("closer=server linger=off", 70_000, 0), row("closer=client linger=0", 60_000, 0),
                new BenchSummary.Row("MonitorSourceBenchmark.sample", "source=netlink", "avgt", 4000, 10, "us/op", Double.NaN, 0, -1, -1)),
                Map.of("net.ipv4.ip_local_port_range", "32768 60999", "net.ipv4.tcp_tw_reuse_delay", "1000"));
        assertEquals(2, notes.size(), notes::toString);
        assertTrue(notes.get(0).contains("the kernel's TIME_WAIT reuse ceiling, about 14,116 a second to one destination"
                + " (ports 32768-60999, net.ipv4.tcp_tw_reuse_delay 1,000 ms)"), notes.get(0));
        assertEquals("  ConnectCloseBenchmark.connectClose closer=client linger=off: 42,412 of 44,288 connects", notes.get(1));
        assertEquals(List.of(), BenchSummary.notes(List.of(row("closer=server linger=off", 70_000, 10)), Map.of()));
    }
}
