package dev.churn.bench.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.tls.ClientTls;
import dev.churn.bench.tls.ServerIdentity;
import dev.churn.bench.tls.ServerTls;
import dev.churn.bench.tls.TlsClientConfig;
import dev.churn.bench.tls.TlsKeyType;
import dev.churn.bench.tls.TlsVersion;
import dev.churn.monitor.KernelCounters;
import dev.churn.monitor.StateSources;
import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sink speaking the JDK's TLS, against a JDK TLS client on real loopback sockets. */
class TlsSinkTest {

    /** Made once: a key pair per test would only add time. */
    private static final ServerTls TLS = ServerTls.of(ServerIdentity.selfSigned(TlsKeyType.EC, List.of()), null,
            List.of(), List.of(), true);

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void answersTheRequestOverEachVersion(TlsVersion v) throws IOException {
        try (SinkServer sink = SinkServer.start(tlsSink(Closer.CLIENT, 3, 5));
             SSLSocket s = handshake(sink, v)) {
            assertEquals(v.protocol(), s.getSession().getProtocol());
            s.getOutputStream().write(new byte[] {1, 2, 3});
            assertArrayEquals("rrrrr".getBytes(), s.getInputStream().readNBytes(5));
            assertEquals(1, sink.accepted());
            assertEquals(0, sink.tlsFailures());
        }
    }

    /**
     * TIME_WAIT ends where it ends without TLS: on the client for CLIENT and HALF, on the server for
     * SERVER. The close_notify the second closer reads must not make it write into a socket the first
     * closer already closed (that RST would erase the TIME_WAIT).
     */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void clientCloserLeavesTimeWaitOnTheClient(TlsVersion v) throws IOException {
        closeAndCheck(v, Closer.CLIENT, new TcpEnds(TcpState.TIME_WAIT, null));
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void halfCloserLeavesTimeWaitOnTheClient(TlsVersion v) throws IOException {
        closeAndCheck(v, Closer.HALF, new TcpEnds(TcpState.TIME_WAIT, null));
    }

    @Test
    void serverCloserLeavesTimeWaitOnTheServer() throws IOException {
        closeAndCheck(TlsVersion.V1_3, Closer.SERVER, new TcpEnds(null, TcpState.TIME_WAIT));
    }

    /**
     * TLS 1.2 closes both ways at once: the JDK's client, reading the sink's close_notify, answers
     * and closes its socket by itself. The sink's FIN follows its close_notify by a system call, so
     * on a loaded machine the client's FIN can leave first, and TIME_WAIT lands on the client (seen
     * in 1 of 3 runs here). Either way exactly one side keeps it, and the sink sees nothing wrong.
     */
    @Test
    void serverCloserOver12LeavesOneTimeWait() throws IOException {
        KernelCounters before = KernelCounters.read(StateSources.DEFAULT_PROC_ROOT);
        try (SinkServer sink = SinkServer.start(tlsSink(Closer.SERVER, 1, 2))) {
            int clientPort;
            try (SSLSocket s = handshake(sink, TlsVersion.V1_2)) {
                clientPort = s.getLocalPort();
                s.getOutputStream().write(1);
                InputStream in = s.getInputStream();
                assertEquals(2, in.readNBytes(2).length);
                assertEquals(-1, in.read(), "the server's close_notify ends the stream");
            }
            TcpEnds onServer = new TcpEnds(null, TcpState.TIME_WAIT);
            TcpEnds onClient = new TcpEnds(TcpState.TIME_WAIT, null);
            TcpEnds ends = TcpEnds.awaitAny(sink.port(), clientPort, onServer, onClient);
            assumeFalse(!ends.equals(onServer) && !ends.equals(onClient) && TcpEnds.timeWaitOverflowSince(before),
                    "the kernel ran out of TIME_WAIT buckets meanwhile (other tests' churn)");
            assertTrue(ends.equals(onServer) || ends.equals(onClient), ends.toString());
            assertEquals(0, sink.resets() + sink.tlsFailures() + sink.idleCloses(), "nothing went wrong");
        }
    }

    private void closeAndCheck(TlsVersion v, Closer closer, TcpEnds want) throws IOException {
        KernelCounters before = KernelCounters.read(StateSources.DEFAULT_PROC_ROOT);
        try (SinkServer sink = SinkServer.start(tlsSink(closer, 1, 2))) {
            int clientPort;
            try (SSLSocket s = handshake(sink, v)) {
                clientPort = s.getLocalPort();
                s.getOutputStream().write(1);
                InputStream in = s.getInputStream();
                assertEquals(2, in.readNBytes(2).length);
                switch (closer) {
                    case SERVER -> {
                        assertEquals(-1, in.read(), "the server's close_notify ends the stream");
                        // The sink's FIN follows its close_notify by a system call: wait for it, as a
                        // client that reads to the end of the TCP stream would, and not close first on a
                        // loaded machine (which put the TIME_WAIT on the client once in a CI run).
                        TcpEnds finned = new TcpEnds(TcpState.CLOSE_WAIT, TcpState.FIN_WAIT2);
                        assertEquals(finned, TcpEnds.await(sink.port(), clientPort, finned), "the sink closes by itself");
                    }
                    case HALF -> {
                        s.shutdownOutput(); // close_notify and FIN; then read the server's
                        assertEquals(-1, in.read(), "the server answers our close_notify with its own");
                    }
                    default -> {
                        // CLIENT: close_notify and FIN first
                    }
                }
            }
            TcpEnds ends = TcpEnds.await(sink.port(), clientPort, want);
            assumeFalse(!ends.equals(want) && TcpEnds.timeWaitOverflowSince(before),
                    "the kernel ran out of TIME_WAIT buckets meanwhile (other tests' churn)");
            assertEquals(want, ends, "client and server ends after " + closer + " over " + v.label());
            assertEquals(0, sink.resets() + sink.tlsFailures() + sink.idleCloses(), "nothing went wrong");
        }
    }

    @Test
    void abortIsACountedResetWithoutTimeWait() throws IOException {
        try (SinkServer sink = SinkServer.start(tlsSink(Closer.ABORT, 0, 1))) {
            Socket raw = new Socket();
            raw.connect(sink.address(), 2000);
            int clientPort = raw.getLocalPort();
            SSLSocket s = layer(raw, sink, TlsVersion.V1_3);
            s.startHandshake();
            assertEquals('r', s.getInputStream().read());
            raw.setSoLinger(true, 0);
            raw.close(); // RST, under TLS: the sink reads no close_notify, only the reset
            awaitAtLeast(sink::resets, 1);
            assertEquals(1, sink.resets());
            assertEquals(new TcpEnds(null, null), TcpEnds.await(sink.port(), clientPort, new TcpEnds(null, null)));
        }
    }

    @Test
    void neverHoldsTheTlsSocketsUntilCloseReleasesThem() throws IOException {
        SinkServer sink = SinkServer.start(tlsSink(Closer.NEVER, 0, 1));
        List<SSLSocket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                SSLSocket s = handshake(sink, TlsVersion.V1_3);
                clients.add(s);
                assertEquals('r', s.getInputStream().read());
            }
            awaitAtLeast(sink::held, 3);
            assertEquals(3, sink.held());
            long t0 = System.nanoTime();
            sink.close();
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "close is prompt");
            assertEquals(0, sink.held());
            for (SSLSocket s : clients) {
                assertEquals(-1, s.getInputStream().read(), "closing the sink releases every held socket");
            }
        } finally {
            sink.close();
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    @Test
    void aPlainTcpClientIsACountedTlsFailureAndTheNextTlsClientIsServed() throws IOException {
        try (SinkServer sink = SinkServer.start(tlsSink(Closer.CLIENT, 0, 1))) {
            try (Socket plain = new Socket()) {
                plain.connect(sink.address(), 2000);
                plain.setSoTimeout(5000);
                plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                InputStream in = plain.getInputStream();
                int first = in.read();
                assertEquals(21, first, "a TLS alert record (content type 21) is all the sink answers");
                while (readOrReset(in) >= 0) {
                    // the rest of the alert, then the sink's FIN: it hangs up, it does not hang
                }
            }
            awaitAtLeast(sink::tlsFailures, 1);
            assertEquals(1, sink.tlsFailures());
            try (SSLSocket s = handshake(sink, TlsVersion.V1_2)) {
                assertEquals('r', s.getInputStream().read());
            }
            assertEquals(1, sink.tlsFailures());
            assertEquals(2, sink.accepted());
        }
    }

    @Test
    void aSilentClientIsResetAfterTheIdleBound() throws IOException {
        try (SinkServer sink = SinkServer.start(tlsSink(Closer.CLIENT, 0, 0), 200); Socket silent = new Socket()) {
            silent.connect(sink.address(), 2000); // never sends a ClientHello
            silent.setSoTimeout(5000);
            // An RST, not a FIN: nothing of the sink's stays behind in FIN_WAIT1 for a peer that is gone.
            assertThrows(SocketException.class, () -> silent.getInputStream().read(), "reset by the sink");
            awaitAtLeast(sink::idleCloses, 1);
            assertEquals(1, sink.idleCloses());
            assertEquals(0, sink.tlsFailures());
        }
    }

    /**
     * A client that takes nothing of the response is reset after the bound, as the epoll sink resets it: a write has
     * no SO_TIMEOUT, and the serving thread waited in it for as long as the client stayed (34 s past a 30 s bound in
     * churn serve --tls --response 16777216, 2026-12-07, while the plain sink reset the same client at 30 s).
     */
    @Test
    void aClientThatTakesNothingOfTheResponseIsResetAfterTheIdleBound() throws IOException {
        try (SinkServer sink = SinkServer.start(tlsSink(Closer.CLIENT, 0, 8 << 20), 200); Socket raw = new Socket()) {
            raw.setReceiveBufferSize(4096);
            raw.connect(sink.address(), 2000);
            SSLSocket s = layer(raw, sink, TlsVersion.V1_3);
            s.startHandshake(); // then reads nothing: 8 MiB fill both buffers, and the sink's write waits
            awaitAtLeast(sink::idleCloses, 1);
            assertEquals(1, sink.idleCloses(), "the stalled write is reset after the bound");
            assertEquals(0, sink.resets(), "an idle close is not counted as the client's reset");
            assertEquals(new TcpEnds(null, null), TcpEnds.await(sink.port(), raw.getLocalPort(), new TcpEnds(null, null)),
                    "the sink's end is gone");
        }
    }

    @Test
    void closeWakesTheServingThreadsOfSilentClientsPromptly() throws IOException {
        SinkServer sink = SinkServer.start(tlsSink(Closer.CLIENT, 0, 0));
        try (Socket silent = new Socket()) {
            silent.connect(sink.address(), 2000); // the sink waits in its handshake's read
            awaitAtLeast(sink::accepted, 1);
            long t0 = System.nanoTime();
            sink.close();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 2_000, "close took " + millis + " ms");
            assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(
                    t -> t.getName().startsWith("churn-sink-" + sink.port() + "-")), "serving thread ended");
            silent.setSoTimeout(2000);
            assertEquals(-1, readOrReset(silent.getInputStream()));
            assertEquals(0, sink.tlsFailures() + sink.resets(), "the sink's own close is not a client's fault");
        }
        try (java.nio.channels.ServerSocketChannel again = java.nio.channels.ServerSocketChannel.open()) {
            again.bind(sink.address()); // every listener is closed
        }
    }

    @Test
    void theObserverHearsTheAcceptBeforeAnyHandshake() throws IOException {
        Set<Integer> heard = ConcurrentHashMap.newKeySet();
        SinkConfig c = tlsSink(Closer.CLIENT, 0, 0).withAcceptObserver((port, nanos) -> heard.add(port));
        try (SinkServer sink = SinkServer.start(c); Socket s = new Socket()) {
            s.connect(sink.address(), 2000); // TCP only: no ClientHello yet
            awaitAtLeast(sink::accepted, 1);
            assertEquals(Set.of(s.getLocalPort()), heard);
        }
    }

    /** On ::1 too: the self-signed certificate names it, and the client checks the name it dialled. */
    @Test
    void servesTlsOnIpv6Loopback() throws IOException {
        SinkConfig c = SinkConfig.loopback(SocketConfig.DEFAULTS.withListeners(1).withIpv6(true), Closer.CLIENT, 0, 1).withTls(TLS);
        try (SinkServer sink = SinkServer.start(c); SSLSocket s = handshake(sink, TlsVersion.V1_3)) {
            assertEquals("0:0:0:0:0:0:0:1", sink.address().getAddress().getHostAddress());
            assertEquals('r', s.getInputStream().read());
        }
    }

    @Test
    void severalTlsListenersShareOnePort() throws IOException {
        SinkConfig c = tlsSink(Closer.CLIENT, 0, 1);
        c = new SinkConfig(c.bindAddress(), 0, SocketConfig.DEFAULTS.withListeners(2), Closer.CLIENT, 0, 1, null, TLS, false);
        try (SinkServer sink = SinkServer.start(c)) {
            assertEquals(2, sink.listeners());
            for (int i = 0; i < 6; i++) {
                try (SSLSocket s = handshake(sink, TlsVersion.V1_3)) {
                    assertEquals('r', s.getInputStream().read());
                }
            }
            assertEquals(6, sink.accepted());
        }
    }

    /** Another TLS stack than the JDK's completes a handshake with the sink: OpenSSL's s_client. */
    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void opensslCompletesAHandshake(TlsVersion v) throws Exception {
        Path openssl = Stream.of("/usr/bin/openssl", "/bin/openssl").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        assumeTrue(openssl != null, "openssl is not installed (Debian package openssl)");
        try (SinkServer sink = SinkServer.start(tlsSink(Closer.CLIENT, 0, 0))) {
            Process p = new ProcessBuilder(openssl.toString(), "s_client", "-connect", "127.0.0.1:" + sink.port(),
                    v == TlsVersion.V1_3 ? "-tls1_3" : "-tls1_2", "-brief").redirectErrorStream(true).start();
            p.getOutputStream().close(); // end of input: s_client says goodbye after the handshake
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "s_client ended");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("CONNECTION ESTABLISHED") && out.contains("Protocol version: " + v.protocol()), out);
            awaitAtLeast(sink::accepted, 1);
            assertEquals(0, sink.tlsFailures(), out);
        }
    }

    static SinkConfig tlsSink(Closer closer, int request, int response) {
        return SinkConfig.loopback(SocketConfig.DEFAULTS.withListeners(1), closer, request, response).withTls(TLS);
    }

    static SSLSocket handshake(SinkServer sink, TlsVersion v) throws IOException {
        Socket raw = new Socket();
        raw.connect(sink.address(), 2000);
        SSLSocket s = layer(raw, sink, v);
        s.startHandshake();
        return s;
    }

    private static SSLSocket layer(Socket raw, SinkServer sink, TlsVersion v) throws IOException {
        raw.setSoTimeout(5000);
        return ClientTls.of(TlsClientConfig.of(v), sink.config().tls().certificate()).layer(raw, sink.address());
    }

    /** -1 for the sink's FIN or RST: either way it hung up. */
    static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException e) {
            return -1;
        }
    }

    static void awaitAtLeast(LongSupplier value, long want) {
        for (int i = 0; i < 300 && value.getAsLong() < want; i++) {
            LockSupport.parkNanos(10_000_000);
        }
    }
}
