package dev.churn.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.engine.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server that answers the whole response and resets the connection (SO_LINGER 0) under {@code --closer half}: the
 * reset often lands before the client's shutdown(SHUT_WR), which then finds the socket closed (ENOTCONN). The JDK
 * ignores that ENOTCONN and its next read reports the reset, so the JDK's transports count econnreset; raw and epoll
 * counted the shutdown's ENOTCONN as 'other' (10 and 13 of 20 cycles against such a server, review 2026-12-07).
 */
class ResetBeforeHalfCloseTest {

    private static final int CYCLES = 40;

    @ParameterizedTest(name = "{0}")
    @EnumSource(TransportKind.class)
    void aResetBeforeTheHalfCloseIsAResetOnEveryTransport(TransportKind kind) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 50, lo)) {
            Thread peer = Thread.ofPlatform().daemon().start(() -> {
                for (int i = 0; i < CYCLES; i++) {
                    try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        in.readNBytes(4);
                        out.write(new byte[10]);
                        s.setSoLinger(true, 0); // the close below sends an RST
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            ClientPlan plan = ClientPlan.of(new InetSocketAddress(lo, server.getLocalPort()), SocketConfig.DEFAULTS,
                    Closer.HALF, 4, 10, Duration.ofSeconds(2));
            Map<FailureKind, Integer> kinds = new EnumMap<>(FailureKind.class);
            CountingCycles cycles = new CountingCycles(1, CYCLES) {
                @Override
                public void failed(Ticket t, IOException e) {
                    synchronized (kinds) {
                        kinds.merge(FailureKind.classify(e), 1, Integer::sum);
                    }
                    super.failed(t, e);
                }
            };
            Transport.of(kind, plan, 1).run(cycles);
            peer.join(5_000);
            assertEquals(Map.of(FailureKind.ECONNRESET, CYCLES), kinds, "first failure: " + cycles.firstFailure.get());
        }
    }
}
