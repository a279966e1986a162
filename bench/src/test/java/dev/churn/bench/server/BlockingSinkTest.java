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

    /**
     * A client that takes nothing of the response is reset after the idle bound, as the epoll and TLS sinks reset it,
     * and not much later: the write had no bound (only reads had, SO_RCVTIMEO) and held the one serving thread until
     * the sink closed; an SO_SNDTIMEO of the bound itself reset it after three times the bound (a timed-out write that
     * sent part of the response returns that part, and the next one waits the whole timeout again).
     */
    @Test
    void aClientThatTakesNothingOfTheResponseIsResetAfterTheIdleBound() throws IOException {
        int idleMillis = 1_000;
        try (SinkServer sink = SinkServer.start(blocking(Closer.CLIENT, 1, 8 << 20), idleMillis); Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(sink.address(), 2000);
            long t0 = System.nanoTime();
            stuck.getOutputStream().write(1); // then reads nothing: 8 MiB fill both buffers, and the sink's write waits
            for (int i = 0; i < 400 && sink.idleCloses() == 0; i++) {
                LockSupport.parkNanos(10_000_000);
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(1, sink.idleCloses(), "the stalled write is reset after the bound");
            assertTrue(millis >= idleMillis - 50 && millis < idleMillis * 18 / 10, "reset after " + millis + " ms");
            assertEquals(0, sink.resets(), "an idle close is not counted as the client's reset");
            assertEquals(new TcpEnds(null, null), TcpEnds.await(sink.port(), stuck.getLocalPort(), new TcpEnds(null, null)),
                    "the sink's end is gone (an RST, nothing left in FIN_WAIT1)");
            try (Socket next = new Socket()) {
                next.connect(sink.address(), 2000);
                next.setSoTimeout(2000);
                next.getOutputStream().write(1);
                assertEquals('r', next.getInputStream().read(), "the next connection is served");
            }
        }
    }

    /** A client that takes the response slowly, a little at a time, is not reset however long it takes in all. */
    @Test
    void aSlowReaderOfTheResponseIsNotReset() throws IOException {
        int idleMillis = 400;
        try (SinkServer sink = SinkServer.start(blocking(Closer.CLIENT, 1, 4 << 20), idleMillis); Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(sink.address(), 2000);
            slow.setSoTimeout(5000);
            slow.getOutputStream().write(1);
            java.io.InputStream in = slow.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long t0 = System.nanoTime();
            long got = 0;
            // 4 MiB over more than three bounds in all, a read every 100 ms.
            while (got < 4 << 20) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, (4 << 20) - got));
                assertTrue(n > 0, "the response, not a reset, after " + got + " bytes");
                got += n;
                if (System.nanoTime() - t0 < 4L * idleMillis * 1_000_000) {
                    LockSupport.parkNanos(100_000_000);
                }
            }
            assertTrue(System.nanoTime() - t0 > 3L * idleMillis * 1_000_000, "took more than three bounds");
            slow.shutdownOutput();
            assertEquals(-1, in.read(), "the sink closes after our FIN");
            assertEquals(0, sink.idleCloses());
            assertEquals(0, sink.resets());
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
