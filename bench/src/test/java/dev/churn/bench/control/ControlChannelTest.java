package dev.churn.bench.control;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The control channel's reads, on real loopback sockets. */
class ControlChannelTest {

    /**
     * A peer that sends its line a byte at a time, each well inside the read timeout, fails once the whole line has
     * taken longer than it: a byte a second held a socket and a thread for hours with a 64 KiB line (QA, 2026-12-06).
     */
    @Test
    void aLineSentAByteAtATimeMustArriveWithinTheTimeout() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread slow = Thread.ofVirtual().start(() -> {
                try (Socket s = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
                    OutputStream out = s.getOutputStream();
                    out.write((ControlProtocol.greeting() + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    for (byte b : "{\"type\":\"hello\",\"label\":\"slowly\"}".getBytes(StandardCharsets.US_ASCII)) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (Exception e) {
                    // the server gave up on it: what the test wants
                }
            });
            try (Socket accepted = listener.accept()) {
                ControlChannel ch = ControlChannel.accept(accepted, Duration.ofMillis(400));
                long t0 = System.nanoTime();
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> ch.expect(ControlProtocol.HELLO));
                long took = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(e.getMessage().endsWith("took longer than 400 ms to send a whole message"), e.getMessage());
                // Each byte came 50 ms apart: a per-read timeout alone would have waited out the whole 1.7 s line.
                assertTrue(took < 1_200, took + " ms");
            }
            slow.join(5_000);
        }
    }
}
