package dev.churn.bench.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.lab.NetNamespace;
import dev.churn.bench.posix.SocketCalls;
import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The plain (epoll) sink resets a connection that makes no progress for its idle bound, as a
 * client whose host went away would leave it, and counts it; a slow client that keeps making
 * progress, and a socket NEVER holds on purpose, stay open. Real loopback sockets, a 300 ms bound.
 */
class SinkIdleTest {

    private static final int IDLE_MILLIS = 300;
    private static final int TCP_REPAIR = 19;

    /**
     * The case the bound is for, made for real: the client closes under TCP_REPAIR (root), which
     * sends neither FIN nor RST, so the sink's end stays ESTABLISHED waiting for a FIN that never
     * comes. After the bound the sink's end must be gone, not ESTABLISHED and not in FIN_WAIT1
     * retransmitting a FIN to nobody.
     */
    @Test
    void aClientGoneWithoutFinOrRstIsResetAndLeavesNothing() throws Exception {
        assumeTrue(NetNamespace.permitted(), "TCP_REPAIR (a client gone without FIN or RST) needs root");
        SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 0, 0);
        try (SinkServer sink = SinkServer.start(c, IDLE_MILLIS)) {
            SocketCalls sys = new SocketCalls();
            int fd = sys.socket(SocketCalls.AF_INET);
            int clientPort;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment to = arena.allocate(32);
                sys.connect(fd, to, SocketCalls.encode(sink.address(), to));
                clientPort = sys.localPort(fd);
                for (int i = 0; i < 200 && sink.accepted() == 0; i++) {
                    LockSupport.parkNanos(10_000_000);
                }
                sys.setInt(fd, SocketCalls.IPPROTO_TCP, TCP_REPAIR, 1);
            } finally {
                sys.close(fd);
            }
            assertEquals(new TcpEnds(null, TcpState.ESTABLISHED), TcpEnds.of(sink.port(), clientPort),
                    "the client is gone and the sink's end still waits for its FIN");
            assertEquals(new TcpEnds(null, null), TcpEnds.await(sink.port(), clientPort, new TcpEnds(null, null)),
                    "the sink's end is gone after the bound");
            assertEquals(1, sink.idleCloses());
        }
    }

    @Test
    void aClientThatNeverSendsItsRequestIsResetAfterTheBound() throws IOException {
        SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 4, 1);
        try (SinkServer sink = SinkServer.start(c, IDLE_MILLIS); Socket silent = new Socket()) {
            silent.connect(sink.address(), 2000);
            silent.setSoTimeout(5000);
            long t0 = System.nanoTime();
            // An RST, not a FIN: nothing of the sink's stays behind in FIN_WAIT1 for a peer that is gone.
            assertThrows(SocketException.class, () -> silent.getInputStream().read(), "reset by the sink");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(millis >= IDLE_MILLIS - 20 && millis < 3_000, "reset after " + millis + " ms, bound " + IDLE_MILLIS);
            assertEquals(1, sink.idleCloses());
            assertEquals(0, sink.resets(), "an idle close is not counted as the client's reset");
        }
    }

    @Test
    void aClientThatTakesTheResponseButNeverClosesIsResetAfterTheBound() throws IOException {
        SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.CLIENT, 1, 2);
        try (SinkServer sink = SinkServer.start(c, IDLE_MILLIS); Socket s = new Socket()) {
            s.connect(sink.address(), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write('q');
            assertArrayEquals("rr".getBytes(), s.getInputStream().readNBytes(2));
            // The sink now waits for our FIN, which never comes (as if this host had gone away).
            assertThrows(SocketException.class, () -> s.getInputStream().read(), "reset by the sink");
            assertEquals(1, sink.idleCloses());
        }
    }

    @Test
    void aSlowClientThatKeepsSendingIsNotReset() throws Exception {
        int request = 8;
        SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS.withListeners(1), Closer.CLIENT, request, 1);
        try (SinkServer sink = SinkServer.start(c, IDLE_MILLIS); Socket s = new Socket()) {
            s.connect(sink.address(), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            // 8 bytes over about 1.4 s: well past the bound in all, each gap well under it.
            for (int i = 0; i < request; i++) {
                out.write('q');
                out.flush();
                Thread.sleep(IDLE_MILLIS / 2);
            }
            InputStream in = s.getInputStream();
            assertEquals('r', in.read(), "the response, not a reset");
            s.shutdownOutput();
            assertEquals(-1, in.read(), "the sink closes after our FIN");
            assertEquals(0, sink.idleCloses());
            assertEquals(0, sink.resets());
        }
    }

    @Test
    void aSocketHeldOpenOnPurposeIsNotReset() throws Exception {
        SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS, Closer.NEVER, 0, 0);
        try (SinkServer sink = SinkServer.start(c, IDLE_MILLIS); Socket s = new Socket()) {
            s.connect(sink.address(), 2000);
            s.setSoTimeout(4 * IDLE_MILLIS);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(),
                    "neither data, nor a FIN, nor an RST: NEVER holds it");
            assertEquals(0, sink.idleCloses());
            assertEquals(1, sink.held());
        }
    }
}
