package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code tcpref serve} (bench/native/tcpref.c), the C server bench/scripts/crr-split.sh measures
 * churn's client and C's ({@code tcpref crr N PORT}) against, built as the script builds it and
 * served on a real loopback port: both clients complete every CRR cycle against it, and it counts
 * exactly what it served. If any of them miscounted, the split's ratios would mean nothing.
 */
class TcprefServeTest {

    /** Fixed, below the ephemeral range; the bench module's tests run one at a time. */
    private static final int PORT = 12461;
    private static final int CYCLES = 400;
    private static final int C_CYCLES = 300;

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"RAW", "BLOCKING"})
    void churnsClientAndTheCClientCompleteEveryCycleAgainstTheCServer(TransportKind t) throws Exception {
        Path tcpref = build();
        Process server = new ProcessBuilder(tcpref.toString(), "serve", Integer.toString(PORT), "crr", "30")
                .redirectErrorStream(true).start();
        String served;
        try {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT);
            awaitListening(target, server);
            RunSpec spec = new RunSpec(t, SocketConfig.DEFAULTS, Closer.CLIENT, new Load.Closed(1), CYCLES, null, null,
                    1, 1, target, Duration.ofSeconds(2), 1);
            RunResult r = new ChurnEngine(spec).run(RunListener.NONE);
            assertEquals(CYCLES, r.completed(), () -> r.failures().toString());
            assertEquals(0, r.failed());
            String c = output(new ProcessBuilder(tcpref.toString(), "crr", Integer.toString(C_CYCLES), Integer.toString(PORT)));
            assertTrue(c.matches("crr cycles=" + C_CYCLES + " seconds=[0-9.]+ per_second=[0-9]+ us_per_cycle=[0-9.]+"), c);
        } finally {
            // SIGALRM is the server's end of time: it stops serving and prints its counts.
            new ProcessBuilder("kill", "-ALRM", Long.toString(server.pid())).start().waitFor(5, TimeUnit.SECONDS);
            assertTrue(server.waitFor(10, TimeUnit.SECONDS), "tcpref serve did not end on SIGALRM");
            served = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        assertEquals(0, server.exitValue(), served);
        // The probe that found the port listening connected and closed without a request: one failed.
        assertEquals("serve-crr port=" + PORT + " seconds=30 served=" + (CYCLES + C_CYCLES) + " failed=1", served);
    }

    @Test
    void theCClientAloneChurnsAgainstTheCServerInItsChurnShape() throws Exception {
        Path tcpref = build();
        Process server = new ProcessBuilder(tcpref.toString(), "serve", Integer.toString(PORT), "churn", "30")
                .redirectErrorStream(true).start();
        String served;
        try {
            awaitListening(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT), server);
            String c = output(new ProcessBuilder(tcpref.toString(), "churn", Integer.toString(C_CYCLES), "client",
                    Integer.toString(PORT)));
            assertTrue(c.matches("churn-client-closes cycles=" + C_CYCLES + " seconds=[0-9.]+ per_second=[0-9]+ us_per_cycle=[0-9.]+"), c);
        } finally {
            new ProcessBuilder("kill", "-ALRM", Long.toString(server.pid())).start().waitFor(5, TimeUnit.SECONDS);
            assertTrue(server.waitFor(10, TimeUnit.SECONDS), "tcpref serve did not end on SIGALRM");
            served = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        // The churn shape wants no request: the probe's connect-and-close is served like the rest.
        assertEquals("serve-churn port=" + PORT + " seconds=30 served=" + (C_CYCLES + 1) + " failed=0", served);
        // A server of another process cannot be told to close first: that shape takes no PORT.
        Process p = new ProcessBuilder(tcpref.toString(), "churn", "10", "server", Integer.toString(PORT))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
    }

    /** Runs a short command to its end; returns its output, or fails if it fails. */
    private static String output(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), pb.command() + " did not end within 30 s");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** bench/native/build.sh, as the scripts call it; skips when there is no C compiler. */
    private static Path build() throws IOException, InterruptedException {
        Process b = new ProcessBuilder("native/build.sh", "tcpref").redirectErrorStream(true).start();
        String out = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(b.waitFor(60, TimeUnit.SECONDS), "build.sh did not end within 60 s");
        assumeTrue(b.exitValue() != 2 || !out.contains("needs a C compiler"), "no C compiler: " + out);
        assertEquals(0, b.exitValue(), out);
        return Path.of(out.lines().reduce((a, z) -> z).orElseThrow());
    }

    private static void awaitListening(InetSocketAddress target, Process server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            assertTrue(server.isAlive(), "tcpref serve exited (port " + PORT + " taken?)");
            try (Socket probe = new Socket()) {
                probe.connect(target, 500);
                return;
            } catch (IOException refused) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("tcpref serve did not listen on " + PORT + " within 5 s");
    }
}
