package dev.churn.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With --target, the address gives the family (--ipv6 is the built-in sink's): an IPv6 target without --ipv6 is
 * reached on every transport. nio and selector opened their channels by --ipv6 alone, IPv4 ones, and failed every
 * cycle ('Unsupported address type', nio) or the whole run ('churn run: UnsupportedAddressTypeException', selector)
 * against [::1], which blocking, virtual, raw and epoll reached (review, 2026-12-07).
 */
class TargetFamilyTest {

    private static final int CYCLES = 3;

    @ParameterizedTest(name = "{0}")
    @EnumSource(TransportKind.class)
    void anIpv6TargetIsReachedWithoutIpv6(TransportKind kind) throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        ServerSocket server;
        try {
            server = new ServerSocket(0, 50, v6);
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
            return;
        }
        try (server) {
            Thread peer = Thread.ofPlatform().daemon().start(() -> {
                for (int i = 0; i < CYCLES; i++) {
                    try (Socket s = server.accept()) {
                        s.getInputStream().read(); // until the client's FIN
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            ClientPlan plan = ClientPlan.of(new InetSocketAddress(v6, server.getLocalPort()), SocketConfig.DEFAULTS,
                    Closer.CLIENT, 0, 0, Duration.ofSeconds(2));
            CountingCycles cycles = new CountingCycles(1, CYCLES);
            Transport.of(kind, plan, 1).run(cycles);
            peer.join(5_000);
            assertEquals(CYCLES, cycles.completed.get(), () -> "completed; first failure: " + cycles.firstFailure.get());
        }
    }
}
