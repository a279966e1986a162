package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code churn serve} out of descriptors ({@code ulimit -n 160}, in its own process) while 300 clients connect and
 * wait: the kernel sets up every connection, the sink accepts what its descriptors allow, and the rest wait in its
 * accept queue until the stop, which resets them. Its last line said only "accepted 109 connections", of 200 its
 * clients had connected, nothing of the 91 reset at the stop (2026-12-07); it now counts them.
 */
class ServeUnacceptedTest {

    private static final int LIMIT = 160;
    private static final int CLIENTS = 300;
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern LAST = Pattern.compile(
            "accepted ([\\d,]+) connections, ([\\d,]+) more never accepted \\(in the accept queue at the stop, reset\\)[^\\n]*; closed");

    @Test
    void connectionsLeftInTheAcceptQueueAtTheStopAreCounted() throws Exception {
        ServeHoldBoundTest.assumePrlimit();
        // Stopped before its first progress line (5 s): on this class path, a class the serve loads while out of
        // descriptors cannot be read from its folder, and its first line would need one (the jar churn runs from is open).
        Process p = new ProcessBuilder(ServeHoldBoundTest.churnUnder(LIMIT, "serve", "--port", "0", "--listeners", "1",
                "--duration", "4s")).redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        Thread reader = ServeHoldBoundTest.collect(p, out);
        List<Socket> clients = new ArrayList<>();
        try {
            int port = awaitPort(out);
            for (int i = 0; i < CLIENTS; i++) {
                Socket s = new Socket();
                clients.add(s);
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000); // the kernel's handshake: accepted or not
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), () -> "serve --duration 4s ended: " + out);
            reader.join(5_000);
            Matcher m = LAST.matcher(out);
            assertTrue(m.find(), out::toString);
            long accepted = Long.parseLong(m.group(1).replace(",", ""));
            long unaccepted = Long.parseLong(m.group(2).replace(",", ""));
            assertEquals(CLIENTS, accepted + unaccepted, out::toString);
            assertTrue(unaccepted > 0 && accepted > 0, out::toString);
            assertEquals(unaccepted, resets(clients), "each one left in the queue had the stop's reset: " + out);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The clients whose connection the server reset (the others had its FIN, as it closed what it had accepted). */
    private static long resets(List<Socket> clients) throws IOException {
        long n = 0;
        for (Socket s : clients) {
            s.setSoTimeout(2000);
            try {
                s.getInputStream().read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("a connection still open after serve exited", e);
            } catch (SocketException reset) {
                n++;
            }
        }
        return n;
    }

    private static int awaitPort(StringBuffer out) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher l = LISTENING.matcher(out);
            if (l.find()) {
                return Integer.parseInt(l.group(1));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("serve did not say where it listens: " + out);
    }
}
