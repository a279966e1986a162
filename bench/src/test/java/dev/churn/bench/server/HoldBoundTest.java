package dev.churn.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.tls.ClientTls;
import dev.churn.bench.tls.TlsClientConfig;
import dev.churn.bench.tls.TlsVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --closer never} past {@link SinkServer#holdAtMost}: each serving loop (epoll, blocking, TLS) keeps
 * the connections up to the bound, then serves the next ones as {@code --closer client} does, closing after
 * the client's FIN, and counts them. Held without a bound, a long {@code churn serve} ran out of descriptors.
 */
class HoldBoundTest {

    enum Sink {
        EPOLL, BLOCKING, TLS;

        SinkConfig config() {
            return switch (this) {
                case EPOLL -> SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.NEVER, 0, 1);
                case BLOCKING -> SinkConfig.loopback(SocketConfig.DEFAULTS.withListeners(1), Closer.NEVER, 0, 1).withBlocking(true);
                case TLS -> TlsSinkTest.tlsSink(Closer.NEVER, 0, 1);
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Sink.class)
    void pastItsBoundNeverServesClosesAndCounts(Sink kind) throws IOException {
        List<Socket> clients = new ArrayList<>();
        try (SinkServer sink = SinkServer.start(kind.config())) {
            sink.holdAtMost(3);
            assertEquals(3, sink.holdCap());
            for (int i = 0; i < 6; i++) {
                Socket raw = new Socket();
                clients.add(raw);
                raw.connect(sink.address(), 2000);
                raw.setSoTimeout(2000);
                InputStream in = raw.getInputStream();
                if (kind == Sink.TLS) {
                    SSLSocket tls = ClientTls.of(TlsClientConfig.of(TlsVersion.V1_3), sink.config().tls().certificate())
                            .layer(raw, sink.address());
                    tls.startHandshake();
                    in = tls.getInputStream();
                }
                assertEquals('r', in.read());
                raw.shutdownOutput(); // our FIN, under TLS without a close_notify: what a drain to the FIN waits for
                int seen = i + 1;
                // Held or served and closed: one or the other, before the next connection, so the first three are held.
                Await.atLeast(() -> sink.held() + sink.notHeld(), seen);
            }
            assertEquals(3, sink.held());
            assertEquals(3, sink.notHeld());
            for (int i = 0; i < 6; i++) {
                Socket raw = clients.get(i);
                if (i < 3) {
                    assertThrows(SocketTimeoutException.class, () -> hungUp(raw), "connection " + i + " is held");
                } else {
                    assertTrue(hungUp(raw), "connection " + i + " was closed after our FIN");
                }
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    @Test
    void aNegativeBoundIsRefused() throws IOException {
        try (SinkServer sink = SinkServer.start(Sink.EPOLL.config())) {
            assertEquals(Long.MAX_VALUE, sink.holdCap(), "no bound unless one is set");
            assertThrows(IllegalArgumentException.class, () -> sink.holdAtMost(-1));
        }
    }

    /** Reads the raw socket to its end (FIN or RST: true); a socket still held times out instead (thrown). */
    private static boolean hungUp(Socket raw) throws IOException {
        raw.setSoTimeout(300);
        try {
            InputStream in = raw.getInputStream();
            while (in.read() != -1) {
                // whatever the sink still sent before it closed
            }
            return true;
        } catch (SocketException reset) {
            return true;
        }
    }
}
