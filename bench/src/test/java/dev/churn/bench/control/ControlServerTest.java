package dev.churn.bench.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control channel on real loopback sockets: greetings, versions, refusals, the start timeout, the clock. */
class ControlServerTest {

    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration SHORT = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    /** What the server said, in order. */
    static final class Heard implements SessionListener {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void refused(String peer, String reason) {
            lines.add("refused " + reason);
        }

        @Override
        public void cancelled(String reason) {
            lines.add("cancelled " + reason);
        }

        @Override
        public void joined(Member m, int joined, int expected) {
            lines.add("joined " + m.label() + " " + joined + "/" + expected);
        }

        @Override
        public void lost(Member m) {
            lines.add("lost " + m.label());
        }
    }

    @Test
    void aPortThatAnswersSomethingElseIsNotChurns() throws Exception {
        try (ServerSocket web = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answer(web, "HTTP/1.1 400 Bad Request\r\n\r\n"));
            ControlProtocolException e = assertThrows(ControlProtocolException.class,
                    () -> JoinClient.join(address(web), "c", 1, SHORT, SHORT));
            assertTrue(e.getMessage().contains("is not churn's control port: it answered 'HTTP/1.1 400 Bad Request"), e.getMessage());
        }
    }

    @Test
    void aSilentPortIsNotChurnsEither() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ControlProtocolException e = assertThrows(ControlProtocolException.class,
                    () -> JoinClient.join(address(silent), "c", 1, SHORT, Duration.ofMillis(300)));
            assertTrue(e.getMessage().contains("is not churn's control port: it said nothing"), e.getMessage());
        }
    }

    @Test
    void aServerOfAnotherVersionIsRefusedByTheClient() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answer(other, ControlProtocol.GREETING + " 99\n"));
            ControlProtocolException e = assertThrows(ControlProtocolException.class,
                    () -> JoinClient.join(address(other), "c", 1, SHORT, SHORT));
            assertEquals(ControlChannel.hostPort(address(other)) + " speaks churn control protocol 99, this churn speaks "
                    + ControlProtocol.VERSION + ": run the same churn version on both sides", e.getMessage());
        }
    }

    @Test
    void aClientOfAnotherVersionIsRefusedByTheServer() throws Exception {
        Heard heard = new Heard();
        try (ControlServer server = ControlServer.start(ANY_LOOPBACK, new ControlServer.Settings(0, tmp), heard);
                Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.getOutputStream().write((ControlProtocol.GREETING + " 99\n").getBytes(StandardCharsets.US_ASCII));
            String greeting = new String(s.getInputStream().readNBytes(ControlProtocol.greeting().length() + 1), StandardCharsets.US_ASCII);
            assertEquals(ControlProtocol.greeting() + "\n", greeting);
            assertEquals(-1, s.getInputStream().read(), "the server closes on a version it does not speak");
            poll(() -> heard.lines.stream().anyMatch(l -> l.contains("speaks churn control protocol 99")), heard.lines::toString);
        }
    }

    /** The server names what it expected: a join client, not "churn's control port" (the client's words). */
    @Test
    void aClientThatIsNotChurnIsRefusedInTheServersWords() throws Exception {
        Heard heard = new Heard();
        try (ControlServer server = ControlServer.start(ANY_LOOPBACK, new ControlServer.Settings(0, tmp), heard);
                Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readNBytes(ControlProtocol.greeting().length() + 1);
            assertEquals(-1, s.getInputStream().read(), "the server closes on a peer that does not greet");
            poll(() -> !heard.lines.isEmpty(), heard.lines::toString);
            String refusal = heard.lines.getFirst();
            assertTrue(refusal.endsWith(" is not a 'churn run --join' client: it sent 'GET / HTTP/1.1'"), refusal);
        }
    }

    @Test
    void aClientWithAnotherSessionSizeIsRefusedInOneLine() throws Exception {
        Heard heard = new Heard();
        try (ControlServer server = ControlServer.start(ANY_LOOPBACK, new ControlServer.Settings(3, tmp), heard)) {
            JoinClient.Refused e = assertThrows(JoinClient.Refused.class, () -> JoinClient.join(server.address(), "c", 2, SHORT, SHORT));
            assertTrue(e.getMessage().endsWith("refused this client: this server runs sessions of --clients 3, and this client says 2"),
                    e.getMessage());
            // Its own option at fault: bad input on its side (exit 2), as a --response that differs is; it was exit 1.
            assertTrue(e.terms());
        }
    }

    /** Not every client came: the session is cancelled at its start timeout, and those waiting hear who was missing. */
    @Test
    void theStartTimeoutCancelsTheSessionSayingWhoWasMissing() throws Exception {
        Heard heard = new Heard();
        try (ControlServer server = ControlServer.start(ANY_LOOPBACK, new ControlServer.Settings(0, tmp), heard);
                JoinClient one = JoinClient.join(server.address(), "first", 2, Duration.ofMillis(400), SHORT)) {
            assertEquals(new JoinClient.Welcome("first", 1, 2), one.welcome());
            JoinClient.Refused e = assertThrows(JoinClient.Refused.class, () -> one.awaitStart(SHORT));
            assertTrue(e.getMessage().endsWith("cancelled the start: 1 of 2 clients ready in 0.4 s (first from 127.0.0.1); missing: "
                    + "1 client never joined"), e.getMessage());
            assertTrue(server.awaitSessions(1, SHORT));
            assertEquals(1, server.failedSessions());
            assertTrue(heard.lines.contains("cancelled " + e.getMessage().substring(e.getMessage().indexOf("1 of 2"))), heard.lines::toString);
        }
    }

    /**
     * A client that joined but has not said a word since (it is warming up) is sent the cancellation
     * as it happens. It reads the reason once it asks, after the server has gone, and the server
     * does not count it lost.
     */
    @Test
    void aClientStillWarmingUpFindsTheReasonItsSessionWasCancelledAfterTheServerHasGone() throws Exception {
        Heard heard = new Heard();
        ControlServer server = ControlServer.start(ANY_LOOPBACK, new ControlServer.Settings(2, tmp), heard);
        try (JoinClient warming = JoinClient.join(server.address(), "warming", 2, Duration.ofMillis(300), SHORT)) {
            assertTrue(server.awaitSessions(1, SHORT), "the session ends at its start timeout, told or not");
            assertEquals(1, server.failedSessions());
            server.close();
            JoinClient.Refused e = assertThrows(JoinClient.Refused.class, () -> warming.awaitStart(SHORT));
            assertTrue(e.getMessage().endsWith("cancelled the start: 0 of 2 clients ready in 0.3 s; missing: warming from 127.0.0.1 "
                    + "joined but was not ready, 1 client never joined"), e.getMessage());
            assertEquals(List.of("joined warming 1/2", "cancelled " + e.getMessage().substring(e.getMessage().indexOf("0 of 2"))),
                    heard.lines);
        } finally {
            server.close();
        }
    }

    /** A server stopped while clients wait: they hear the session is cancelled, and closing does not wait out a timeout. */
    @Test
    void aServerStoppedBeforeTheStartCancelsTheWaitingClients() throws Exception {
        Heard heard = new Heard();
        ControlServer server = ControlServer.start(ANY_LOOPBACK, new ControlServer.Settings(2, tmp), heard);
        try (JoinClient one = JoinClient.join(server.address(), "waiting", 0, Duration.ofSeconds(60), SHORT)) {
            one.synchronize();
            Thread closer = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                server.close();
            });
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> one.awaitStart(SHORT));
            assertTrue(e.getMessage().contains("the server stopped before the session started")
                    || e.getMessage().contains("closed the control channel"), e.getMessage());
            closer.join(SHORT.toMillis());
            assertTrue(System.nanoTime() - t0 < SHORT.toNanos(), "closing waited for nothing");
            assertTrue(heard.lines.contains("cancelled the server stopped before the session started"), heard.lines::toString);
        } finally {
            server.close();
        }
    }

    /** Two clients that joined are started at one instant, ahead by the lead; a late joiner of a running session is refused. */
    @Test
    void readyClientsGetOneStartAndLateJoinersAreRefused() throws Exception {
        Heard heard = new Heard();
        try (ControlServer server = ControlServer.start(ANY_LOOPBACK, new ControlServer.Settings(2, tmp), heard);
                JoinClient a = JoinClient.join(server.address(), "same", 0, SHORT, SHORT);
                JoinClient b = JoinClient.join(server.address(), "same", 0, SHORT, SHORT)) {
            // Two clients with one label are both kept: the second is renamed.
            assertEquals("same", a.welcome().label());
            assertEquals("same-2", b.welcome().label());
            long[] starts = new long[2];
            Thread other = Thread.ofVirtual().start(() -> {
                try {
                    starts[1] = b.awaitStart(SHORT);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            long before = EpochClock.nanos();
            starts[0] = a.awaitStart(SHORT);
            other.join(SHORT.toMillis());
            assertEquals(starts[0], starts[1]);
            assertTrue(starts[0] - before >= Session.LEAD.toNanos() / 2, () -> "the start lies ahead: " + (starts[0] - before));
            // Same machine, same clock: the measured offset is within the round trip.
            assertTrue(Math.abs(a.clock().offsetNanos()) <= a.clock().rttNanos(), a.clock()::toString);
            JoinClient.Refused late = assertThrows(JoinClient.Refused.class, () -> JoinClient.join(server.address(), "late", 0, SHORT, SHORT));
            assertTrue(late.getMessage().contains("a session of 2 clients is already running"), late.getMessage());
        }
    }

    /**
     * A client killed while ready (waiting for the others) frees its place: the session starts with the two that
     * came after it. Unwatched, it still counted as ready, the session started with it, and the third was refused.
     */
    @Test
    void aReadyClientThatGoesAwayBeforeTheStartFreesItsPlace() throws Exception {
        Heard heard = new Heard();
        try (ControlServer server = ControlServer.start(ANY_LOOPBACK, new ControlServer.Settings(2, tmp), heard)) {
            JoinClient gone = JoinClient.join(server.address(), "gone", 2, SHORT, SHORT);
            // Ready (it said so), then gone while it waited: no start came, for the other never joined.
            assertThrows(IOException.class, () -> gone.awaitStart(Duration.ofMillis(300)));
            assertTrue(heard.lines.contains("joined gone 1/2") && !heard.lines.contains("lost gone"), heard.lines::toString);
            gone.close();
            poll(() -> heard.lines.contains("lost gone"), heard.lines::toString);
            try (JoinClient b = JoinClient.join(server.address(), "b", 2, SHORT, SHORT);
                    JoinClient c = JoinClient.join(server.address(), "c", 2, SHORT, SHORT)) {
                // Its index counts the client lost before it; how many had joined does not: "2 of 2", not "3 of 2".
                assertEquals(new JoinClient.Welcome("c", 3, 2, 2), c.welcome());
                long[] starts = bothStart(b, c);
                assertEquals(starts[0], starts[1]);
            }
            assertTrue(heard.lines.stream().noneMatch(l -> l.startsWith("cancelled")), heard.lines::toString);
        }
    }

    /**
     * The first client lost before the start (here while warming up), then two others: the session starts with them
     * and stays started. A second deciding thread, one per first client, found the session started by the other,
     * took it for cancelled and cancelled it ("session cancelled: null").
     */
    @Test
    void aFirstClientLostBeforeTheStartLeavesOneSessionThatStarts() throws Exception {
        Heard heard = new Heard();
        try (ControlServer server = ControlServer.start(ANY_LOOPBACK, new ControlServer.Settings(2, tmp), heard)) {
            joinAndLeave(server, heard, "warming");
            try (JoinClient x = JoinClient.join(server.address(), "x", 2, SHORT, SHORT);
                    JoinClient y = JoinClient.join(server.address(), "y", 2, SHORT, SHORT)) {
                long[] starts = bothStart(x, y);
                assertEquals(starts[0], starts[1]);
                // The other thread, had there been one, cancelled at once, and said so once the clients not ready had
                // been told (at most 2 s: Session.awaitTold).
                Thread.sleep(2_500);
                assertTrue(heard.lines.stream().noneMatch(l -> l.startsWith("cancelled")), heard.lines::toString);
                assertEquals(0, server.failedSessions());
            }
        }
    }

    /**
     * A server without --clients, whose only client leaves before the start (Ctrl-C while it waited for another): the
     * next client's session starts. A session of 0 clients started instead, never ended, and refused every client
     * after it (QA, 2026-12-06).
     */
    @Test
    void aServerWithoutClientsWhoseOnlyClientLeftStartsTheNextOnesSession() throws Exception {
        Heard heard = new Heard();
        try (ControlServer server = ControlServer.start(ANY_LOOPBACK, new ControlServer.Settings(0, tmp), heard)) {
            joinAndLeave(server, heard, "gone");
            assertASessionOfOneStarts(server);
        }
    }

    /**
     * A server whose only client left before the start (Ctrl-C while it waited for another) stops at once, with no
     * session counted: it waited out its 25 s for a session nothing would ever end, and 'churn serve' took 25.4 s to
     * exit after Ctrl-C (QA, 2026-12-07).
     */
    @Test
    void aServerWhoseOnlyClientLeftBeforeTheStartStopsAtOnce() throws Exception {
        Heard heard = new Heard();
        ControlServer server = ControlServer.start(ANY_LOOPBACK, new ControlServer.Settings(2, tmp), heard);
        joinAndLeave(server, heard, "gone");
        long t0 = System.nanoTime();
        server.close();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(millis < ControlServer.FINISH_WAIT.toMillis() / 5, "close() took " + millis + " ms");
        assertEquals(0, server.sessions(), heard.lines::toString);
        assertEquals(0, server.failedSessions(), heard.lines::toString);
    }

    /**
     * The same, with the server stopped as soon as the client's leaving is heard, many times: its session's deciding
     * thread, notified that the last client left, may not have woken yet, and the stop then counted a cancelled
     * session no client was in (ControlServerTest beside two busy loops, 2026-12-07).
     */
    @Test
    void aStopRightAfterTheOnlyClientLeftCountsNoSession() throws Exception {
        List<String> counted = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Heard heard = new Heard();
            ControlServer server = ControlServer.start(ANY_LOOPBACK, new ControlServer.Settings(2, tmp), heard);
            joinAndLeave(server, heard, "gone");
            server.close();
            if (server.sessions() != 0 || server.failedSessions() != 0) {
                counted.add(i + ": " + heard.lines);
            }
        }
        assertEquals(List.of(), counted);
    }

    /**
     * A hello whose start timeout overflows nanoseconds (anything can reach the port) is refused in one line, and the
     * server goes on: the deciding thread died of it, and every client after was refused for good (QA, 2026-12-06).
     */
    @Test
    void anAbsurdStartTimeoutIsRefusedAndTheServerGoesOn() throws Exception {
        Heard heard = new Heard();
        try (ControlServer server = ControlServer.start(ANY_LOOPBACK, new ControlServer.Settings(0, tmp), heard)) {
            JoinClient.Refused e = assertThrows(JoinClient.Refused.class,
                    () -> JoinClient.join(server.address(), "absurd", 1, Duration.ofMillis(Long.MAX_VALUE), SHORT));
            assertTrue(e.getMessage().endsWith("its start timeout of " + Long.MAX_VALUE + " ms is more than a session waits"
                    + " (a day)"), e.getMessage());
            assertASessionOfOneStarts(server);
        }
    }

    /**
     * The names a client's files may have are the ones churn writes: a states file's host is a label. "states-.+" took a
     * NUL byte (Path.resolve threw on the client's thread), an ESC or a right-to-left override (QA, 2026-12-06).
     */
    @Test
    void aResultsFileNameIsOneChurnWrites() {
        for (String ok : List.of("summary.json", "latency.hlog", "states.csv", "states-host-2.csv", "connect.hgrm",
                "join.json")) {
            assertTrue(ControlServer.acceptable(ok), ok);
        }
        for (String bad : List.of("states-\u0000.csv", "states-\u001b]0;x\u0007.csv", "states-\u202egnp.csv", "states-.csv",
                "states-a/b.csv", "states-" + "a".repeat(121) + ".csv", ".summary.json", "notes.txt")) {
            assertFalse(ControlServer.acceptable(bad), bad);
        }
    }

    /** A client of a session of 2 joins and leaves before the start, and the server has heard it lost. */
    private static void joinAndLeave(ControlServer server, Heard heard, String label) throws Exception {
        JoinClient.join(server.address(), label, 2, SHORT, SHORT).close();
        poll(() -> heard.lines.contains("lost " + label), heard.lines::toString);
    }

    /** A client of a session of 1 joins the server and is given its start: the server still runs sessions. */
    private static void assertASessionOfOneStarts(ControlServer server) throws IOException {
        try (JoinClient solo = JoinClient.join(server.address(), "solo", 1, SHORT, SHORT)) {
            solo.synchronize();
            assertTrue(solo.awaitStart(SHORT) > 0);
        }
    }

    /** Both clients synchronize and wait for their start; the instants each was given. */
    private static long[] bothStart(JoinClient one, JoinClient two) throws Exception {
        long[] starts = new long[2];
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                two.synchronize();
                starts[1] = two.awaitStart(SHORT);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        one.synchronize();
        starts[0] = one.awaitStart(SHORT);
        other.join(SHORT.toMillis());
        return starts;
    }

    private static void answer(ServerSocket s, String reply) {
        try (Socket c = s.accept(); OutputStream out = c.getOutputStream(); InputStream in = c.getInputStream()) {
            out.write(reply.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.read(new byte[256]);
        } catch (IOException e) {
            // the test closed it
        }
    }

    private static InetSocketAddress address(ServerSocket s) {
        return new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
    }

    private static void poll(java.util.function.BooleanSupplier done, java.util.function.Supplier<String> what) throws InterruptedException {
        long end = System.nanoTime() + SHORT.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, what);
            Thread.sleep(10);
        }
    }
}
