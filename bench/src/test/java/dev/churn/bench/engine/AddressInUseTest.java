package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.config.PortRange;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@code --bind-ports} port that something else listens on: bind(2) fails with EADDRINUSE, and
 * every transport files it as EADDRINUSE, not as EADDRNOTAVAIL (ports exhausted).
 */
class AddressInUseTest {

    /** Below the ephemeral range (32768-60999), so nothing else is handed these. */
    private static final List<Integer> CANDIDATES = List.of(28230, 28231, 28232, 29230, 29231);

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aTakenBindPortIsAddressInUse(TransportKind t) throws IOException {
        try (ServerSocket squatter = PortSquatter.listenOnFirstFree(CANDIDATES)) {
            assumeTrue(squatter != null, "no free candidate port " + CANDIDATES);
            int port = squatter.getLocalPort();
            // SO_REUSEADDR too: a listener blocks the bind even then, so both settings must see EADDRINUSE.
            for (boolean reuseAddr : new boolean[] {false, true}) {
                SocketConfig socket = new SocketConfig(Linger.OFF, reuseAddr, false, 1, false, 0, 0,
                        SocketConfig.DEFAULT_BACKLOG, false, new PortRange(port, port));
                try (SinkServer sink = SinkServer.start(SinkConfig.loopback(socket, Closer.CLIENT, 0, 0))) {
                    RunSpec spec = Specs.withSocket(Specs.withTarget(Specs.count(t, Closer.CLIENT, 1, 3), sink.address(), 0), socket);
                    RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
                    assertEquals(0, r.completed(), () -> r.failures().toString());
                    Failures.Stat inUse = r.failures().get(FailureKind.EADDRINUSE);
                    assertEquals(3, inUse == null ? 0 : inUse.count(), () -> "reuseAddr " + reuseAddr + ": " + r.failures());
                    assertNull(r.failures().get(FailureKind.EADDRNOTAVAIL), () -> r.failures().toString());
                }
            }
        }
    }
}
