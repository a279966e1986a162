package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.result.SummaryJson;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import dev.churn.monitor.AddressFamily;
import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.StateCounts;
import dev.churn.monitor.StateSource;
import dev.churn.monitor.StateSources;
import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run counts the sockets of its own family on its ports: a run to 127.0.0.1:P counted the TIME_WAIT another
 * client's run had left toward [::1]:P, a server of its own on the same port number, as its own (4,295 where 1,198
 * were its, QA 2026-12-06). Real sockets on both loopbacks.
 */
class RunFamilyFilterTest {

    @TempDir
    Path tmp;

    @Test
    void anotherFamilysTimeWaitOnTheSamePortIsNotTheRuns() throws Exception {
        try (ServerSocket v6 = new ServerSocket()) {
            v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            int port = v6.getLocalPort();
            // The other client: connects to [::1]:port and closes first, so each leaves a TIME_WAIT toward that port.
            int others = 200;
            Thread server = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < others; i++) {
                    try (Socket s = v6.accept()) {
                        s.getInputStream().read(); // until the client's FIN
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            for (int i = 0; i < others; i++) {
                try (Socket c = new Socket()) {
                    c.connect(v6.getLocalSocketAddress());
                }
            }
            server.join(10_000);
            StateCounts v6Left;
            try (StateSource source = StateSources.open(SourceKind.AUTO)) {
                v6Left = source.count(SocketFilter.ports(port).withFamily(AddressFamily.IPV6));
            }
            assertTrue(v6Left.get(TcpState.TIME_WAIT) >= others / 2, v6Left::toString);

            try (SinkServer v4 = SinkServer.start(new SinkConfig(InetAddress.getByName("127.0.0.1"), port, SocketConfig.DEFAULTS,
                    Closer.CLIENT, 0, 0, null))) {
                RunCommandTest.Cli c = new RunCommandTest.Cli();
                Path run = tmp.resolve("run");
                assertEquals(0, c.run("run", "--target", "127.0.0.1:" + v4.port(), "--connections", "50", "--warmup", "0s",
                        "--no-progress", "--out", run.toString()), c.err::toString);
                JsonNode s = SummaryJson.read(run);
                assertEquals(0, s.at("/states/before/TIME_WAIT").asLong(0), s.path("states")::toString);
                long peak = s.at("/states/peak/TIME_WAIT").asLong();
                assertTrue(peak <= 50, () -> "the run's 50 at most, not the other family's: " + s.path("states"));
                assertFalse(s.at("/scenario/ipv6").asBoolean(true), s.path("scenario")::toString);
            }
        }
    }

    /** A --target's IPv6 address makes the run's family IPv6, and its summary says so: it said false (review, 2026-12-07). */
    @Test
    void aRunToAnIpv6TargetSaysItsFamilyIsIpv6() throws Exception {
        try (SinkServer v6 = SinkServer.start(new SinkConfig(InetAddress.getByName("::1"), 0, SocketConfig.DEFAULTS,
                Closer.CLIENT, 0, 0, null))) {
            RunCommandTest.Cli c = new RunCommandTest.Cli();
            Path run = tmp.resolve("v6");
            assertEquals(0, c.run("run", "--target", "[::1]:" + v6.port(), "--connections", "20", "--warmup", "0s",
                    "--no-progress", "--out", run.toString()), c.err::toString);
            JsonNode s = SummaryJson.read(run);
            assertEquals(20, s.at("/connections/completed").asLong(), s::toString);
            assertTrue(s.at("/scenario/ipv6").asBoolean(false), s.path("scenario")::toString);
        }
    }
}
