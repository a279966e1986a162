package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.churn.bench.result.SummaryJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code churn run --tls} against a real TLS server, {@code openssl s_server}, started by the test
 * with a certificate {@code openssl req} made: full and resumed handshakes, checked against the
 * counters s_server itself reports, and each TLS failure class, bounded in time.
 */
class RunTlsPeerTest {

    /** What a failing case may take at most: a few cycles with a short --connect-timeout, and the JVM's TLS set-up. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    static Path certDir;
    static Path cert;

    @TempDir
    Path tmp;

    @BeforeAll
    static void certificate() throws IOException {
        assumeTrue(OpensslServer.installed(), "openssl is not installed (Debian package openssl; .ci/run installs it)");
        cert = OpensslServer.selfSigned(certDir);
    }

    @BeforeEach
    void needsOpenssl() {
        assumeTrue(cert != null, "no certificate: openssl is missing");
    }

    /** Runs churn with these arguments and a results folder of its own; returns the run and its summary. */
    private Outcome churn(String... args) throws IOException {
        Path dir = tmp.resolve("run-" + System.nanoTime());
        List<String> argv = new ArrayList<>(List.of("run", "--out", dir.toString(), "--no-progress"));
        argv.addAll(List.of(args));
        CliRun r = CliRun.churn(argv.toArray(String[]::new));
        return new Outcome(r, dir.resolve("summary.json").toFile().exists() ? SummaryJson.read(dir) : null);
    }

    record Outcome(CliRun run, JsonNode summary) {
        long failures(String kind) {
            return summary.at("/failures/" + kind + "/count").asLong();
        }
    }

    @ParameterizedTest(name = "TLS {0}, {1}, concurrency {2}")
    @CsvSource({"1.2, blocking, 1", "1.3, blocking, 1", "1.3, virtual, 4"})
    void fullHandshakesEveryCycleAndNoneResumed(String version, String transport, int concurrency) throws Exception {
        int n = 20;
        try (PeerProcess server = OpensslServer.start(certDir, "-www")) {
            Outcome o = churn("--tls", version, "--http", "/", "--target", server.target(), "--truststore", cert.toString(),
                    "--connections", Integer.toString(n), "--transport", transport, "--concurrency", Integer.toString(concurrency));

            assertEquals(0, o.run().code(), o.run()::err);
            JsonNode s = o.summary();
            assertEquals(n, s.at("/connections/completed").asLong(), s.get("failures")::toString);
            assertEquals(0, s.at("/connections/failed").asLong());
            assertEquals(n, s.at("/phases/tls/count").asLong(), "one tls phase per completed cycle");
            assertEquals(n, s.at("/phases/first_byte/count").asLong());
            assertEquals(version, s.at("/scenario/tls/version").asText());
            assertEquals(n, s.at("/tlsHandshakes/handshakes").asLong());
            assertEquals(0, s.at("/tlsHandshakes/resumed").asLong(), "without --tls-resume no session is resumed");
            // s_server agrees: every handshake was full, none hit its session cache (or a ticket).
            Map<String, Long> c = OpensslServer.status(server.port());
            assertEquals(0, c.get("session cache hits"), c::toString);
            assertEquals(n + 1, c.get("server accepts that finished"), "churn's handshakes and the status page's: " + c);
        }
    }

    /**
     * With --tls-resume, all but the first handshake resume, and s_server counts each as a "session
     * cache hit": OpenSSL counts a resumption there whether the session came back from its cache
     * (TLS 1.2 session IDs, TLS 1.3 stateful tickets: -no_ticket) or from a stateless ticket, which
     * leaves nothing in the cache ("items in the session cache" stays 0).
     */
    @ParameterizedTest(name = "TLS {0}, stateless tickets {1}")
    @CsvSource({"1.2, true", "1.2, false", "1.3, true", "1.3, false"})
    void resumptionShareMatchesWhatSServerCounts(String version, boolean tickets) throws Exception {
        int n = 30;
        String[] options = tickets ? new String[] {"-www"} : new String[] {"-www", "-no_ticket"};
        try (PeerProcess server = OpensslServer.start(certDir, options)) {
            Outcome o = churn("--tls", version, "--tls-resume", "--http", "/", "--target", server.target(),
                    "--truststore", cert.toString(), "--connections", Integer.toString(n));

            assertEquals(0, o.run().code(), o.run()::err);
            JsonNode s = o.summary();
            assertEquals(n, s.at("/connections/completed").asLong(), s.get("failures")::toString);
            long resumed = s.at("/tlsHandshakes/resumed").asLong();
            assertEquals(n, s.at("/tlsHandshakes/handshakes").asLong());
            assertTrue(resumed >= n - 2, "all but the first few resume: " + s.get("tlsHandshakes"));
            assertEquals((double) resumed / n, s.at("/tlsHandshakes/resumedShare").asDouble(), 0.001);
            assertTrue(o.run().out().contains(resumed + " resumed"), o.run()::out);

            Map<String, Long> c = OpensslServer.status(server.port());
            assertEquals(resumed, c.get("session cache hits"), () -> "s_server's count of resumed sessions: " + c);
            assertEquals(0, c.get("session cache misses"), c::toString);
            if (tickets) {
                assertEquals(0, c.get("items in the session cache"), () -> "stateless tickets keep nothing: " + c);
            } else {
                assertTrue(c.get("items in the session cache") > 0, () -> "sessions kept by the server: " + c);
            }
        }
    }

    /** A plain TCP server, as a TLS client meets it when dialling the wrong port: it answers HTTP text. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void aPlainTextServerIsATlsHandshakeFailureNotAHang(String transport) throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> answerPlainText(plain));
            try {
                Outcome o = assertTimeoutPreemptively(BOUND, () -> churn("--tls", "1.3", "--transport", transport,
                        "--target", "127.0.0.1:" + plain.getLocalPort(), "--insecure", "--connections", "5",
                        "--connect-timeout", "2s"));

                assertEquals(1, o.run().code(), "no cycle completed: " + o.run().err());
                assertEquals(5, o.failures("tls_handshake"), o.summary().get("failures")::toString);
            } finally {
                plain.close();
                server.join(5000);
            }
        }
    }

    private static void answerPlainText(ServerSocket plain) {
        byte[] buf = new byte[16 * 1024];
        while (!plain.isClosed()) {
            try (Socket s = plain.accept()) {
                s.setSoTimeout(2000);
                InputStream in = s.getInputStream();
                in.read(buf); // the ClientHello, read so that the close is a FIN, not a RST for unread data
                s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // closed by the test, or a client gone: next
            }
        }
    }

    /** A server that accepts in the kernel but never answers: the handshake times out, it does not hang. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void aSilentServerTimesOutInTheHandshake(String transport) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long t0 = System.nanoTime();
            Outcome o = assertTimeoutPreemptively(BOUND, () -> churn("--tls", "1.3", "--transport", transport,
                    "--target", "127.0.0.1:" + silent.getLocalPort(), "--insecure", "--connections", "3",
                    "--connect-timeout", "300ms"));
            long millis = (System.nanoTime() - t0) / 1_000_000;

            assertEquals(1, o.run().code(), o.run()::err);
            assertEquals(3, o.failures("timeout"), o.summary().get("failures")::toString);
            // blocking: the watchdog names the phase; virtual: SO_TIMEOUT ends the handshake's read.
            String said = transport.equals("blocking") ? "TLS handshake timed out after 300 ms" : "Read timed out";
            assertTrue(o.summary().at("/failures/timeout/firstMessage").asText().contains(said),
                    o.summary().get("failures")::toString);
            assertTrue(millis >= 3 * 300, "each cycle waited its timeout: " + millis + " ms");
        }
    }

    @Test
    void aSelfSignedServerWithoutATruststoreIsACertificateFailure() throws Exception {
        try (PeerProcess server = OpensslServer.start(certDir, "-quiet")) {
            Outcome o = assertTimeoutPreemptively(BOUND, () -> churn("--tls", "1.3", "--target", server.target(),
                    "--connections", "3", "--connect-timeout", "2s"));

            assertEquals(1, o.run().code(), o.run()::err);
            assertEquals(3, o.failures("tls_certificate"), o.summary().get("failures")::toString);
        }
    }

    @ParameterizedTest(name = "s_server {0}, churn --tls {1}")
    @CsvSource({"-tls1_2, 1.3", "-tls1_3, 1.2"})
    void aServerOfAnotherVersionIsAVersionFailure(String serverVersion, String churnVersion) throws Exception {
        try (PeerProcess server = OpensslServer.start(certDir, "-quiet", serverVersion)) {
            Outcome o = assertTimeoutPreemptively(BOUND, () -> churn("--tls", churnVersion, "--target", server.target(),
                    "--truststore", cert.toString(), "--connections", "3", "--connect-timeout", "2s"));

            assertEquals(1, o.run().code(), o.run()::err);
            assertEquals(3, o.failures("tls_version"), o.summary().get("failures")::toString);
        }
    }

    /**
     * A PKCS12 file made by {@code openssl pkcs12 -export -nokeys} loads, but holds no certificate
     * Java trusts: refused before the run (exit 2, one line), not a run whose every handshake fails.
     */
    @Test
    void anOpensslPkcs12TruststoreIsRefusedAtTheStart() throws Exception {
        Path p12 = tmp.resolve("trust.p12");
        Process p = new ProcessBuilder(OpensslServer.OPENSSL, "pkcs12", "-export", "-nokeys", "-in", cert.toString(),
                "-out", p12.toString(), "-passout", "pass:").redirectErrorStream(true)
                .redirectOutput(tmp.resolve("pkcs12.log").toFile()).start();
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, "openssl pkcs12 -export");

        CliRun r = CliRun.churn("run", "--tls", "1.3", "--target", "127.0.0.1:9", "--truststore", p12.toString(),
                "--out", tmp.resolve("never").toString());
        assertEquals(2, r.code(), r::err);
        assertEquals(1, r.err().lines().count(), r::err);
        assertTrue(r.err().contains("no trusted certificate entry"), r::err);
    }

    /**
     * A JKS truststore as keytool makes one, with a store password: it opens with
     * {@code --truststore-password} (here from a file) and the run trusts s_server's certificate;
     * without the password it is refused at the start, in one line. The password is in no result file.
     */
    @Test
    void aKeytoolTruststoreWithAPasswordOpensWithIt() throws Exception {
        Path jks = tmp.resolve("trust.jks");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-importcert", "-noprompt", "-alias", "s_server", "-file",
                cert.toString(), "-keystore", jks.toString(), "-storetype", "JKS", "-storepass", "changeit-42")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("keytool.log").toFile()).start();
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, "keytool -importcert");
        Path pw = java.nio.file.Files.writeString(tmp.resolve("pw.txt"), "changeit-42\n");

        try (PeerProcess server = OpensslServer.start(certDir, "-quiet")) {
            Outcome o = churn("--tls", "1.3", "--target", server.target(), "--truststore", jks.toString(),
                    "--truststore-password", "file:" + pw, "--connections", "5");
            assertEquals(0, o.run().code(), o.run()::err);
            assertEquals(5, o.summary().at("/connections/completed").asLong(), o.summary()::toString);
            // The command line it records hides the password's value, whichever form it took (CommandArgs).
            List<String> command = new ArrayList<>();
            o.summary().path("command").forEach(a -> command.add(a.asText()));
            int at = command.indexOf("--truststore-password");
            assertTrue(at > 0 && command.get(at + 1).equals("***"), command::toString);
            try (var files = java.nio.file.Files.walk(tmp)) {
                List<Path> results = files.filter(java.nio.file.Files::isRegularFile)
                        .filter(f -> !List.of(jks, pw, tmp.resolve("keytool.log")).contains(f)).toList();
                assertTrue(results.size() >= 3, results::toString); // summary.json, latency.hlog, states.csv at least
                for (Path f : results) {
                    assertTrue(!java.nio.file.Files.readString(f, StandardCharsets.ISO_8859_1).contains("changeit-42"), f::toString);
                }
            }
        }
        CliRun none = CliRun.churn("run", "--tls", "1.3", "--target", "127.0.0.1:9", "--truststore", jks.toString(),
                "--out", tmp.resolve("never").toString());
        assertEquals(2, none.code(), none::err);
        assertEquals(1, none.err().lines().count(), none::err);
        assertTrue(none.err().contains("this keystore has a password; give it with --truststore-password"), none::err);
    }

    /** The groups offered are the ones asked for: P-256 agrees with a P-256-only server, X25519 does not. */
    @Test
    void tlsGroupsAreOffered() throws Exception {
        try (PeerProcess server = OpensslServer.start(certDir, "-quiet", "-groups", "P-256")) {
            Outcome ok = churn("--tls", "1.3", "--tls-groups", "secp256r1", "--target", server.target(),
                    "--truststore", cert.toString(), "--connections", "10", "--connect-timeout", "2s");
            assertEquals(0, ok.run().code(), ok.run()::err);
            assertEquals(10, ok.summary().at("/connections/completed").asLong(), ok.summary().get("failures")::toString);
            assertEquals("secp256r1", ok.summary().at("/scenario/tls/groups/0").asText());

            Outcome none = assertTimeoutPreemptively(BOUND, () -> churn("--tls", "1.3", "--tls-groups", "x25519",
                    "--target", server.target(), "--truststore", cert.toString(), "--connections", "3",
                    "--connect-timeout", "2s"));
            assertEquals(1, none.run().code(), none.run()::err);
            assertEquals(3, none.failures("tls_handshake"), none.summary().get("failures")::toString);
        }
    }

    /**
     * close_notify as documented: sent when the client closes first (client, half), skipped when it
     * resets (abort). s_server (without -quiet) says which it got: "DONE" after a close_notify, "ERROR"
     * after a reset. The TIME_WAIT ends are the client's (half), or none (abort). With closer client
     * they are at most one a connection: s_server answers a close_notify with its own, and when that
     * arrives after the client's close(2), the client's kernel answers it with RST (TCPAbortOnData)
     * and the client's TIME_WAIT is gone: a race TLS adds, which half (reading to the end before
     * closing) does not have.
     */
    @ParameterizedTest(name = "closer {0}")
    @CsvSource({"client, DONE, 3", "half, DONE, 3", "abort, ERROR, 0"})
    void closeNotifyIsSentUnlessTheClientResets(String closer, String serverSays, int timeWait) throws Exception {
        int n = 3;
        try (PeerProcess server = OpensslServer.start(certDir)) {
            Outcome o = assertTimeoutPreemptively(BOUND, () -> churn("--tls", "1.3", "--closer", closer, "--target",
                    server.target(), "--truststore", cert.toString(), "--connections", Integer.toString(n),
                    "--connect-timeout", "2s"));

            assertEquals(0, o.run().code(), o.run()::err);
            assertEquals(n, o.summary().at("/connections/completed").asLong(), o.summary().get("failures")::toString);
            assertEquals(n, awaitLines(server.log(), serverSays, n), () -> "s_server's log: " + server.logTail());
            assertEquals(0, countLines(server.log(), "DONE".equals(serverSays) ? "ERROR" : "DONE"), server::logTail);
            long tw = o.summary().at("/states/peak/TIME_WAIT").asLong();
            if (closer.equals("client")) {
                assertTrue(tw <= timeWait, o.summary().get("states")::toString);
            } else if (closer.equals("half")) {
                // Unless the kernel's TIME_WAIT table was full (a crowded machine): it then keeps none.
                long overflow = o.summary().at("/kernel/TCPTimeWaitOverflow").asLong();
                // half reads to the server's close_notify, which s_server follows with its FIN by a system
                // call: the last connection's FIN can still be on its way at the end-of-load sample, its
                // client end a FIN_WAIT2 turning TIME_WAIT (seen once under a parallel build, 2026-12-02).
                long finalTw = o.summary().at("/states/final/TIME_WAIT").asLong();
                long finWait2 = o.summary().at("/states/final/FIN_WAIT2").asLong();
                assertEquals(overflow > 0 ? finalTw + finWait2 : timeWait, finalTw + finWait2, o.summary().get("states")::toString);
                assertTrue(finWait2 <= 1, o.summary().get("states")::toString);
            } else {
                assertEquals(timeWait, tw, o.summary().get("states")::toString);
            }
        }
    }

    /** Lines of the log that are exactly {@code line}, once there are {@code n} of them or after 5 s. */
    private static long awaitLines(Path log, String line, int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long c;
        while ((c = countLines(log, line)) < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return c;
    }

    private static long countLines(Path log, String line) throws IOException {
        return java.nio.file.Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().filter(line::equals).count();
    }
}
