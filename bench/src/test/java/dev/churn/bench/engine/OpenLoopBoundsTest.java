package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An open loop at a low rate, on real loopback sockets through the built-in sink: its warm-up ends on time, and its
 * measured window is its schedule (N connections at R/s take N/R seconds; a --duration D takes D), not the span
 * from the first start to the last cycle's end, which is one period short.
 */
class OpenLoopBoundsTest {

    /**
     * 1,000 workers may be in flight; all but one wait at the gate. When the warm-up ended, each of those took one
     * more warm-up slot, one period apart: at 20/s the warm-up went on for 50 s more instead of ending at 300 ms.
     */
    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"BLOCKING", "VIRTUAL", "EPOLL"})
    void aLowRateWarmupEndsOnTime(TransportKind transport) throws Exception {
        long t0 = System.nanoTime();
        RunResult r = new ChurnEngine(Specs.timed(transport, Closer.CLIENT, new Load.Open(20, 1000),
                Duration.ofMillis(500), Duration.ofMillis(300))).run(RunListener.NONE);
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertFalse(r.endedInWarmup());
        assertEquals(RunResult.EndReason.DURATION_REACHED, r.endReason());
        assertTrue(seconds < 5, "a 300 ms warm-up and a 500 ms run took " + seconds + " s");
        assertEquals(10, r.completed(), "20/s for 500 ms");
        assertEquals(0.5, r.measuredNanos() / 1e9, 0.02, "the measured window");
    }

    /** Before, 4 connections at 4/s reported 5.3/s: they started over 750 ms and the window ended with the last one. */
    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"BLOCKING", "EPOLL"})
    void theRateOfAShortOpenLoopIsItsSchedulesRate(TransportKind transport) throws Exception {
        RunResult timed = new ChurnEngine(Specs.timed(transport, Closer.CLIENT, new Load.Open(4, 1000),
                Duration.ofSeconds(1), Duration.ZERO)).run(RunListener.NONE);
        assertEquals(4, timed.completed());
        assertEquals(1.0, timed.measuredNanos() / 1e9, 0.02, "the window of a 1 s run");

        RunResult n = new ChurnEngine(new RunSpec(transport, SocketConfig.DEFAULTS, Closer.CLIENT, new Load.Open(4, 1000), 3, null,
                Duration.ZERO, 0, 0, null, Duration.ofSeconds(5), 0)).run(RunListener.NONE);
        assertEquals(RunResult.EndReason.COUNT_REACHED, n.endReason());
        assertEquals(3, n.completed());
        assertEquals(0.75, n.measuredNanos() / 1e9, 0.02, "3 connections at 4/s");
    }
}
