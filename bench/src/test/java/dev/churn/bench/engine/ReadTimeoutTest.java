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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A response that never comes fails as TIMEOUT on time: the server's kernel completes the
 * handshake and queues the connection, but nobody accepts it, so the client's read waits. The
 * {@code blocking} transport times its reads with its watchdog instead of SO_TIMEOUT; this is the
 * timeout the watchdog has to keep.
 */
@Tag("alone") // times its timeouts to within a few hundred milliseconds (pom.xml: surefire)
class ReadTimeoutTest {

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void responsesThatNeverComeTimeOut(TransportKind t) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket silent = new ServerSocket(0, 50, lo)) {
            InetSocketAddress target = new InetSocketAddress(lo, silent.getLocalPort());
            RunSpec spec = new RunSpec(t, SocketConfig.DEFAULTS, Closer.CLIENT, new Load.Closed(1), 10, null, null,
                    1, 1, target, Duration.ofMillis(200), 2);
            RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
            assertEquals(EndReason.TOO_MANY_FAILURES, r.endReason());
            assertEquals(2, r.failed());
            assertEquals(2, r.failures().get(FailureKind.TIMEOUT).count(), () -> r.failures().toString());
            // The run's measured window holds the two cycles and little else. Timed around run(), which also loads the
            // engine's classes and starts and joins its threads, a case beside two busy loops took 995-1,105 ms (three
            // runs of three), its window there 403-446 ms (2026-12-07).
            long took = r.measuredNanos();
            assertTrue(took >= 350_000_000L && took < 900_000_000L, "two 200 ms timeouts took " + took / 1e6 + " ms");
        }
    }
}
