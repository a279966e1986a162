package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.PortRange;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client that cannot get a local port (its one --bind-ports port is taken by a listener: bind(2)
 * fails with EADDRINUSE in microseconds) pauses before each next try in a closed loop, on every
 * transport, instead of failing as fast as the CPU goes; an open loop tries each scheduled cycle
 * when it is due, and never pauses.
 */
class ShortagePauseTest {

    /** Below the ephemeral range (32768-60999), so nothing else is handed these. */
    private static final List<Integer> CANDIDATES = List.of(28240, 28241, 28242, 29240, 29241);

    private static final Duration RUN = Duration.ofMillis(500);

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aClosedLoopOutOfPortsPausesBeforeEachTry(TransportKind t) throws IOException {
        try (ServerSocket squatter = PortSquatter.listenOnFirstFree(CANDIDATES)) {
            assumeTrue(squatter != null, "no free candidate port " + CANDIDATES);
            RunResult r = runAgainstSink(t, squatter.getLocalPort(), new Load.Closed(2));
            assertEquals(0, r.completed(), () -> r.failures().toString());
            long failed = r.failed();
            // Without the pause one worker made about 100,000 tries a second; with it, two workers make at most
            // 100 a second each once the pause reached its cap (and the 7 steps before it take 12.7 ms).
            long most = 2 * (RUN.toMillis() / (ShortageBackoff.MAX_NANOS / 1_000_000) + 8) + 2;
            assertTrue(failed > 0 && failed <= most, () -> failed + " failures in " + RUN + ", at most " + most + " expected");
            assertEquals(failed, r.shortagePauses().count(), "every failure paused the next start");
            double pausedShare = r.shortagePauses().nanos() / (double) r.measuredNanos();
            assertTrue(pausedShare > 0.8 && pausedShare <= 1.05, () -> "paused " + r.shortagePauses() + " of " + r.measuredNanos() + " ns");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"BLOCKING", "SELECTOR"})
    void anOpenLoopTriesEachScheduledCycleAndNeverPauses(TransportKind t) throws IOException {
        try (ServerSocket squatter = PortSquatter.listenOnFirstFree(CANDIDATES)) {
            assumeTrue(squatter != null, "no free candidate port " + CANDIDATES);
            RunResult r = runAgainstSink(t, squatter.getLocalPort(), new Load.Open(1_000, 4));
            // 500 cycles due in 0.5 s at 1,000/s; each fails when due, none waits for another.
            assertTrue(r.failed() >= 450 && r.failed() <= 500, () -> r.failed() + " failures: " + r.failures());
            assertEquals(0, r.shortagePauses().count());
        }
    }

    private static RunResult runAgainstSink(TransportKind t, int port, Load load) throws IOException {
        SocketConfig socket = new SocketConfig(Linger.OFF, false, false, 1, false, 0, 0,
                SocketConfig.DEFAULT_BACKLOG, false, new PortRange(port, port));
        try (SinkServer sink = SinkServer.start(SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 0, 0))) {
            RunSpec spec = Specs.withSocket(Specs.withTarget(Specs.timed(t, Closer.CLIENT, load, RUN, Duration.ZERO),
                    sink.address(), 0), socket);
            return new ChurnEngine(spec).run(RunListener.NONE);
        }
    }
}
