package dev.churn.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server that answers fewer bytes than the client's --response and then goes quiet (a 'churn serve' started
 * without the same --response does this): every transport fails the cycle as a timeout that says how many of the
 * response's bytes came, on a real socket, instead of a bare "read timed out".
 */
class ShortResponseTimeoutTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(TransportKind.class)
    void aShortResponseTimesOutSayingHowMuchCame(TransportKind kind) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 50, lo)) {
            Thread peer = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    in.readNBytes(4);
                    out.write(new byte[3]);
                    out.flush();
                    // holds the connection open without another byte until the client gives up
                    s.setSoTimeout(10_000);
                    in.read();
                } catch (IOException e) {
                    // the client closed: done
                }
            });
            ClientPlan plan = ClientPlan.of(new InetSocketAddress(lo, server.getLocalPort()), SocketConfig.DEFAULTS,
                    Closer.CLIENT, 4, 10, Duration.ofMillis(300));
            CountingCycles cycle = new CountingCycles(1, 1);

            long t0 = System.nanoTime();
            Transport.of(kind, plan, 1).run(cycle);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            peer.join(5_000);

            assertEquals(1, cycle.failed.get(), "failed");
            IOException e = cycle.firstFailure.get();
            assertInstanceOf(SocketTimeoutException.class, e);
            // the watched transports and the event loops name the timeout; virtual's SO_TIMEOUT is the JDK's "Read timed out"
            assertTrue(e.getMessage().matches("Read timed out( after 300 ms)?: 3 of 10 response bytes came"), e.getMessage());
            assertTrue(millis >= 280 && millis < 5_000, "the cycle waited its timeout: " + millis + " ms");
        }
    }
    /**
     * The timeout bounds each read, not the whole response: 10 bytes, one every 100 ms, against a 300 ms timeout
     * complete on every transport. selector and epoll set their deadline once at the request, and failed it as "Read
     * timed out after 300 ms" where blocking and nio, whose SO_TIMEOUT is per read, completed (review, 2026-12-07).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TransportKind.class)
    void aResponseTrickledWithinTheTimeoutEachByteCompletes(TransportKind kind) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 50, lo)) {
            Thread peer = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    s.setTcpNoDelay(true);
                    in.readNBytes(4);
                    for (int i = 0; i < 10; i++) {
                        Thread.sleep(100);
                        out.write('r');
                        out.flush();
                    }
                    s.setSoTimeout(10_000);
                    in.read(); // until the client closes
                } catch (IOException | InterruptedException e) {
                    // the client closed: done
                }
            });
            ClientPlan plan = ClientPlan.of(new InetSocketAddress(lo, server.getLocalPort()), SocketConfig.DEFAULTS,
                    Closer.CLIENT, 4, 10, Duration.ofMillis(300));
            CountingCycles cycle = new CountingCycles(1, 1);
            Transport.of(kind, plan, 1).run(cycle);
            peer.join(5_000);
            assertEquals(1, cycle.completed.get(), () -> "completed; failed with " + cycle.firstFailure.get());
        }
    }
}
