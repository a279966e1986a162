package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.PortRange;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import dev.churn.bench.lab.NetNamespace;
import dev.churn.bench.posix.SocketCalls;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An event loop whose cycles mostly complete inside start() (connect and close on loopback) still
 * looks at the one that waits for readiness, and times it when it is ready, not when the run ends.
 * Until 2026-12-03 it did not: a connect whose SYN met a stale server socket of the same four-tuple
 * (the kernel answers with a challenge ACK, the client resets it and sends its SYN again) was seen
 * only as the run drained, timed at most of the run (6-12 s in runs of 15 to 60 s), and its
 * connect timeout never fired.
 *
 * <p>The stale sockets are made for real: a client connects from a port of the run's
 * {@code --bind-ports} range, the sink accepts, and the client closes under TCP_REPAIR, which sends
 * neither FIN nor RST (CAP_NET_ADMIN: root), so the sink's end stays ESTABLISHED. The run's next
 * connect from that port meets it.
 */
class WaitingCycleSeenOnTimeTest {

    /** Below the ephemeral range (32768-60999), so nothing else is handed these. */
    private static final List<PortRange> CANDIDATES = List.of(new PortRange(28200, 28231), new PortRange(29200, 29231));
    private static final int TCP_REPAIR = 19;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /**
     * How far past its timeout a connect may be timed. The loops check deadlines every 10 ms, and a
     * connect that completes before the check is done, timed as it was: the SYN sent again after
     * the challenge leaves one initial RTO (1 s) after the first, on the timeout itself, so either
     * may come first (1,008 ms in CI, 2026-12-03). Seen only as the run drained, as before the fix,
     * it was timed at about the run's 2 s.
     */
    private static final Duration CHECK_GRACE = Duration.ofMillis(250);

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"SELECTOR", "EPOLL"})
    void aConnectBehindAStaleServerSocketIsTimedWhenItIsDone(TransportKind t) throws Exception {
        assumeTrue(NetNamespace.permitted(), "TCP_REPAIR (a client gone without FIN or RST) needs root");
        PortRange range = CANDIDATES.stream().filter(BindPortsTest::free).findFirst().orElse(null);
        assumeTrue(range != null, "no free candidate port range " + CANDIDATES);
        SocketConfig socket = new SocketConfig(Linger.ABORT, true, false, 1, false, 0, 0, SocketConfig.DEFAULT_BACKLOG,
                false, range);
        try (SinkServer sink = SinkServer.start(SinkConfig.loopback(socket, Closer.CLIENT, 0, 0))) {
            for (int port : List.of(range.from() + 5, range.from() + 15, range.from() + 25)) {
                vanish(sink, port);
            }
            long challengesBefore = synChallenges();
            RunSpec spec = new RunSpec(t, socket, Closer.CLIENT, new Load.Closed(8), 0, Duration.ofSeconds(2),
                    Duration.ZERO, 0, 0, sink.address(), CONNECT_TIMEOUT, 0);
            RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
            long challenges = synChallenges() - challengesBefore;

            assertTrue(challenges >= 1, "no SYN met a stale socket (TCPSYNChallenge +" + challenges + "): nothing was shown");
            assertTrue(r.completed() > 100, "completed " + r.completed());
            long slowest = r.phases().get(Phase.CONNECT).getMaxValue();
            assertTrue(slowest < CONNECT_TIMEOUT.plus(CHECK_GRACE).toNanos(), "the slowest connect took " + slowest / 1e6
                    + " ms, past the " + CONNECT_TIMEOUT.toMillis() + " ms timeout and its " + CHECK_GRACE.toMillis()
                    + " ms grace, with " + challenges + " SYN challenges; failures " + r.failures());
        }
    }

    /** Connects from {@code port}, lets the sink accept, and closes without telling it. */
    private static void vanish(SinkServer sink, int port) throws Exception {
        SocketCalls sys = new SocketCalls();
        long accepted = sink.accepted();
        int fd = sys.socket(SocketCalls.AF_INET);
        try (Arena arena = Arena.ofConfined()) {
            sys.setInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEADDR, 1);
            sys.bind(fd, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            MemorySegment to = arena.allocate(32);
            sys.connect(fd, to, SocketCalls.encode(sink.address(), to));
            for (int i = 0; i < 200 && sink.accepted() == accepted; i++) {
                LockSupport.parkNanos(10_000_000);
            }
            sys.setInt(fd, SocketCalls.IPPROTO_TCP, TCP_REPAIR, 1);
        } finally {
            sys.close(fd);
        }
    }

    /** The namespace's TcpExt TCPSYNChallenge: SYNs answered with a challenge ACK by an established socket. */
    private static long synChallenges() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = lines.get(i).split(" ");
            String[] values = lines.get(i + 1).split(" ");
            for (int k = 1; k < names.length; k++) {
                if (names[k].equals("TCPSYNChallenge")) {
                    return Long.parseLong(values[k]);
                }
            }
        }
        throw new AssertionError("no TCPSYNChallenge in /proc/net/netstat");
    }
}
