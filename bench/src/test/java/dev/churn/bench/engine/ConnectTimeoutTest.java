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
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A connect the kernel cannot finish (the listener's queue is full, SYNs dropped) fails as TIMEOUT on time. */
class ConnectTimeoutTest {

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void connectsToAFullAcceptQueueTimeOut(TransportKind t) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, lo)) {
            InetSocketAddress target = new InetSocketAddress(lo, full.getLocalPort());
            // Backlog 1 queues two connections; nobody accepts them, so later SYNs are dropped.
            for (int i = 0; i < 2; i++) {
                Socket s = new Socket();
                fillers.add(s);
                s.connect(target, 2000);
            }
            RunSpec spec = new RunSpec(t, SocketConfig.DEFAULTS, Closer.CLIENT, new Load.Closed(1), 10, null, null,
                    0, 0, target, Duration.ofMillis(200), 2);
            long t0 = System.nanoTime();
            RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
            long took = System.nanoTime() - t0;
            assertEquals(EndReason.TOO_MANY_FAILURES, r.endReason());
            assertEquals(2, r.failed());
            assertEquals(2, r.failures().get(FailureKind.TIMEOUT).count(), () -> r.failures().toString());
            // Without the timeout a dropped SYN is retried for about a minute (1 s, 2 s, 4 s, ...); 2 s leaves room
            // for the engine's start on a busy machine (a 900 ms bound was once missed at 1,080 ms).
            assertTrue(took >= 350_000_000L && took < 2_000_000_000L, "two 200 ms timeouts took " + took / 1e6 + " ms");
        } finally {
            for (Socket s : fillers) {
                s.close();
            }
        }
    }
}
