package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An open loop asked for far more than the machine can do, on real loopback sockets through the built-in sink,
 * keeps its --duration: no cycle starts after the deadline, so the run ends within the in-flight cycles' timeouts of
 * it. Before, a loop behind its schedule ran every cycle due before the deadline, late, for up to one more duration
 * (`--rate 100000 --duration 6s` measured 12.9 s). The cycles it never reached are counted as missed, not dropped.
 */
class OpenLoopPastCapacityTest {

    /** Far beyond any transport on loopback (tens of thousands a second at best on two cores). */
    private static final double RATE = 500_000;
    private static final Duration DURATION = Duration.ofSeconds(1);
    /**
     * Bounds every step of a cycle (connect, the close's reads): with no payload and the client closing, a cycle in
     * flight at the deadline ends within it. Short, so that a SYN the full accept queue dropped (retransmitted after
     * 1 s) costs a timeout, not a second: this test is about the schedule, not about the sink keeping up.
     */
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(300);
    /** The window's bound: the duration, one timeout of the cycles in flight at its end, and a busy 2-core VM's slack. */
    private static final double WINDOW_BOUND_SECONDS = 1.0 + 0.3 + 0.45;

    private static RunSpec spec(TransportKind transport, Duration warmup) {
        return new RunSpec(transport, SocketConfig.DEFAULTS, Closer.CLIENT, new Load.Open(RATE, 200), 0, DURATION, warmup,
                0, 0, null, CONNECT_TIMEOUT, 0);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aRateFarPastCapacityStillEndsAtItsDuration(TransportKind transport) throws Exception {
        AtomicLong measuring = new AtomicLong();
        RunListener watch = new RunListener() {
            @Override
            public void measuring() {
                measuring.set(System.nanoTime());
            }
        };
        RunResult r = new ChurnEngine(spec(transport, Duration.ZERO)).run(watch);
        // From just before the measured part began (after the sink's and the transport's start) to run()'s return.
        double wall = (System.nanoTime() - measuring.get()) / 1e9;

        assertEquals(RunResult.EndReason.DURATION_REACHED, r.endReason());
        double window = r.measuredNanos() / 1e9;
        // Before the fix: about 2.0 s (the loop ran on until it was a whole duration behind).
        assertTrue(window < WINDOW_BOUND_SECONDS, "a 1 s run at 500,000/s measured " + window + " s");
        assertTrue(window >= 0.99, "the window is at least the duration: " + window + " s");
        // The sink's wait for the last accepts (at most one connect timeout) and the threads' ends come on top.
        assertTrue(wall < WINDOW_BOUND_SECONDS + 0.3 + 0.5, "the run took " + wall + " s from its measured start");

        // The counts add up: every attempt started and ended, every intended start either started or is missed.
        Schedule s = r.schedule();
        assertNotNull(s);
        assertEquals(r.attempted(), r.completed() + r.failed(), r.toString());
        assertEquals(r.attempted(), s.started(), s.toString());
        assertEquals(500_000, s.intended(), "500,000/s for 1 s");
        assertEquals(s.intended() - s.started(), s.missed(), s.toString());
        assertTrue(s.missed() > 0, s.toString());
        assertTrue(s.generatorLimited(), s.toString());
        assertTrue(r.completed() > 0, r.toString());
        // No cycle started past the deadline, so none started later than the duration after its intended time.
        assertTrue(s.maxLagNanos() < DURATION.toNanos() + 50_000_000L, s.toString());
    }

    /** The warm-up, past capacity too, ends when its time is up: the measured part begins within the drain of its last cycles. */
    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"BLOCKING", "SELECTOR", "EPOLL"})
    void aWarmupFarPastCapacityEndsOnTime(TransportKind transport) throws Exception {
        AtomicLong warmupStart = new AtomicLong(Long.MIN_VALUE);
        AtomicLong measuredStart = new AtomicLong(Long.MIN_VALUE);
        RunListener watch = new RunListener() {
            @Override
            public void tick(Tick t) {
                AtomicLong first = t.warmup() ? warmupStart : measuredStart;
                first.compareAndSet(Long.MIN_VALUE, t.intervalStartNanos());
            }
        };
        RunResult r = new ChurnEngine(spec(transport, Duration.ofMillis(500))).run(watch);

        assertFalse(r.endedInWarmup());
        assertEquals(RunResult.EndReason.DURATION_REACHED, r.endReason());
        double warmup = (measuredStart.get() - warmupStart.get()) / 1e9;
        // 0.5 s, the drain of the warm-up's cycles in flight (one connect timeout at most) and the sink's accepts of
        // them (one more at most), and slack.
        assertTrue(warmup >= 0.5 && warmup < 0.5 + 0.6 + 0.45, "a 500 ms warm-up lasted " + warmup + " s");
        assertTrue(r.measuredNanos() / 1e9 < WINDOW_BOUND_SECONDS, "the window: " + r.measuredNanos() / 1e9 + " s");
    }
}
