package dev.churn.monitor;

import static dev.churn.monitor.TcpState.LISTEN;
import static dev.churn.monitor.TcpState.TIME_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sampler's idle helper: counts at {@code SCHED_IDLE} on a source of its own, and left when it is late. */
class IdleHelperTest {

    private static final Duration INTERVAL = Duration.ofMillis(20);

    private static void await(BooleanSupplier done, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** The scheduling policy of this process's thread named {@code comm}, from the kernel's own stat line; -1 when none. */
    private static int policyOf(String comm) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(t.resolve("comm")).strip().equals(comm)) {
                        String stat = Files.readString(t.resolve("stat"));
                        // after the ")" that ends comm: field 3 (state) is the first; policy is field 41
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        return Integer.parseInt(f[41 - 3]);
                    }
                } catch (IOException gone) {
                    // a thread that ended while listed
                }
            }
        }
        return -1;
    }

    private static boolean helperAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(IdleHelper.THREAD_NAME) && t.isAlive());
    }

    @ParameterizedTest
    @EnumSource(value = SourceKind.class, names = {"NETLINK", "PROC"})
    // An idle-priority thread runs only on a CPU nothing else wants: beside the other test JVM it could wait seconds.
    @Tag("alone")
    void countsTheKnownSocketsOnAThreadAtIdlePriority(SourceKind kind) throws Exception {
        try (KnownSockets known = KnownSockets.ipv4(2, 1, 3);
                StateSource source = StateSources.open(kind)) {
            assertEquals(known.expected(), known.settle(source));
            StateSampler sampler = StateSampler.builder(source, known.filter())
                    .interval(INTERVAL)
                    .idleHelper(() -> StateSources.open(kind))
                    .handOffAbove(Duration.ZERO) // every count, however cheap, goes to the helper
                    .build()
                    .start();
            await(() -> sampler.helperCounts() >= 3, 10_000);
            // The kernel's word for it, not the JVM's: SCHED_IDLE is policy 5 in /proc/<pid>/task/<tid>/stat.
            assertEquals(IdlePriority.SCHED_IDLE, policyOf(IdleHelper.THREAD_NAME.substring(0, 15)));
            assertEquals(0, policyOf(StateSampler.THREAD_NAME.substring(0, 15)), "the sampling thread stays at SCHED_OTHER");
            StateSeries series = sampler.stop();
            assertTrue(series.samplesAtIdle() >= 3, "counts at idle " + series.samplesAtIdle());
            assertEquals(0, series.errorCount(), () -> series.firstError().orElse(""));
            assertFalse(series.idleTrouble().isPresent(), () -> series.idleTrouble().orElse(""));
            // Every sample, the helper's and the sampling thread's alike, saw the same sockets.
            for (Sample s : series.samples()) {
                assertEquals(known.expected(), s.states(), "sample at " + s.elapsedNanos() + " ns");
            }
            assertFalse(helperAlive(), "stop() ends the helper's thread");
        }
    }

    @Test
    void aHelperThatIsLateIsLeftForAWhileAndTheSamplingThreadCountsItself() throws Exception {
        StateCounts own = ScriptedSource.counts(LISTEN, 1, TIME_WAIT, 7);
        CountDownLatch release = new CountDownLatch(1);
        StateSource stuck = ScriptedSource.counting(() -> {
            try {
                release.await(); // a helper a busy machine never lets run
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return StateCounts.EMPTY;
        });
        StateSampler sampler = StateSampler.builder(new ScriptedSource(own), SocketFilter.ALL)
                .interval(INTERVAL)
                .idleHelper(() -> stuck)
                .handOffAbove(Duration.ZERO)
                .build()
                .start();
        try {
            await(() -> sampler.series().samplesTaken() >= 15, 10_000);
        } finally {
            release.countDown();
        }
        StateSeries series = sampler.stop();
        assertTrue(series.samplesTaken() >= 15, "samples " + series.samplesTaken());
        assertEquals(0, series.samplesAtIdle());
        long late = series.samplesLateForIdle();
        assertTrue(late >= 1, "the helper was asked and found late");
        // Without the back-off every tick would wait an interval for the helper and miss: one in two at least.
        assertTrue(late * 3 <= series.samplesTaken(), late + " late of " + series.samplesTaken());
        for (Sample s : series.samples()) {
            assertEquals(own, s.states(), "the sampling thread's own counts, never the stuck helper's");
        }
        assertEquals(0, series.errorCount(), () -> series.firstError().orElse(""));
    }

    @Test
    void aCountTheHelperFailsIsTheSeriesErrorAndSamplingGoesOn() throws Exception {
        StateSource failing = ScriptedSource.counting(() -> {
            throw new IOException("helper's netlink said no");
        });
        StateSampler sampler = StateSampler.builder(new ScriptedSource(StateCounts.EMPTY), SocketFilter.ALL)
                .interval(INTERVAL)
                .idleHelper(() -> failing)
                .handOffAbove(Duration.ZERO)
                .build()
                .start();
        await(() -> sampler.series().errorCount() >= 2, 10_000);
        StateSeries series = sampler.stop();
        assertTrue(series.errorCount() >= 2, "errors " + series.errorCount());
        assertEquals("helper's netlink said no", series.firstError().orElse(""));
        assertEquals(0, series.samplesAtIdle(), "a failed count is not one the helper took");
        assertTrue(series.samplesTaken() >= 1, "the sampling thread's first count, before any hand-off");
    }
}
