package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.TransportKind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A transport with a thread per slot starts its workers one after another. Once one of them has found the run over (no
 * next cycle), no more are started: they would find none either. Before, every one of an open loop's 1,000 workers (its
 * default in flight) was started and ended for nothing: at --rate 50000 --connections 5000 on 2 busy CPUs 960 of them
 * started after the last cycle had ended, the last 1.35 s after it, inside the measured part's CPU window (audit,
 * 2026-12-08).
 */
class WorkersAfterTheEndTest {

    @Test
    void noWorkerIsStartedOnceOneFoundTheRunOver() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = threads.getTotalStartedThreadCount();
        // On real sockets through the built-in sink: one start a second for 500 ms, up to 1,000 in flight. The first
        // start is due at once; the second, due at 1 s, is past the end: the second worker to ask finds the run over.
        RunResult r = new ChurnEngine(Specs.timed(TransportKind.BLOCKING, Closer.CLIENT, new Load.Open(1, 1000),
                Duration.ofMillis(500), Duration.ZERO)).run(RunListener.NONE);
        long started = threads.getTotalStartedThreadCount() - before;

        assertEquals(RunResult.EndReason.DURATION_REACHED, r.endReason());
        assertEquals(1, r.schedule().intended());
        assertEquals(1, r.completed());
        // The workers started before one found the run over, and the run's own threads (sink, reporter, driver,
        // watchdog): tens, not the 1,000 slots and more.
        assertTrue(started < 300, () -> started + " threads started for a run of 1 connection");
    }
}
