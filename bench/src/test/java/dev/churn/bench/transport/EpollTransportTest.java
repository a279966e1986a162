package dev.churn.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The epoll transport's connect when the handshake is not done by the time connect(2) returns:
 * the request's first write says EAGAIN, the loop waits for EPOLLOUT, and CONNECT ends there, not
 * at connect(2)'s return. On loopback the handshake is done inside connect(2), so the test makes it
 * late: the listener's accept queue is full and drops the SYN, and is emptied 200 ms after the
 * client's socket shows in SYN_SENT, so the client's SYN retransmission, one second
 * (TCP_TIMEOUT_INIT) after the first, completes it.
 */
class EpollTransportTest {

    @Test
    void aHandshakeFinishedAfterConnectReturnedEndsTheConnectPhaseThere() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, lo)) {
            InetSocketAddress target = new InetSocketAddress(lo, full.getLocalPort());
            // Backlog 1 queues two connections; until they are accepted, new SYNs are dropped.
            for (int i = 0; i < 2; i++) {
                Socket s = new Socket();
                fillers.add(s);
                s.connect(target, 2000);
            }
            AtomicReference<Throwable> serverError = new AtomicReference<>();
            AtomicInteger requestByte = new AtomicInteger(-1);
            Thread server = Thread.ofPlatform().start(() -> {
                try {
                    awaitSynSent(full.getLocalPort());
                    Thread.sleep(200);
                    full.accept().close();
                    full.accept().close();
                    // the third is ours, once the retransmitted SYN got through
                    try (Socket ours = full.accept(); InputStream in = ours.getInputStream()) {
                        ours.setSoTimeout(5000);
                        requestByte.set(in.read());
                    }
                } catch (IOException | InterruptedException e) {
                    serverError.set(e);
                }
            });
            ClientPlan plan = ClientPlan.of(target, SocketConfig.DEFAULTS, Closer.CLIENT, 1, 0, Duration.ofSeconds(5));
            CountingCycles cycle = new CountingCycles(1, 1);

            Transport.of(TransportKind.EPOLL, plan, 1).run(cycle);
            server.join(10_000);

            assertNull(cycle.firstFailure.get(), "the cycle failed");
            assertNull(serverError.get(), "the server failed");
            assertEquals(1, cycle.completed.get(), "completed");
            long connectMillis = cycle.lastConnectNanos.get() / 1_000_000;
            // The first SYN was dropped: the handshake ended at the retransmission, about 1 s in.
            assertTrue(connectMillis >= 800 && connectMillis < 4000, "connect took " + connectMillis + " ms");
            assertEquals('q', requestByte.get(), "the request byte the server read");
        } finally {
            for (Socket s : fillers) {
                s.close();
            }
        }
    }

    /** Waits (at most 5 s) until /proc/net/tcp shows a socket in SYN_SENT (state 02) towards this port. */
    private static void awaitSynSent(int port) throws IOException, InterruptedException {
        String remote = String.format(":%04X", port);
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() - end < 0) {
            for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[2].endsWith(remote) && f[3].equals("02")) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no connect towards port " + port + " in SYN_SENT within 5 s");
    }
}
