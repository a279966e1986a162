package dev.churn.bench.engine;

import dev.churn.bench.config.Closer;
import dev.churn.bench.tls.ServerIdentity;
import dev.churn.bench.tls.ServerTls;
import dev.churn.bench.tls.TlsKeyType;
import java.io.ByteArrayOutputStream;
import dev.churn.monitor.CleanPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;

/**
 * A small real server for the TLS and HTTP tests: the JDK's SSLSocket (ServerTls) over a loopback
 * ServerSocket, or plain TCP, a virtual thread per connection. It reads the request ({@code
 * requestBytes}, or an HTTP head), answers ({@code responseBytes}, or an HTTP response: 200 for
 * "/", 404 otherwise), then closes first (closer SERVER: close_notify and FIN) or waits for the
 * client's end and closes the TCP socket without answering a close_notify (as the built-in sink
 * does: an answer to a client that has closed would be reset, losing the client's TIME_WAIT).
 */
final class TlsTestServer implements AutoCloseable {

    /** What the server does with each connection. */
    record Behaviour(int requestBytes, int responseBytes, boolean http, Closer closer) {}

    private static final ServerTls TLS = ServerTls.of(ServerIdentity.selfSigned(TlsKeyType.EC, List.of()), null, List.of(), List.of(), true);

    private final ServerSocket listener;
    private final ServerTls tls;
    private final Behaviour behaviour;
    private final Thread acceptor;
    final AtomicLong handshakes = new AtomicLong();
    final AtomicLong served = new AtomicLong();
    /** The client port of every connection accepted. */
    final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    private TlsTestServer(ServerTls tls, Behaviour behaviour) throws IOException {
        // A port no earlier connection still uses (CleanPort): the tests count the TIME_WAITs on it,
        // and a port the kernel hands out may still carry an earlier test's (293 once, in CI's run).
        this.listener = CleanPort.bind(() -> new ServerSocket(0, 256, InetAddress.getLoopbackAddress()),
                ServerSocket::getLocalPort, 1, CleanPort.GiveUp.FAIL);
        this.tls = tls;
        this.behaviour = behaviour;
        this.acceptor = Thread.ofVirtual().name("tls-test-acceptor").start(this::acceptLoop);
    }

    /** A TLS server speaking 1.2 and 1.3 with a self-signed EC certificate. */
    static TlsTestServer tls(Behaviour b) throws IOException {
        return new TlsTestServer(TLS, b);
    }

    /** The same server without TLS. */
    static TlsTestServer plain(Behaviour b) throws IOException {
        return new TlsTestServer(null, b);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                clientPorts.add(s.getPort());
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket raw) {
        try (raw) {
            raw.setSoTimeout(5_000);
            Socket io = raw;
            if (tls != null) {
                SSLSocket ssl = tls.layer(raw);
                ssl.startHandshake();
                handshakes.incrementAndGet();
                io = ssl;
            }
            InputStream in = io.getInputStream();
            OutputStream out = io.getOutputStream();
            if (behaviour.http()) {
                String path = requestPath(in);
                byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
                String head = path.equals("/")
                        ? "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n"
                        : "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                if (path.equals("/")) {
                    out.write(body);
                }
            } else {
                in.readNBytes(behaviour.requestBytes());
                out.write(new byte[behaviour.responseBytes()]);
            }
            out.flush();
            served.incrementAndGet();
            if (behaviour.closer() == Closer.SERVER) {
                // close_notify alone, then the FIN, as openssl and nginx close: SSLSocket.close()
                // would send user_canceled first (TLS 1.3), which a JDK client answers.
                io.shutdownOutput();
                return;
            }
            byte[] sink = new byte[512];
            while (in.read(sink) >= 0) {
                // to the client's close_notify or FIN
            }
            // Then to its FIN, unanswered: closing before it arrives would make this side close first.
            InputStream tcp = raw.getInputStream();
            while (tcp.read(sink) >= 0) {
                // nothing is expected after the close_notify
            }
        } catch (IOException e) {
            // a reset (abort), a failed handshake: the client counts it
        }
    }

    /** The path of the request line, after reading the head to its blank line. */
    private static String requestPath(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        int matched = 0;
        while (matched < 4 && head.size() < 8192 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String line = head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
        String[] parts = line.split(" ");
        return parts.length >= 2 ? parts[1] : "";
    }

    @Override
    public void close() throws IOException {
        listener.close();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
