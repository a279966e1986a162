package dev.churn.bench.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control channel's reads and received files, on real loopback sockets. */
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

    /**
     * A file cut short by its peer leaves nothing at its target: written straight to it, a client that dropped mid-file
     * left a summary.json of 38 bytes that read later as a broken run (QA, 2026-12-06).
     */
    @Test
    void aFileCutShortLeavesNothingAtItsTarget(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("summary.json");
        assertThrows(EOFException.class, () -> receive(target, 100_000, "{\"schema\":\"churn.run/1\", \"label\":\"half"));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "neither the file nor its temporary one");
        }
    }

    /** A link at the target is neither followed nor replaced: the file it points to keeps its bytes. */
    @Test
    void aLinkAtTheTargetIsNotFollowed(@TempDir Path dir) throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "mine\n");
        Path target = Files.createSymbolicLink(dir.resolve("summary.json"), victim);
        assertThrows(FileAlreadyExistsException.class, () -> receive(target, 6, "theirs"));
        assertEquals("mine\n", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(target));
    }

    // A peer sends a file's header saying `size` bytes, then `body`, then closes; this side receives it into target.
    private static void receive(Path target, long size, String body) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = Thread.ofVirtual().start(() -> {
                try (Socket s = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
                    OutputStream out = s.getOutputStream();
                    out.write((ControlProtocol.greeting() + "\n{\"type\":\"file\",\"name\":\"summary.json\",\"size\":" + size
                            + "}\n" + body).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    s.getInputStream().readNBytes(ControlProtocol.greeting().length() + 1);
                } catch (Exception e) {
                    // the other side closed first
                }
            });
            try (Socket accepted = listener.accept()) {
                ControlChannel ch = ControlChannel.accept(accepted, Duration.ofSeconds(5));
                ch.receiveFile(ch.expect(ControlProtocol.FILE), target);
            } finally {
                peer.join(5_000);
            }
        }
    }
}
