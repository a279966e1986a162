package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.PortRange;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Clients bind local ports of a range, round-robin, before connecting. */
class BindPortsTest {

    /** Candidate ranges below the ephemeral range (32768-60999), so nothing else is handed these. */
    private static final List<PortRange> CANDIDATES = List.of(new PortRange(28000, 28019), new PortRange(29100, 29119));

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void connectionsComeFromTheRange(TransportKind t) throws IOException {
        PortRange range = CANDIDATES.stream().filter(BindPortsTest::free).findFirst().orElse(null);
        assumeTrue(range != null, "no free candidate port range " + CANDIDATES);
        SocketConfig socket = new SocketConfig(dev.churn.bench.config.Linger.OFF, true, false, 1, false, 0, 0,
                SocketConfig.DEFAULT_BACKLOG, false, range);
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        SinkConfig sc = SinkConfig.loopback(socket, Closer.CLIENT, 0, 0).withAcceptObserver((port, nanos) -> seen.add(port));
        try (SinkServer sink = SinkServer.start(sc)) {
            RunSpec spec = Specs.withSocket(Specs.withTarget(Specs.count(t, Closer.CLIENT, 2, 20), sink.address(), 0), socket);
            RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
            assertEquals(Map.of(), r.failures());
            assertEquals(20, r.completed());
            awaitAccepted(sink, 20);
        }
        assertEquals(20, seen.size(), "each port of the range used once: " + seen);
        assertTrue(seen.stream().allMatch(p -> p >= range.from() && p <= range.to()), "ports " + seen);
    }

    /**
     * A port of the range that is taken (here by a listener) is skipped for the next free one, as an
     * application binding its own ports would: EADDRINUSE is for a range with no free port
     * ({@link AddressInUseTest}). Round-robin alone failed every cycle handed the taken port.
     */
    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aTakenPortOfTheRangeIsSkipped(TransportKind t) throws IOException {
        PortRange range = CANDIDATES.stream().filter(BindPortsTest::free).findFirst().orElse(null);
        assumeTrue(range != null, "no free candidate port range " + CANDIDATES);
        PortRange four = new PortRange(range.from(), range.from() + 3);
        int taken = four.from() + 2;
        // SO_LINGER 0: no TIME_WAIT, whose four-tuple would make the next connect from that port EADDRNOTAVAIL.
        SocketConfig socket = new SocketConfig(dev.churn.bench.config.Linger.ABORT, true, false, 1, false, 0, 0,
                SocketConfig.DEFAULT_BACKLOG, false, four);
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        SinkConfig sc = SinkConfig.loopback(socket, Closer.CLIENT, 0, 0).withAcceptObserver((port, nanos) -> seen.add(port));
        try (ServerSocket squatter = new ServerSocket(taken, 1, InetAddress.getLoopbackAddress());
                SinkServer sink = SinkServer.start(sc)) {
            RunSpec spec = Specs.withSocket(Specs.withTarget(Specs.count(t, Closer.CLIENT, 1, 12), sink.address(), 0), socket);
            RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
            assertEquals(Map.of(), r.failures());
            assertEquals(12, r.completed());
            awaitAccepted(sink, 12);
        }
        assertEquals(Set.of(four.from(), four.from() + 1, four.from() + 3), seen, "the ports used");
    }

    private static void awaitAccepted(SinkServer sink, long n) {
        for (int i = 0; i < 200 && sink.accepted() < n; i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
    }

    /** True when every port of the range can be bound now (SO_REUSEADDR, as the run will). */
    static boolean free(PortRange range) {
        return Stream.iterate(range.from(), p -> p <= range.to(), p -> p + 1).allMatch(p -> {
            try (Socket s = new Socket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
