package dev.churn.bench.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A traditional encrypted key ({@code Proc-Type: 4,ENCRYPTED}, AES-256-CBC) read with wrong
 * passwords. About one wrong password in a few hundred decrypts to a block that ends in a valid padding, and
 * BouncyCastle then parses the garbage as the key; that was reported as "problem creating EC private
 * key" and not as the password (ServeCommandTest, in a fresh clone's CI run, 2026-12-03). The CLI test tries one wrong
 * password per run; this one tries enough that the lucky paddings come for sure.
 */
class ServerIdentityTest {

    /** Enough for lucky paddings to come: 4 of them without the fix (2026-12-04). */
    private static final int WRONG_PASSWORDS = 2_000;

    @TempDir
    Path tmp;

    @Test
    void everyWrongPasswordIsSaidToBeWrong() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed (Debian package openssl)");
        Path cert = tmp.resolve("c.pem");
        Path plain = tmp.resolve("k.pem");
        Path key = tmp.resolve("k-enc.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj",
                "/CN=localhost", "-keyout", plain.toString(), "-out", cert.toString());
        openssl("ec", "-aes256", "-in", plain.toString(), "-out", key.toString(), "-passout", "pass:s3cret-9");
        assertTrue(Files.readString(key).contains("Proc-Type: 4,ENCRYPTED"), Files.readString(key));

        assertEquals(((ECPrivateKey) ServerIdentity.fromPem(cert, plain, null).key()).getS(),
                ((ECPrivateKey) ServerIdentity.fromPem(cert, key, "s3cret-9".toCharArray()).key()).getS());
        Map<String, Integer> said = new TreeMap<>();
        for (int i = 0; i < WRONG_PASSWORDS; i++) {
            char[] wrong = ("guess-" + i).toCharArray();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerIdentity.fromPem(cert, key, wrong));
            said.merge(e.getMessage().replace(key.toString(), "KEY"), 1, Integer::sum);
        }
        assertEquals(Map.of("--key KEY: --key-password does not open it", WRONG_PASSWORDS), said);
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }
}
