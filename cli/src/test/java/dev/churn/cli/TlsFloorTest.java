package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's TLS floor (bench/floor/TlsCrr.java, which bench/scripts/run-vs-openssl.sh measures
 * churn against), run from source as the script runs it, against {@code openssl s_server}: its
 * full and resumed handshakes must be what it says, as s_server itself counts them.
 */
class TlsFloorTest {

    private static final Path PROGRAM = Path.of("..", "bench", "floor", "TlsCrr.java"); // from the cli module
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    static Path certDir;
    static Path cert;

    @BeforeAll
    static void certificate() throws IOException {
        assumeTrue(OpensslServer.installed(), "openssl is not installed (Debian package openssl; .ci/run installs it)");
        cert = OpensslServer.selfSigned(certDir);
    }

    private static Map<String, String> floor(String... args) throws Exception {
        return floor(List.of(), args);
    }

    /** Runs the floor with these JVM options before the program (a class path), expecting exit 0. */
    private static Map<String, String> floor(List<String> jvm, String... args) throws Exception {
        Run r = run(jvm, args);
        assertEquals(0, r.exit(), r.text());
        Map<String, String> v = new HashMap<>();
        String text = r.text();
        for (String kv : text.strip().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                v.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return v;
    }

    private record Run(int exit, String text) {}

    private static Run run(List<String> jvm, String... args) throws Exception {
        Path out = Files.createTempFile(certDir, "floor", ".out");
        List<String> cmd = new ArrayList<>(List.of(JAVA));
        cmd.addAll(jvm);
        cmd.add(PROGRAM.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "TlsCrr did not end within 60 s");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** ACCP's jar, as churn's jar carries it: the floor's -accp modes find the provider by name on the class path. */
    private static List<String> accpClassPath() throws Exception {
        Path jar = Path.of(AmazonCorrettoCryptoProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return List.of("--enable-native-access=ALL-UNNAMED", "-cp", jar.toString());
    }

    @Test
    void newModeMakesAFullHandshakeEveryTime() throws Exception {
        assumeTrue(cert != null, "no certificate: openssl is missing");
        try (PeerProcess server = OpensslServer.start(certDir, "-www")) {
            // 3 s, not 1: a cold JVM's first handshakes beside two busy CPUs made 4 in 1 s (2026-12-08).
            Map<String, String> v = floor(server.target(), "3", "0", "new", cert.toString());
            long n = Long.parseLong(v.get("transactions"));
            assertTrue(n >= 5, "TLS 1.3 full handshakes in 3 s: " + v);
            assertEquals(n, Long.parseLong(v.get("full")), v::toString);
            assertEquals(0, Long.parseLong(v.get("resumed")), v::toString);
            Map<String, Long> c = OpensslServer.status(server.port());
            assertEquals(0, c.get("session cache hits"), () -> "s_server resumed none: " + c);
        }
    }

    @Test
    void reuseModeResumesWhatSServerCountsAsResumed() throws Exception {
        assumeTrue(cert != null, "no certificate: openssl is missing");
        resumesWhatSServerCounts(List.of(), "reuse");
    }

    @Test
    void reuseAccpModeResumesWithAccpFirst() throws Exception {
        assumeTrue(cert != null, "no certificate: openssl is missing");
        assumeTrue(AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError() == null, "ACCP's native library does not load here");
        resumesWhatSServerCounts(accpClassPath(), "reuse-accp");
    }

    /** The floor in this resuming mode, 3 s against s_server -www: its resumptions are the server's. */
    private static void resumesWhatSServerCounts(List<String> jvm, String mode) throws Exception {
        try (PeerProcess server = OpensslServer.start(certDir, "-www")) {
            Map<String, String> v = floor(jvm, server.target(), "3", "0", mode, cert.toString(), "/");
            assertEquals(mode, v.get("mode"), v::toString);
            long n = Long.parseLong(v.get("transactions"));
            long resumed = Long.parseLong(v.get("resumed"));
            assertTrue(n >= 5, "TLS 1.3 GETs in 3 s: " + v);
            assertTrue(resumed >= n - 2, "all but the first few resume: " + v);
            Map<String, Long> c = OpensslServer.status(server.port());
            // With no warm-up every transaction is in the window: the floor's count is the server's.
            assertEquals(resumed, c.get("session cache hits"), () -> "s_server's count of resumed sessions: " + c + ", floor: " + v);
        }
    }

    @Test
    void anAccpModeWithoutAccpOnTheClassPathIsOneLineAndExit2() throws Exception {
        assumeTrue(cert != null, "no certificate: openssl is missing");
        Run r = run(List.of(), "127.0.0.1:1", "1", "0", "new-accp", cert.toString());
        assertEquals(2, r.exit(), r.text());
        assertEquals(1, r.text().strip().lines().count(), r.text());
        assertTrue(r.text().contains("need Amazon Corretto Crypto Provider on the class path"), r.text());
    }
}
