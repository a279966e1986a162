package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.tls.ClientTls;
import dev.churn.bench.tls.TlsClientConfig;
import dev.churn.bench.tls.TlsVersion;
import dev.churn.bench.transport.ClientPlan;
import dev.churn.bench.transport.CountingCycles;
import dev.churn.bench.transport.Ticket;
import dev.churn.bench.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Under TLS the channel transports still report every phase of every connection, and the local
 * port of each (what the built-in sink pairs with its accept() for ACCEPT) is the one the server
 * accepted: the selector on two loops with six connections in flight, nio with three threads.
 */
class TlsPhasesPairingTest {

    private static final int TICKETS = 60;

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"NIO", "SELECTOR"})
    void everyConnectionReportsEveryPhaseAndThePortTheServerAccepted(TransportKind kind) throws Exception {
        try (TlsTestServer server = TlsTestServer.tls(new TlsTestServer.Behaviour(8, 8, false, Closer.CLIENT))) {
            ClientPlan plan = ClientPlan.of(server.address(), SocketConfig.DEFAULTS, Closer.CLIENT, 8, 8, Duration.ofSeconds(5))
                    .withTls(ClientTls.of(TlsClientConfig.of(TlsVersion.V1_3).withResume(true).withInsecure(true), null));
            Recording cycles = new Recording(kind == TransportKind.SELECTOR ? 6 : 3, TICKETS);

            Transport.of(kind, plan, kind == TransportKind.SELECTOR ? 2 : 1).run(cycles);

            assertEquals(null, cycles.firstFailure.get(), "first failure");
            assertEquals(TICKETS, cycles.tls.get(), "cycles completed over TLS");
            assertEquals(0, cycles.plain.get(), "cycles completed without TLS");
            assertEquals(TICKETS, cycles.ports.size(), "distinct ports reported connected");
            assertEquals(Map.of(), cycles.badPhases, "phases not measured");
            assertTrue(cycles.resumed.get() > 0, "resumed " + cycles.resumed.get());
            // The last closes may be a moment ahead of the server's accept loop bookkeeping: none is.
            assertEquals(Set.copyOf(cycles.ports.keySet()), Set.copyOf(server.clientPorts), "ports connected vs accepted");
        }
    }

    /** Fixed tickets; records each ticket's connected port and the phases its end reports. */
    private static final class Recording extends CountingCycles {
        final Map<Integer, Ticket> ports = new ConcurrentHashMap<>();
        final Map<Ticket, String> badPhases = new ConcurrentHashMap<>();
        final AtomicLong tls = new AtomicLong();
        final AtomicLong plain = new AtomicLong();
        final AtomicLong resumed = new AtomicLong();

        Recording(int concurrency, long tickets) {
            super(concurrency, tickets);
        }

        @Override
        public void connected(Ticket t, int localPort, long connectStartNanos, long connectEndNanos) {
            if (ports.put(localPort, t) != null || connectEndNanos < connectStartNanos) {
                badPhases.put(t, "port " + localPort + " twice, or connect ended before it started");
            }
        }

        @Override
        public boolean wantsConnected() {
            return true;
        }

        @Override
        public void completed(Ticket t, long connectNanos, long firstByteNanos, long closeNanos, long endNanos) {
            plain.incrementAndGet();
            super.completed(t, connectNanos, firstByteNanos, closeNanos, endNanos);
        }

        @Override
        public void completedTls(Ticket t, long connectNanos, long tlsNanos, boolean wasResumed, long firstByteNanos,
                                 long closeNanos, long endNanos) {
            tls.incrementAndGet();
            if (wasResumed) {
                resumed.incrementAndGet();
            }
            if (connectNanos <= 0 || tlsNanos <= 0 || firstByteNanos <= 0 || closeNanos <= 0 || !ports.containsValue(t)) {
                badPhases.put(t, "connect " + connectNanos + " tls " + tlsNanos + " first byte " + firstByteNanos + " close "
                        + closeNanos + " connected " + ports.containsValue(t));
            }
            super.completed(t, connectNanos, firstByteNanos, closeNanos, endNanos);
        }
    }
}
