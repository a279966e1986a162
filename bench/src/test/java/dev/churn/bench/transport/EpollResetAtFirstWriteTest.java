package dev.churn.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * epoll writes the request right after connect(2) and, when that write fails, names the call that failed: a server
 * that resets each connection as it accepts it fails the write (ECONNRESET), after a handshake that completed, which
 * raw says as 'write: errno 104' and epoll said as 'connect: errno 104' (20 of 20 first failures, review 2026-12-07).
 */
class EpollResetAtFirstWriteTest {

    private static final int CYCLES = 20;

    @Test
    void aResetBeforeTheRequestIsAFailedWriteNotAFailedConnect() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 50, lo)) {
            Thread peer = Thread.ofPlatform().daemon().start(() -> {
                for (int i = 0; i < CYCLES; i++) {
                    try (Socket s = server.accept()) {
                        s.setSoLinger(true, 0); // the close sends an RST
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            ClientPlan plan = ClientPlan.of(new InetSocketAddress(lo, server.getLocalPort()), SocketConfig.DEFAULTS,
                    Closer.CLIENT, 100_000, 10, Duration.ofSeconds(2));
            List<String> messages = new ArrayList<>();
            CountingCycles cycles = new CountingCycles(1, CYCLES) {
                @Override
                public void failed(Ticket t, IOException e) {
                    synchronized (messages) {
                        messages.add(e.getMessage());
                    }
                    super.failed(t, e);
                }
            };
            Transport.of(TransportKind.EPOLL, plan, 1).run(cycles);
            peer.join(5_000);
            assertEquals(CYCLES, messages.size(), "every cycle failed");
            assertTrue(messages.stream().noneMatch(m -> m.startsWith("connect:")), messages.toString());
        }
    }
}
