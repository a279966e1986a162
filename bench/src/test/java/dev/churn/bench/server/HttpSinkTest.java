package dev.churn.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.tls.TlsVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The sink's HTTP/1.1, in the epoll sink and over TLS: a request head in, a minimal 200 out. */
class HttpSinkTest {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\nContent-Length: (\\d+)\r\n");

    /** The head arrives in pieces (the blank line itself split across reads): the sink answers once it is whole. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void answersAHeadSplitAcrossReadsWithAValid200(boolean tls) throws IOException {
        try (SinkServer sink = SinkServer.start(http(tls, Closer.SERVER, 7));
             Socket s = connect(sink, tls)) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            LockSupport.parkNanos(50_000_000);
            assertEquals(0, in.available(), "no answer before the blank line is whole");
            out.write('\n');
            out.flush();
            byte[] all = readToEnd(in);
            String text = new String(all, StandardCharsets.US_ASCII);
            assertTrue(text.startsWith("HTTP/1.1 200 OK\r\n"), text);
            int headEnd = text.indexOf("\r\n\r\n") + 4;
            Matcher m = CONTENT_LENGTH.matcher(text.substring(0, headEnd));
            assertTrue(m.find(), text);
            assertEquals(7, Integer.parseInt(m.group(1)));
            assertEquals(7, all.length - headEnd, "exactly Content-Length bytes of body, then the server's close");
            assertTrue(text.contains("\r\nConnection: close\r\n"), text);
        }
    }

    /** With HTTP the request's size is its head's, not --request: a head shorter than requestBytes is answered. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theHeadNotRequestBytesEndsTheRequest(boolean tls) throws IOException {
        SinkConfig c = new SinkConfig(null, 0, SocketConfig.DEFAULTS.withListeners(1), Closer.CLIENT, 100_000, 0, null,
                tls ? TlsSinkTest.tlsSink(Closer.CLIENT, 0, 0).tls() : null, true);
        try (SinkServer sink = SinkServer.start(c); Socket s = connect(sink, tls)) {
            s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String head = new String(s.getInputStream().readNBytes(
                    HttpHead.response(0).length), StandardCharsets.US_ASCII);
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"), head);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anOverLongHeadIsACountedReset(boolean tls) throws IOException {
        try (SinkServer sink = SinkServer.start(http(tls, Closer.CLIENT, 1)); Socket s = connect(sink, tls)) {
            byte[] line = new byte[HttpHead.MAX_BYTES + 100];
            Arrays.fill(line, (byte) 'a');
            try {
                s.getOutputStream().write(line);
                s.getOutputStream().flush();
            } catch (IOException resetWhileWriting) {
                // the sink may hang up before the last bytes are out
            }
            assertEquals(-1, TlsSinkTest.readOrReset(s.getInputStream()), "no answer: the connection is closed");
            TlsSinkTest.awaitAtLeast(sink::resets, 1);
            assertEquals(1, sink.resets());
        }
    }

    /** The closers behave as without HTTP: CLIENT waits for the client's FIN after the answer. */
    @ParameterizedTest
    @EnumSource(value = Closer.class, names = {"CLIENT", "HALF"})
    void clientFirstClosersWaitForTheClientsFin(Closer closer) throws IOException {
        try (SinkServer sink = SinkServer.start(http(false, closer, 3)); Socket s = connect(sink, false)) {
            s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            int size = HttpHead.response(3).length;
            assertEquals(size, s.getInputStream().readNBytes(size).length);
            s.setSoTimeout(200);
            assertThrowsTimeout(s.getInputStream());
            s.setSoTimeout(2000);
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read(), "the sink closes after our FIN");
        }
    }

    private static void assertThrowsTimeout(InputStream in) throws IOException {
        try {
            int b = in.read();
            throw new AssertionError("the sink must not close first, read " + b);
        } catch (java.net.SocketTimeoutException expected) {
            // still open: waiting for our FIN
        }
    }

    private static SinkConfig http(boolean tls, Closer closer, int body) {
        SinkConfig c = tls ? TlsSinkTest.tlsSink(closer, 0, body)
                : SinkConfig.loopback(SocketConfig.DEFAULTS.withListeners(1), closer, 0, body);
        return c.withHttp(true);
    }

    private static Socket connect(SinkServer sink, boolean tls) throws IOException {
        if (tls) {
            return TlsSinkTest.handshake(sink, TlsVersion.V1_3);
        }
        Socket s = new Socket();
        s.connect(sink.address(), 2000);
        s.setSoTimeout(5000);
        return s;
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) >= 0; ) {
            all.write(buf, 0, n);
        }
        return all.toByteArray();
    }
}
