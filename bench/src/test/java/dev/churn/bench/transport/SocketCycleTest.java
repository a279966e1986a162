package dev.churn.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.engine.FailureKind;
import dev.churn.bench.server.SinkConfig;
import dev.churn.bench.server.SinkServer;
import dev.churn.bench.tls.ClientTls;
import dev.churn.bench.tls.ServerIdentity;
import dev.churn.bench.tls.ServerTls;
import dev.churn.bench.tls.TlsClientConfig;
import dev.churn.bench.tls.TlsKeyType;
import dev.churn.bench.tls.TlsVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The blocking cycle with a {@link SocketWatchdog}: its sockets carry no SO_TIMEOUT (which would
 * cost a non-blocking switch, and a failed read and a poll per waiting read), yet a response
 * that never comes still fails as a timeout, on time, and one that comes is read.
 */
class SocketCycleTest {

    private static final Duration TIMEOUT = Duration.ofMillis(150);

    /**
     * The connect phase is the connect() call alone: newSocket makes the descriptor, even with no
     * option to set, where a bare java.net.Socket would make it inside connect() and its timing.
     */
    @Test
    void aNewSocketHasItsDescriptorBeforeConnect() throws Exception {
        ClientPlan plan = ClientPlan.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), SocketConfig.DEFAULTS,
                Closer.CLIENT, 0, 0, TIMEOUT);
        plan.newSocket(false).close(); // the JVM's first socket opens what all of them share
        long before = openDescriptors();
        try (Socket s = plan.newSocket(false)) {
            assertEquals(before + 1, openDescriptors(), "the socket's descriptor is open before connect()");
        }
        assertEquals(before, openDescriptors());
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void watchedSocketsHaveNoSoTimeoutButTheirReadsStillTimeOut() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        // The kernel completes the handshake and queues the connection; nobody accepts or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, lo); SocketWatchdog watchdog = new SocketWatchdog(TIMEOUT)) {
            ClientPlan plan = ClientPlan.of(new InetSocketAddress(lo, silent.getLocalPort()), SocketConfig.DEFAULTS,
                    Closer.CLIENT, 1, 1, TIMEOUT);
            try (Socket timed = plan.newSocket(); Socket untimed = plan.newSocket(false)) {
                assertEquals(150, timed.getSoTimeout(), "JDK-timed socket");
                assertEquals(0, untimed.getSoTimeout(), "watched socket");
            }
            One one = new One();
            long t0 = System.nanoTime();
            new SocketCycle(plan, watchdog.slot()).run(one, one);
            long took = System.nanoTime() - t0;
            assertInstanceOf(SocketTimeoutException.class, one.failure, () -> "failure: " + one.failure);
            assertTrue(took >= 140_000_000L && took < 700_000_000L, "a 150 ms read timeout took " + took / 1e6 + " ms");
        }
    }

    @Test
    void watchedReadsGetTheResponse() throws Exception {
        try (SinkServer sink = SinkServer.start(SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 1, 1));
                SocketWatchdog watchdog = new SocketWatchdog(TIMEOUT)) {
            ClientPlan plan = ClientPlan.of(sink.address(), SocketConfig.DEFAULTS, Closer.CLIENT, 1, 1, TIMEOUT);
            SocketCycle cycle = new SocketCycle(plan, watchdog.slot());
            for (int i = 0; i < 3; i++) {
                One one = new One();
                cycle.run(one, one);
                assertNull(one.failure);
                assertTrue(one.firstByteNanos >= 0, "first byte timed");
            }
        }
    }

    /**
     * The ACCEPT pairing's post comes after the request is written: a sink woken by the handshake
     * then finds the request waiting, where a post first had it block for it (one more wake-up
     * per cycle than a C client causes). Checked for both cycles that post from the worker thread.
     */
    @Test
    void theAcceptPostFollowsTheRequest() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 50, lo); SocketWatchdog watchdog = new SocketWatchdog(TIMEOUT)) {
            ClientPlan plan = ClientPlan.of(new InetSocketAddress(lo, server.getLocalPort()), SocketConfig.DEFAULTS,
                    Closer.ABORT, 1, 0, Duration.ofSeconds(5));
            for (boolean raw : new boolean[] {false, true}) {
                One one = new One() {
                    @Override
                    public boolean wantsConnected() {
                        return true;
                    }

                    @Override
                    public void connected(Ticket t, int localPort, long connectStartNanos, long connectEndNanos) {
                        // Loopback delivers a written byte before write() returns.
                        try (Socket accepted = server.accept()) {
                            requestWaiting = accepted.getInputStream().available();
                        } catch (IOException e) {
                            failure = e;
                        }
                    }
                };
                if (raw) {
                    new RawCycle(plan).run(one, one);
                } else {
                    new SocketCycle(plan, watchdog.slot()).run(one, one);
                }
                assertNull(one.failure, raw ? "raw" : "blocking");
                assertEquals(1, one.requestWaiting, (raw ? "raw" : "blocking") + ": request bytes waiting at the post");
            }
        }
    }

    /**
     * A handshake that fails after the client checked the certificate (here: rejected it) leaves
     * nothing noted in the client's TLS: before, each such cycle kept its SSLSocket for the rest
     * of the run, a leak of a socket's buffers per failure in a run against a distrusted server.
     */
    @Test
    void aFailedTlsHandshakeLeavesNoSocketBehind() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        ServerTls serverTls = ServerTls.of(ServerIdentity.selfSigned(TlsKeyType.EC, List.of()), null, List.of(), List.of(), true);
        try (ServerSocket server = new ServerSocket(0, 50, lo); SocketWatchdog watchdog = new SocketWatchdog(TIMEOUT)) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket accepted = server.accept(); SSLSocket tls = serverTls.layer(accepted)) {
                        tls.setSoTimeout(2000);
                        tls.startHandshake();
                        tls.getInputStream().read();
                    } catch (IOException e) {
                        // the client rejected us, or closed: next
                    }
                }
            });
            InetSocketAddress target = new InetSocketAddress(lo, server.getLocalPort());
            // The JDK's CA certificates: the server's self-signed one is rejected.
            ClientTls untrusting = ClientTls.of(TlsClientConfig.of(TlsVersion.V1_3), null);
            ClientPlan plan = ClientPlan.of(target, SocketConfig.DEFAULTS, Closer.CLIENT, 0, 0, Duration.ofSeconds(2))
                    .withTls(untrusting);
            for (SocketCycle cycle : List.of(new SocketCycle(plan), new SocketCycle(plan, watchdog.slot()))) {
                for (int i = 0; i < 3; i++) {
                    One one = new One();
                    cycle.run(one, one);
                    assertEquals(FailureKind.TLS_CERTIFICATE, FailureKind.classify(one.failure), () -> "failure: " + one.failure);
                }
            }
            assertEquals(0, untrusting.unsettled(), "sockets of failed handshakes still noted");

            ClientTls trusting = ClientTls.of(TlsClientConfig.of(TlsVersion.V1_3), serverTls.certificate());
            SocketCycle cycle = new SocketCycle(plan.withTls(trusting), watchdog.slot());
            for (int i = 0; i < 2; i++) {
                One one = new One();
                cycle.run(one, one);
                assertNull(one.failure);
            }
            assertEquals(0, trusting.unsettled());
            server.close();
            acceptor.join(5000);
        }
    }

    /** One cycle's outcome. */
    private static class One implements Cycles, Ticket {
        private final long start = System.nanoTime();
        volatile IOException failure;
        volatile int requestWaiting = -1;
        volatile long firstByteNanos = -2;

        @Override
        public long intendedStartNanos() {
            return start;
        }

        @Override
        public int concurrency() {
            return 1;
        }

        @Override
        public Ticket next() {
            return null;
        }

        @Override
        public boolean awaitStart(Ticket t) {
            return true;
        }

        @Override
        public boolean stopping() {
            return false;
        }

        @Override
        public void abandon(Ticket t) {}

        @Override
        public void connected(Ticket t, int localPort, long connectStartNanos, long connectEndNanos) {}

        @Override
        public boolean wantsConnected() {
            return false;
        }

        @Override
        public void completed(Ticket t, long connectNanos, long firstByteNanos, long closeNanos, long endNanos) {
            this.firstByteNanos = firstByteNanos;
        }

        @Override
        public void failed(Ticket t, IOException e) {
            failure = e;
        }
    }
}
