package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.engine.RunResult.EndReason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A request the server never reads fails as TIMEOUT on time: 16 MiB is more than the client's send
 * buffer and the queued connection's receive buffer hold on loopback, so the client's write waits.
 * Nothing in the JDK times a socket's write: {@code blocking}, {@code nio} and {@code virtual} hung
 * here (and a run with them, past its --duration) until their watchdogs timed writes too; {@code raw}
 * keeps this timeout with its watchdog instead of SO_SNDTIMEO.
 */
class WriteTimeoutTest {

    @ParameterizedTest
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a write nobody times would hang the build
    @EnumSource(TransportKind.class)
    void requestsThatAreNeverReadTimeOut(TransportKind t) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket silent = new ServerSocket(0, 50, lo)) {
            InetSocketAddress target = new InetSocketAddress(lo, silent.getLocalPort());
            RunSpec spec = new RunSpec(t, SocketConfig.DEFAULTS, Closer.CLIENT, new Load.Closed(1), 10, null, null,
                    1 << 24, 1, target, Duration.ofMillis(300), 2);
            RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
            assertEquals(EndReason.TOO_MANY_FAILURES, r.endReason());
            assertEquals(2, r.failed());
            assertEquals(2, r.failures().get(FailureKind.TIMEOUT).count(), () -> r.failures().toString());
            // The run's measured window holds the two cycles and little else. Timed around run(), the first case in a
            // cold JVM beside two busy loops took 2,427 and 5,282 ms, the second's window 864 (the most seen there:
            // 1,077): run() also loads the engine's classes, starts and joins its threads, 0.5 s idle and warm (2026-12-07).
            long took = r.measuredNanos();
            assertTrue(took >= 500_000_000L && took < 2_000_000_000L, "two 300 ms timeouts took " + took / 1e6 + " ms");
        }
    }
}
