package dev.churn.bench.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --truststore FILE}: what {@link ClientTls#readTrustStore} takes, and what it refuses in one line. */
class ClientTlsTrustStoreTest {

    @TempDir
    Path tmp;

    private final ServerIdentity id = ServerIdentity.selfSigned(TlsKeyType.EC, List.of());

    private Path pem() throws Exception {
        Path f = tmp.resolve("cert.pem");
        Files.writeString(f, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(id.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return f;
    }

    private Path keystore(String type, boolean trusted) throws Exception {
        KeyStore ks = KeyStore.getInstance(type);
        ks.load(null, null);
        if (trusted) {
            ks.setCertificateEntry("server", id.certificate());
        } else {
            // a key entry only, as a keystore made for a server holds: nothing in it is a trust anchor
            ks.setKeyEntry("server", id.key(), new char[0], id.chain().toArray(Certificate[]::new));
        }
        Path f = tmp.resolve("store." + type.toLowerCase());
        try (OutputStream out = Files.newOutputStream(f)) {
            ks.store(out, new char[0]);
        }
        return f;
    }

    private static String refusal(Path f) {
        return assertThrows(IllegalArgumentException.class, () -> ClientTls.readTrustStore(f)).getMessage();
    }

    @Test
    void aPemCertificateIsTrusted() throws Exception {
        KeyStore ks = ClientTls.readTrustStore(pem());
        assertEquals(id.certificate(), ks.getCertificate(ks.aliases().nextElement()));
    }

    @Test
    void aKeystoreWithATrustedCertificateWithoutAPasswordIsTrusted() throws Exception {
        for (String type : new String[] {"PKCS12", "JKS"}) {
            KeyStore ks = ClientTls.readTrustStore(keystore(type, true));
            assertTrue(ks.isCertificateEntry("server"), type);
        }
    }

    /** Before, it loaded, and then every handshake failed: "the trustAnchors parameter must be non-empty". */
    @Test
    void aKeystoreWithoutATrustedCertificateIsRefused() throws Exception {
        String m = refusal(keystore("PKCS12", false));
        assertTrue(m.contains("no trusted certificate entry"), m);
        assertEquals(1, m.lines().count(), m);
    }

    @Test
    void aMissingOrUnreadableFileIsRefused() throws IOException {
        assertEquals("--truststore " + tmp.resolve("none") + ": no such file", refusal(tmp.resolve("none")));
        Path junk = Files.writeString(tmp.resolve("junk"), "not a keystore at all");
        assertTrue(refusal(junk).contains("neither PEM certificates nor a keystore without a password"), refusal(junk));
        Path emptyPem = Files.writeString(tmp.resolve("key.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(id.certificate().getPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        assertTrue(refusal(emptyPem).contains("CERTIFICATE"), refusal(emptyPem));
    }
}
