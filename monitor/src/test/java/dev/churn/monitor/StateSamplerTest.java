package dev.churn.monitor;

import static dev.churn.monitor.TcpState.LISTEN;
import static dev.churn.monitor.TcpState.TIME_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StateSamplerTest {

    private static final Duration INTERVAL = Duration.ofMillis(200);

    /** Waits, bounded, until the series holds n samples. */
    private static void awaitSamples(StateSampler sampler, long n) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (sampler.series().samplesTaken() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** A source whose every count takes this long, as a dump of a crowded socket table does. */
    private static StateSource sleepingSource(long millis) {
        return new StateSource() {
            @Override
            public SourceKind kind() {
                return SourceKind.PROC;
            }

            @Override
            public StateCounts count(SocketFilter filter) throws IOException {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return StateCounts.EMPTY;
            }
        };
    }

    /** A source whose every sample works the CPU for {@code millis} of this thread's CPU time. */
    private static StateSource spinningSource(long millis) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return new StateSource() {
            @Override
            public SourceKind kind() {
                return SourceKind.PROC;
            }

            @Override
            public StateCounts count(SocketFilter filter) {
                long end = threads.getCurrentThreadCpuTime() + millis * 1_000_000L;
                while (threads.getCurrentThreadCpuTime() < end) {
                    Thread.onSpinWait();
                }
                return StateCounts.EMPTY;
            }
        };
    }

    private static boolean samplerThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(StateSampler.THREAD_NAME) && t.isAlive());
    }

    @Test
    void samplesAtTheIntervalOnOneDaemonThreadAndStopsIt() throws Exception {
        ScriptedSource source = new ScriptedSource(ScriptedSource.counts(LISTEN, 1, TIME_WAIT, 3));
        List<String> threads = new CopyOnWriteArrayList<>();
        StateSampler sampler = StateSampler.builder(source, SocketFilter.ports(80))
                .interval(INTERVAL)
                .listener(s -> threads.add(Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? "/daemon" : "")))
                .build()
                .start();
        Thread.sleep(999);
        StateSeries series = sampler.stop();
        // Ticks at 0, 200, ..., 800 (and maybe 1000 on a busy machine) plus the final sample.
        assertTrue(series.size() >= 4 && series.size() <= 7, "samples: " + series.size());
        assertEquals(series.size(), threads.size());
        assertEquals(StateSampler.THREAD_NAME + "/daemon", threads.getFirst());
        assertFalse(sampler.isThreadAlive());
        assertFalse(samplerThreadAlive());
        assertSame(series, sampler.stop());
        assertEquals(series.size(), sampler.series().size(), "a second stop takes no sample");
    }

    @Test
    void ticksDoNotDriftWithTheCostOfASample() throws Exception {
        StateSource slow = sleepingSource(30); // a sample costing 30 ms, as a crowded table does
        try (StateSampler sampler = StateSampler.builder(slow, SocketFilter.ALL).interval(Duration.ofMillis(100))
                .maxDuty(1.0).build().start()) {
            awaitSamples(sampler, 6);
            List<Sample> samples = sampler.series().samples();
            assertTrue(samples.size() >= 6, "samples: " + samples.size());
            // Tick k starts at k * 100 ms, not k * 130 ms: the sleep above must not add up.
            long fifth = samples.get(5).elapsedNanos() / 1_000_000L;
            assertTrue(fifth >= 495 && fifth < 620, "sixth sample at " + fifth + " ms");
            assertTrue(samples.get(1).sampleMicros() >= 29_000, "cost " + samples.get(1).sampleMicros());
        }
    }

    @Test
    void samplesCountFromTheOriginGivenAndFallOnItsGrid() throws Exception {
        // A run's sampler starts tens to hundreds of milliseconds after the run: its samples count from the run's start,
        // so that states and latencies share one axis.
        long origin = System.nanoTime() - 350_000_000L;
        try (StateSampler sampler = StateSampler.builder(sleepingSource(0), SocketFilter.ALL).interval(Duration.ofMillis(100))
                .origin(origin).build().start()) {
            awaitSamples(sampler, 3);
            List<Sample> samples = sampler.series().samples();
            long first = samples.get(0).elapsedNanos() / 1_000_000L;
            assertTrue(first >= 350 && first < 1_000, "first sample at " + first + " ms from the origin");
            // the next ones on the origin's 100 ms grid: 400, 500, ..., not first + 100
            long second = samples.get(1).elapsedNanos() / 1_000_000L;
            assertTrue(second % 100 < 60 && second > first, "second sample at " + second + " ms from the origin");
        }
        // An origin in the future counts from the start instead: no negative times.
        try (StateSampler sampler = StateSampler.builder(sleepingSource(0), SocketFilter.ALL).interval(Duration.ofMillis(100))
                .origin(System.nanoTime() + 60_000_000_000L).build().start()) {
            awaitSamples(sampler, 1);
            long first = sampler.series().samples().get(0).elapsedNanos();
            assertTrue(first >= 0 && first < 1_000_000_000L, "first sample at " + first + " ns");
        }
    }

    @Test
    void anExpensiveSampleStretchesTheNextTickToKeepWithinTheCpuBudget() throws Exception {
        StateSource slow = spinningSource(30); // a sample costing 30 ms of CPU, as a crowded table does
        // 30 ms samples at most 10% of the time: samples at least 300 ms apart, not 50 ms
        List<StateSampler.Stretch> told = new CopyOnWriteArrayList<>();
        try (StateSampler sampler = StateSampler.builder(slow, SocketFilter.ALL).interval(Duration.ofMillis(50))
                .maxDuty(0.1).onStretch(told::add).build().start()) {
            awaitSamples(sampler, 4);
            List<Sample> samples = sampler.series().samples();
            // from the second sample on (the first may be a cold JIT's, and does not count)
            long gap = (samples.get(3).elapsedNanos() - samples.get(2).elapsedNanos()) / 1_000_000L;
            assertTrue(gap >= 290, "samples " + gap + " ms apart");
            assertTrue(sampler.stretchedTicks() >= 2, "stretched " + sampler.stretchedTicks());
            // said once, with the reason, and each sample carries the interval it actually got
            assertEquals(1, told.size(), told.toString());
            StateSampler.Stretch first = told.getFirst();
            assertEquals(StateSampler.StretchCause.CPU_BUDGET, first.cause());
            assertEquals(Duration.ofMillis(50), first.requested());
            assertTrue(first.actual().toMillis() >= 250, first.toString());
            assertTrue(first.describe().contains("within 10% of one CPU"), first.describe());
            // the series keeps it, so a result written later can say why its samples are sparse
            assertEquals(first, sampler.series().stretch().orElseThrow());
            assertEquals(Sample.NO_INTERVAL, samples.get(0).intervalMicros());
            assertTrue(samples.get(3).intervalMicros() >= 290_000, "interval " + samples.get(3).intervalMicros());
        }
    }

    /** The budget spaces samples only where the interval does not already: a late start is not the cost's doing. */
    @Test
    void theBudgetPutsOffOnlyASampleWhoseCostTheIntervalDoesNotCover() {
        long interval = 250_000_000L;
        long lateStart = 31_100_000L; // 31.1 ms after its time (a busy machine)
        // 11 ms at 5% of a CPU is 220 ms: the interval covers it, so the next sample keeps its time (due + 250 ms)
        assertEquals(lateStart, StateSampler.budgetedStart(lateStart, 11_000_000L, 0.05, interval));
        // 20 ms at 5% is 400 ms: that does put it off
        assertEquals(lateStart + 400_000_000L, StateSampler.budgetedStart(lateStart, 20_000_000L, 0.05, interval));
    }

    @Test
    void aColdFirstSampleNeitherSpacesTheNextOutNorIsQuotedAsTheCost() throws Exception {
        StateSource slow = spinningSource(30);
        StateSource coldThenCheap = new StateSource() {
            private boolean warm;

            @Override
            public SourceKind kind() {
                return SourceKind.PROC;
            }

            @Override
            public StateCounts count(SocketFilter filter) throws IOException {
                if (!warm) {
                    warm = true;
                    return slow.count(filter); // class loading and a cold JIT, once
                }
                return StateCounts.EMPTY;
            }
        };
        List<StateSampler.Stretch> told = new CopyOnWriteArrayList<>();
        try (StateSampler sampler = StateSampler.builder(coldThenCheap, SocketFilter.ALL).interval(Duration.ofMillis(50))
                .maxDuty(0.1).onStretch(told::add).build().start()) {
            awaitSamples(sampler, 4);
            List<Sample> samples = sampler.series().samples();
            long gap = (samples.get(1).elapsedNanos() - samples.get(0).elapsedNanos()) / 1_000_000L;
            // counted against the budget, 30 ms at 10% would put the second sample 300 ms after the first
            assertTrue(gap < 250, "the second sample " + gap + " ms after the first");
            assertEquals(0, sampler.stretchedTicks());
        }
        assertEquals(List.of(), told, "nothing said about a cost only the first sample had");
    }

    @Test
    void aSampleSlowerThanTheIntervalIsSaidOnce() throws Exception {
        List<StateSampler.Stretch> told = new CopyOnWriteArrayList<>();
        try (StateSampler sampler = StateSampler.builder(sleepingSource(40), SocketFilter.ALL).interval(Duration.ofMillis(10))
                .maxDuty(1.0).onStretch(told::add).build().start()) {
            awaitSamples(sampler, 4);
        }
        assertEquals(1, told.size(), told.toString());
        assertEquals(StateSampler.StretchCause.SLOW_SAMPLE, told.getFirst().cause());
        assertTrue(told.getFirst().actual().toMillis() >= 40, told.toString());
    }

    @Test
    void aStretchOfSubMillisecondIntervalsKeepsTheirUnit() {
        // "not every 0 ms" read as a bug when a user asked for --interval 1us
        StateSampler.Stretch s = new StateSampler.Stretch(Duration.ofNanos(1_000), Duration.ofNanos(41_500),
                Duration.ofNanos(2_075), 0.05, StateSampler.StretchCause.CPU_BUDGET);
        assertEquals("a sample cost 2 µs of CPU; to stay within 5% of one CPU, the sampler put the next one off by 41 µs, "
                + "past the 1 µs interval (each sample records its actual interval)", s.describe());
        StateSampler.Stretch slow = new StateSampler.Stretch(Duration.ofMillis(100), Duration.ofMillis(340),
                Duration.ofNanos(3_700_000), 0.05, StateSampler.StretchCause.SLOW_SAMPLE);
        assertEquals("a sample took 3.7 ms, longer than the 100 ms interval, so the next came 340 ms after this one's "
                + "tick (each sample records its actual interval)", slow.describe());
        assertEquals("500 ns", StateSampler.Stretch.readable(Duration.ofNanos(500)));
    }

    @Test
    void itAddsUpTheCpuItsSamplesCostAndNotTheirWaits() throws Exception {
        try (StateSampler working = StateSampler.builder(spinningSource(20), SocketFilter.ALL).interval(Duration.ofMillis(50))
                .maxDuty(1).build();
             StateSampler waiting = StateSampler.builder(sleepingSource(20), SocketFilter.ALL).interval(Duration.ofMillis(50))
                .maxDuty(1).build()) {
            assertEquals(0, working.spentCpuNanos(), "nothing sampled yet");
            working.start();
            waiting.start();
            awaitSamples(working, 4);
            awaitSamples(waiting, 4);
            working.stop();
            waiting.stop();
            long samples = working.series().samplesTaken() - 1; // stop()'s final sample is its caller's
            // each sample of the working source spins 20 ms of its thread's CPU
            assertTrue(working.spentCpuNanos() >= samples * 20_000_000L,
                    working.spentCpuNanos() + " ns over " + samples + " samples");
            // 20 ms of sleeping a sample is no CPU to speak of
            assertTrue(waiting.spentCpuNanos() < waiting.series().samplesTaken() * 5_000_000L,
                    waiting.spentCpuNanos() + " ns over " + waiting.series().samplesTaken() + " samples");
        }
    }

    @Test
    void aSampleThatWaitsInsteadOfWorkingIsNotChargedToTheBudget() throws Exception {
        // 30 ms of waiting (for a core the churn keeps busy, say) costs no CPU: ticks stay 50 ms
        // apart where the same 30 ms of work would push them 300 ms apart.
        try (StateSampler sampler = StateSampler.builder(sleepingSource(30), SocketFilter.ALL).interval(Duration.ofMillis(50))
                .maxDuty(0.1).build().start()) {
            awaitSamples(sampler, 4);
            List<Sample> samples = sampler.series().samples();
            long gap = (samples.get(3).elapsedNanos() - samples.get(1).elapsedNanos()) / 1_000_000L;
            assertTrue(gap < 200, "two ticks took " + gap + " ms");
            assertEquals(0, sampler.stretchedTicks());
            assertTrue(sampler.series().stretch().isEmpty(), () -> sampler.series().stretch().toString());
            assertEquals(gap * 1000, samples.get(2).intervalMicros() + samples.get(3).intervalMicros(), 1000.0);
        }
    }

    @Test
    void aFailingSampleIsRecordedAndSamplingGoesOn() throws Exception {
        ScriptedSource source = new ScriptedSource(List.of(ScriptedSource.counts(LISTEN, 1, TIME_WAIT, 2)), List.of(0, 2));
        List<Exception> seen = new CopyOnWriteArrayList<>();
        StateSampler sampler = StateSampler.builder(source, SocketFilter.ALL)
                .interval(Duration.ofMillis(20))
                .onError(seen::add)
                .build()
                .start();
        awaitSamples(sampler, 3);
        StateSeries series = sampler.stop();
        assertEquals(2, series.errorCount());
        assertEquals("scripted failure 0", series.firstError().orElseThrow());
        assertEquals(2, seen.size());
        assertTrue(series.samplesTaken() >= 3);
        assertEquals(2, series.last().orElseThrow().get(TIME_WAIT));
        assertFalse(sampler.isThreadAlive());
    }

    @Test
    void aFailingSockstatLeavesTheCountsAndMarksSockstatUnknown() throws Exception {
        StateSampler sampler = StateSampler.builder(new ScriptedSource(ScriptedSource.counts(LISTEN, 1, TIME_WAIT, 2)), SocketFilter.ALL)
                .sockstat(() -> {
                    throw new IOException("no sockstat here");
                })
                .build();
        Sample s = sampler.sampleNow();
        assertEquals(2, s.get(TIME_WAIT));
        assertEquals(Sockstat.UNKNOWN, s.sockstat());
        assertEquals("no sockstat here", sampler.series().firstError().orElseThrow());
    }

    @Test
    void sampleNowThrowsWhenTheCountFailsAndRefusesWhileRunning() throws Exception {
        ScriptedSource source = new ScriptedSource(List.of(StateCounts.EMPTY), List.of(0));
        StateSampler sampler = StateSampler.builder(source, SocketFilter.ALL).interval(Duration.ofSeconds(10)).build();
        IOException e = assertThrows(IOException.class, sampler::sampleNow);
        assertEquals("scripted failure 0", e.getMessage());
        sampler.start();
        try {
            assertThrows(IllegalStateException.class, sampler::sampleNow);
        } finally {
            sampler.stop();
        }
        assertFalse(sampler.isThreadAlive());
    }

    @Test
    void badIntervalsAndCapsAreRefusedNamingTheOption() {
        StateSampler.Builder b = StateSampler.builder(new ScriptedSource(StateCounts.EMPTY), SocketFilter.ALL);
        assertEquals("interval: 'PT0S' must be positive, e.g. 200ms or 1s",
                assertThrows(IllegalArgumentException.class, () -> b.interval(Duration.ZERO)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.maxSamples(1));
    }

    @ParameterizedTest
    @EnumSource(value = SourceKind.class, names = {"NETLINK", "PROC"})
    void realSourceSeesKnownSocketsInTheSeriesPeaksAndLastSample(SourceKind kind) throws Exception {
        try (KnownSockets known = KnownSockets.ipv4(2, 1, 3);
                StateSource source = StateSources.open(kind)) {
            assertEquals(known.expected(), known.settle(source));
            StateSampler sampler = StateSampler.builder(source, known.filter())
                    .interval(Duration.ofMillis(50))
                    .sockstat(new SockstatReader(StateSources.DEFAULT_PROC_ROOT)::read)
                    .build()
                    .start();
            awaitSamples(sampler, 3);
            StateSeries series = sampler.stop();
            Sample last = series.last().orElseThrow();
            assertEquals(known.expected(), last.states());
            assertEquals(known.expected(), series.peaks());
            assertEquals(0, series.errorCount(), () -> series.firstError().orElse(""));
            assertTrue(last.sockstat().tw() >= 3, "sockstat tw " + last.sockstat().tw());
            assertEquals(kind, series.source());
        }
    }
}
