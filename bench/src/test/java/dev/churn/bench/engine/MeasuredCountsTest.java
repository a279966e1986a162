package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * Every phase counts exactly the measured connections, warm-up or not, and the warm-up leaves
 * nothing behind: its connections close with SO_LINGER 0, so no TIME_WAIT of theirs outlives it.
 */
class MeasuredCountsTest {

    private static final int N = 400;
    private static final Duration WARMUP = Duration.ofMillis(400);

    @Test
    void blockingWithWarmupCountsEachMeasuredConnectionOncePerPhase() throws IOException {
        assertExact(spec(TransportKind.BLOCKING, new Load.Closed(1)));
    }

    @Test
    void virtualWithWarmupCountsEachMeasuredConnectionOncePerPhase() throws IOException {
        assertExact(spec(TransportKind.VIRTUAL, new Load.Closed(8)));
    }

    /** Virtual threads claiming through the open loop's start gate, as the platform ones do. */
    @Test
    void virtualInAnOpenLoopWithWarmupCountsEachMeasuredConnectionOncePerPhase() throws IOException {
        assertExact(spec(TransportKind.VIRTUAL, new Load.Open(2000, 50)));
    }

    @Test
    void openLoopWithWarmupCountsEachMeasuredConnectionOncePerPhase() throws IOException {
        assertExact(spec(TransportKind.BLOCKING, new Load.Open(2000, 50)));
    }

    /**
     * Two selector loops of 32 connections each claim from the same control, through the warm-up
     * and the measured part, against the built-in sink's several serving loops: every phase of every
     * measured connection is recorded once, ACCEPT paired by client port across loops on both sides.
     */
    @Test
    void selectorOnTwoLoopsWithWarmupCountsEachMeasuredConnectionOncePerPhase() throws IOException {
        assertExact(onLoops(spec(TransportKind.SELECTOR, new Load.Closed(64)), 2));
    }

    /** The same with the epoll loops: phases timed at their events, the request sent without a readiness wait. */
    @Test
    void epollOnTwoLoopsWithWarmupCountsEachMeasuredConnectionOncePerPhase() throws IOException {
        assertExact(onLoops(spec(TransportKind.EPOLL, new Load.Closed(64)), 2));
    }

    @Test
    void epollOnTwoLoopsInAnOpenLoopCountsEachMeasuredConnectionOncePerPhase() throws IOException {
        assertExact(onLoops(spec(TransportKind.EPOLL, new Load.Open(2000, 64)), 2));
    }

    /** The open loop's tickets, claimed by two loops without the start gate, each start and count once. */
    @Test
    void selectorOnTwoLoopsInAnOpenLoopCountsEachMeasuredConnectionOncePerPhase() throws IOException {
        assertExact(onLoops(spec(TransportKind.SELECTOR, new Load.Open(2000, 64)), 2));
    }

    @Test
    void warmupConnectionsLeaveNoTimeWait() throws IOException {
        AtomicLong warmupCompleted = new AtomicLong();
        RunListener l = new RunListener() {
            @Override
            public void tick(Tick t) {
                if (t.warmup()) {
                    warmupCompleted.set(t.completed());
                }
            }
        };
        RunResult r = new ChurnEngine(spec(TransportKind.BLOCKING, new Load.Closed(2))).run(l);
        assertEquals(N, r.completed());
        assertTrue(warmupCompleted.get() >= N, "the warm-up made more connections than the measured part: "
                + warmupCompleted.get());
        // The client closes first: each measured connection leaves one client-side TIME_WAIT (fewer
        // when the kernel reuses one for a new connect, tcp_tw_reuse); a warm-up connection none.
        long[] sides = ProcSockets.bySide(r.info().ports()[0], TcpState.TIME_WAIT);
        assertTrue(sides[0] <= N, "client TIME_WAIT " + sides[0] + " for " + N + " measured connections");
        assertEquals(0, sides[1], "server TIME_WAIT");
    }

    private static RunSpec spec(TransportKind t, Load load) {
        return new RunSpec(t, SocketConfig.DEFAULTS, Closer.CLIENT, load, N, null, WARMUP, 0, 0, null,
                Duration.ofSeconds(5), 0);
    }

    /** {@code threads} client loops against a sink of two listeners (two serving loops), whatever the CPUs. */
    private static RunSpec onLoops(RunSpec s, int threads) {
        return new RunSpec(s.transport(), s.socket().withListeners(2), s.closer(), s.load(), s.connections(), s.duration(), s.warmup(),
                s.requestBytes(), s.responseBytes(), s.target(), s.connectTimeout(), s.maxFailures(), threads);
    }

    private static void assertExact(RunSpec spec) throws IOException {
        RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
        assertEquals(Map.of(), r.failures(), "failures");
        assertEquals(N, r.completed());
        Map<Phase, Histogram> p = r.phases();
        assertEquals(N, p.get(Phase.CONNECT).getTotalCount(), "connect");
        assertEquals(N, p.get(Phase.ACCEPT).getTotalCount(), "accept");
        assertEquals(N, p.get(Phase.CLOSE).getTotalCount(), "close");
        assertEquals(N, p.get(Phase.CYCLE).getTotalCount(), "cycle");
    }
}
