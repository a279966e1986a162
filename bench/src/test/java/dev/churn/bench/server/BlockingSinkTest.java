package dev.churn.bench.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The sink served in blocking calls ({@link SinkConfig#withBlocking}), one connection at a time, on
 * real loopback sockets: every close choreography, HTTP, resets, the idle bound, and a close that
 * wakes a thread blocked in read.
 */
class BlockingSinkTest {

    private static SinkConfig blocking(Closer closer, int request, int response) {
        return SinkConfig.loopback(SocketConfig.DEFAULTS.withListeners(1), closer, request, response).withBlocking(true);
    }

    @Test
    void answersTheRequestThenClosesAfterTheClientsFinConnectionAfterConnection() throws IOException {
        try (SinkServer sink = SinkServer.start(blocking(Closer.CLIENT, 3, 5))) {
            for (int i = 0; i < 50; i++) {
                try (Socket s = new Socket()) {
                    s.connect(sink.address(), 2000);
                    s.setSoTimeout(2000);
                    s.getOutputStream().write(new byte[] {1, 2, 3});
                    assertArrayEquals("rrrrr".getBytes(), s.getInputStream().readNBytes(5));
                    s.shutdownOutput();
                    assertEquals(-1, s.getInputStream().read(), "the sink closes after our FIN");
                }
            }
            assertEquals(50, sink.accepted());
            assertEquals(0, sink.resets());
        }
    }

    @Test
    void theServerCloserClosesRightAfterTheResponse() throws IOException {
        try (SinkServer sink = SinkServer.start(blocking(Closer.SERVER, 0, 2)); Socket s = new Socket()) {
            s.connect(sink.address(), 2000);
            s.setSoTimeout(2000);
            assertArrayEquals("rr".getBytes(), s.getInputStream().readNBytes(2));
            assertEquals(-1, s.getInputStream().read(), "closed by the sink without waiting for us");
        }
    }

    @Test
    void neverHoldsEachConnectionAndServesTheNext() throws IOException {
        try (SinkServer sink = SinkServer.start(blocking(Closer.NEVER, 0, 1))) {
            for (int i = 0; i < 3; i++) {
                try (Socket s = new Socket()) {
                    s.connect(sink.address(), 2000);
                    s.setSoTimeout(2000);
                    assertEquals('r', s.getInputStream().read());
                }
            }
            Await.atLeast(sink::held, 3);
            assertEquals(3, sink.held());
        }
    }

    @Test
    void anHttpHeadIsAnsweredWithA200() throws IOException {
        try (SinkServer sink = SinkServer.start(blocking(Closer.CLIENT, 0, 4).withHttp(true)); Socket s = new Socket()) {
            s.connect(sink.address(), 2000);
            s.setSoTimeout(2000);
            // The head in two writes: the sink reads until its blank line, however it is split.
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            LockSupport.parkNanos(20_000_000);
            s.getOutputStream().write("\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", answer);
        }
    }

    @Test
    void aClientsResetIsCountedNotFailed() throws IOException {
        try (SinkServer sink = SinkServer.start(blocking(Closer.CLIENT, 0, 0))) {
            for (int i = 0; i < 20; i++) {
                try (Socket s = new Socket()) {
                    s.setSoLinger(true, 0); // close sends RST
                    s.connect(sink.address(), 2000);
                }
            }
            Await.atLeast(sink::resets, 20);
            assertEquals(20, sink.accepted());
            assertEquals(20, sink.resets());
        }
    }

    /** A silent client is reset after the idle bound (the listener's SO_RCVTIMEO, inherited), and the next is served. */
    @Test
    void aSilentClientIsResetAfterTheIdleBound() throws IOException {
        try (SinkServer sink = SinkServer.start(blocking(Closer.CLIENT, 1, 1), 1_000); Socket silent = new Socket()) {
            silent.connect(sink.address(), 2000);
            silent.setSoTimeout(3000);
            long t0 = System.nanoTime();
            try {
                assertEquals(-1, silent.getInputStream().read());
            } catch (java.net.SocketException reset) {
                // the RST of the idle reset: what it should see
            } catch (SocketTimeoutException e) {
                throw new AssertionError("not reset within 3 s", e);
            }
            assertTrue((System.nanoTime() - t0) / 1_000_000 >= 900, "reset before the idle bound");
            assertEquals(1, sink.idleCloses());
            try (Socket next = new Socket()) {
                next.connect(sink.address(), 2000);
                next.setSoTimeout(2000);
                next.getOutputStream().write(1);
                assertEquals('r', next.getInputStream().read());
            }
        }
    }

    @Test
    void closeWakesAThreadBlockedInRead() throws IOException {
        SinkServer sink = SinkServer.start(blocking(Closer.CLIENT, 0, 0));
        try (Socket silent = new Socket()) {
            silent.connect(sink.address(), 2000); // never closes: the sink waits in read for its FIN
            Await.atLeast(sink::accepted, 1);
            long t0 = System.nanoTime();
            sink.close();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            // SinkServer waits 5 s for a thread before interrupting it, which a native read ignores.
            assertTrue(millis < 2_000, "close took " + millis + " ms");
        }
    }
}
