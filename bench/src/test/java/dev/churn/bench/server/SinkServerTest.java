package dev.churn.bench.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.config.SocketConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The sink on real loopback sockets: serving, listeners, the NEVER choreography, bad input. */
class SinkServerTest {

    @Test
    void answersRequestWithResponseThenWaitsForTheClientsFin() throws IOException {
        SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 3, 5);
        try (SinkServer sink = SinkServer.start(c); Socket s = new Socket()) {
            s.connect(sink.address(), 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write(new byte[] {1, 2, 3});
            assertArrayEquals("rrrrr".getBytes(), s.getInputStream().readNBytes(5));
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read(), "the sink closes after our FIN");
            assertEquals(1, sink.accepted());
        }
    }

    @Test
    void selectorServingDoesNotMakeOneClientWaitForAnother() throws IOException {
        SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 1, 1);
        try (SinkServer sink = SinkServer.start(c); Socket idle = new Socket(); Socket busy = new Socket()) {
            idle.connect(sink.address(), 2000); // connects, never sends: an inline server would wait on it
            busy.connect(sink.address(), 2000);
            busy.setSoTimeout(2000);
            busy.getOutputStream().write(7);
            assertEquals('r', busy.getInputStream().read());
        }
    }

    /**
     * Past {@link CallThatMayMiss#PROBE} connections whose request comes after the accept, the
     * loop stops reading at accept and stops draining the accept queue (one connection at a time);
     * it must still serve every shape, including a burst of clients queued at once, and the
     * shapes whose first step is a write or a close must never wait for a read.
     */
    @Test
    void skippingTheReadAtAcceptAndTheSecondAcceptLosesNoConnection() throws Exception {
        record Shape(Closer closer, int request, int response) {}
        for (Shape shape : List.of(new Shape(Closer.CLIENT, 1, 1), new Shape(Closer.CLIENT, 3, 0),
                new Shape(Closer.CLIENT, 0, 2), new Shape(Closer.SERVER, 0, 0), new Shape(Closer.SERVER, 2, 1))) {
            SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS.withListeners(1), shape.closer(), shape.request(),
                    shape.response());
            try (SinkServer sink = SinkServer.start(c)) {
                int n = 3 * CallThatMayMiss.PROBE + 5;
                for (int i = 0; i < n; i++) {
                    try (Socket s = new Socket()) {
                        s.connect(sink.address(), 2000);
                        s.setSoTimeout(2000);
                        LockSupport.parkNanos(200_000); // the sink has accepted by now: its read at accept finds nothing
                        cycle(s, shape.closer(), shape.request(), shape.response(), shape + " #" + i);
                    }
                }
                List<Socket> burst = new ArrayList<>();
                try {
                    for (int i = 0; i < 8; i++) {
                        Socket s = new Socket();
                        burst.add(s);
                        s.connect(sink.address(), 2000);
                        s.setSoTimeout(2000);
                    }
                    for (int i = 0; i < burst.size(); i++) {
                        cycle(burst.get(i), shape.closer(), shape.request(), shape.response(), shape + " burst #" + i);
                    }
                } finally {
                    for (Socket s : burst) {
                        s.close();
                    }
                }
                Await.atLeast(sink::accepted, n + 8);
                assertEquals(n + 8, sink.accepted(), shape::toString);
            }
        }
    }

    /** Request, response, then the closer's ending, as a churn client plays it. */
    private static void cycle(Socket s, Closer closer, int request, int response, String what) throws IOException {
        if (request > 0) {
            s.getOutputStream().write(new byte[request]);
        }
        assertEquals(response, s.getInputStream().readNBytes(response).length, what);
        if (closer == Closer.SERVER) {
            assertEquals(-1, s.getInputStream().read(), what + ": the server's FIN");
        } else {
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read(), what + ": the sink closes after our FIN");
        }
    }

    @Test
    void serverCloserClosesRightAfterTheResponse() throws IOException {
        SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.SERVER, 0, 2);
        try (SinkServer sink = SinkServer.start(c); Socket s = new Socket()) {
            s.connect(sink.address(), 2000);
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            assertEquals(2, in.readNBytes(2).length);
            assertEquals(-1, in.read(), "server FIN without our asking");
        }
    }

    @Test
    void neverCloserHoldsSocketsUntilClose() throws IOException {
        SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.NEVER, 0, 0);
        SinkServer sink = SinkServer.start(c);
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                Socket s = new Socket();
                clients.add(s);
                s.connect(sink.address(), 2000);
                s.setSoTimeout(2000);
            }
            Await.atLeast(() -> sink.held(), 5);
            assertEquals(5, sink.held());
            sink.close();
            assertEquals(0, sink.held());
            for (Socket s : clients) {
                assertEquals(-1, s.getInputStream().read(), "closing the sink releases every held socket");
            }
        } finally {
            sink.close();
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    /**
     * A run's warm-up under --closer never: its connections are not the run's, and held (a 1 s warm-up
     * makes 20,000) they ran the process out of descriptors before the measured part began, which then
     * failed whole (EMFILE). Told not to hold, the sink serves them as CLIENT does; told again, it holds.
     */
    @Test
    void neverHoldsNothingWhileToldNotTo() throws IOException {
        SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.NEVER, 0, 0);
        try (SinkServer sink = SinkServer.start(c)) {
            sink.holdNever(false);
            for (int i = 0; i < 20; i++) {
                try (Socket s = new Socket()) {
                    s.connect(sink.address(), 2000);
                    s.setSoTimeout(2000);
                    s.shutdownOutput();
                    assertEquals(-1, s.getInputStream().read(), "the sink closed the warm-up's connection after our FIN");
                }
            }
            assertEquals(20, sink.accepted());
            assertEquals(0, sink.held(), "nothing of the warm-up kept");

            sink.holdNever(true);
            List<Socket> run = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = new Socket();
                    run.add(s);
                    s.connect(sink.address(), 2000);
                }
                Await.atLeast(() -> sink.held(), 3);
                assertEquals(3, sink.held(), "the run's connections are held again");
            } finally {
                for (Socket s : run) {
                    s.close();
                }
            }
        }
    }

    @Test
    void reusePortListenersShareOnePort() throws IOException {
        SocketConfig two = new SocketConfig(Linger.OFF, true, true, 2, false, 0, 0, 128, false, null);
        try (SinkServer sink = SinkServer.start(SinkConfig.loopback(two, Closer.CLIENT, 0, 0))) {
            assertEquals(1, sink.ports().length);
            for (int i = 0; i < 40; i++) {
                try (Socket s = new Socket()) {
                    s.connect(sink.address(), 2000);
                }
            }
            Await.atLeast(sink::accepted, 40);
            assertEquals(40, sink.accepted());
            assertEquals(0, sink.acceptFailures());
        }
    }

    /**
     * Several listeners without the user's --reuse-port: the sink sets SO_REUSEPORT itself, each
     * listener has its serving loop, and connections in flight at once are all served and counted.
     */
    @Test
    void severalServingLoopsServeEveryConnectionWithoutAskingForReusePort() throws IOException {
        SocketConfig three = SocketConfig.DEFAULTS.withListeners(3);
        try (SinkServer sink = SinkServer.start(SinkConfig.loopback(three, Closer.CLIENT, 1, 1))) {
            assertEquals(3, sink.listeners());
            assertEquals(3, Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("churn-sink-" + sink.port() + "-")).count(), "serving threads");
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 60; i++) {
                    Socket s = new Socket();
                    open.add(s);
                    s.connect(sink.address(), 2000);
                    s.setSoTimeout(2000);
                    s.getOutputStream().write(1);
                }
                for (Socket s : open) {
                    assertEquals('r', s.getInputStream().read(), "every connection answered while all are open");
                }
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
            Await.atLeast(sink::accepted, 60);
            assertEquals(60, sink.accepted());
            assertEquals(0, sink.acceptFailures());
        }
    }

    @Test
    void listenersDefaultToOnePerProcessor() throws IOException {
        try (SinkServer sink = SinkServer.start(SinkConfig.loopback(SocketConfig.DEFAULTS.withListeners(0), Closer.CLIENT, 0, 0))) {
            assertEquals(Math.min(Runtime.getRuntime().availableProcessors(), SocketConfig.MAX_LISTENERS), sink.listeners());
        }
    }

    /**
     * SO_REUSEPORT the user did not ask for must not let the sink share a port someone else listens
     * on: it is refused as it was with one listener.
     */
    @Test
    void severalListenersStillRefuseAPortInUse() throws IOException {
        try (java.nio.channels.ServerSocketChannel other = java.nio.channels.ServerSocketChannel.open()) {
            other.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true); // even one that would share
            other.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            int taken = ((java.net.InetSocketAddress) other.getLocalAddress()).getPort();
            SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS.withListeners(2), Closer.CLIENT, 0, 0).withPort(taken);
            IOException e = assertThrows(IOException.class, () -> SinkServer.start(c).close());
            assertTrue(e.getMessage().contains("EADDRINUSE") || e.getMessage().toLowerCase().contains("in use"), e.getMessage());
        }
    }

    @Test
    void listensOnIpv6Loopback() throws IOException {
        try (SinkServer sink = SinkServer.start(SinkConfig.loopback(SocketConfig.DEFAULTS.withIpv6(true), Closer.CLIENT, 0, 0));
             Socket s = new Socket()) {
            s.connect(sink.address(), 2000);
            assertEquals("/0:0:0:0:0:0:0:1", sink.address().getAddress().toString());
        }
    }

    /**
     * The serving threads block in system calls (accept, read) that Thread.interrupt cannot reach:
     * close must wake them itself, even with a client that never sends its FIN, and free the port.
     */
    @Test
    void closeWakesTheServingThreadPromptlyAndReleasesThePort() throws IOException {
        SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 0, 0);
        SinkServer sink = SinkServer.start(c);
        try (Socket silent = new Socket()) {
            silent.connect(sink.address(), 2000); // never closes: the sink waits in read for its FIN
            Await.atLeast(sink::accepted, 1);
            long t0 = System.nanoTime();
            sink.close();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            // SinkServer waits 5 s for a thread before interrupting it: well under that means woken.
            assertTrue(millis < 2_000, "close took " + millis + " ms");
            assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(
                    t -> t.getName().startsWith("churn-sink-" + sink.port() + "-")), "serving thread ended");
        }
        try (java.nio.channels.ServerSocketChannel again = java.nio.channels.ServerSocketChannel.open()) {
            again.bind(sink.address()); // the listener's descriptor is closed
        }
    }

    @Test
    void aClientsResetIsCountedNotFailed() throws IOException {
        SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 0, 0);
        try (SinkServer sink = SinkServer.start(c)) {
            for (int i = 0; i < 20; i++) {
                try (Socket s = new Socket()) {
                    s.setSoLinger(true, 0); // close sends RST
                    s.connect(sink.address(), 2000);
                }
            }
            Await.atLeast(sink::resets, 20);
            assertEquals(20, sink.accepted());
            assertEquals(20, sink.resets());
            assertEquals(0, sink.acceptFailures());
        }
    }

    @Test
    void badPortIsRejectedWithTheOptionName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 0, 0).withPort(70000));
        assertTrue(e.getMessage().contains("--port"), e.getMessage());
    }
}
