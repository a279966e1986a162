package dev.churn.bench.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /**
     * PEM as 'openssl x509 -text' writes it (and 'openssl ca', and a CA bundle with a long comment): text first, past the
     * 64 bytes that were once all that was looked at, and a subject in UTF-8. It was read as a keystore and refused (QA,
     * 2026-12-06).
     */
    @Test
    void pemAfterTextIsReadAsPem() throws Exception {
        Path f = tmp.resolve("text.pem");
        Files.write(f, ("Certificate:\n    Data:\n        Version: 3 (0x2)\n        Subject: CN = caf\u00e9 \u2603 "
                + "x".repeat(300) + "\n").getBytes(StandardCharsets.UTF_8));
        Files.writeString(f, Files.readString(pem()), StandardOpenOption.APPEND);
        KeyStore ks = ClientTls.readTrustStore(TrustStoreFile.of(f));
        assertEquals(1, ks.size());
        assertEquals(id.certificate(), ks.getCertificate(ks.aliases().nextElement()));
    }

    /** A UTF-8 byte order mark before the first block, which openssl reads: read too (QA review, 2026-12-06). */
    @Test
    void pemAfterAByteOrderMarkIsReadAsPem() throws Exception {
        Path f = tmp.resolve("bom.pem");
        Files.write(f, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
        Files.writeString(f, Files.readString(pem()), StandardOpenOption.APPEND);
        assertEquals(id.certificate(), first(ClientTls.readTrustStore(TrustStoreFile.of(f))));
    }

    /**
     * A keystore whose certificate holds the text "-----BEGIN" (here in a name of its SAN) is a keystore still: looked
     * for anywhere in the file, it was read as PEM and refused (QA review, 2026-12-06).
     */
    @Test
    void aKeystoreWhoseBytesHoldTheTextOfAPemLineIsAKeystore() throws Exception {
        ServerIdentity odd = ServerIdentity.selfSigned(TlsKeyType.EC, List.of("-----BEGIN.example"));
        for (String type : new String[] {"JKS", "PKCS12"}) {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            ks.setCertificateEntry("odd", odd.certificate());
            Path f = tmp.resolve("odd." + type.toLowerCase());
            try (OutputStream out = Files.newOutputStream(f)) {
                ks.store(out, "changeit".toCharArray());
            }
            if (type.equals("JKS")) {
                assertTrue(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains("-----BEGIN"), "the test's point");
            }
            KeyStore read = ClientTls.readTrustStore(new TrustStoreFile(f, "changeit".toCharArray()));
            assertEquals(odd.certificate(), first(read), type);
        }
    }

    /**
     * A truststore given as a pipe ({@code --truststore <(...)}) is read once: it was read to check it and again to run,
     * and the second time found it empty (QA, 2026-12-06).
     */
    @Test
    void aTrustStoreInAPipeIsReadOnceAndUsedTwice() throws Exception {
        ServerIdentity id = ServerIdentity.selfSigned(TlsKeyType.EC, List.of("localhost"));
        String pem = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(id.certificate().getEncoded()) + "\n-----END CERTIFICATE-----\n";
        Path fifo = tmp.resolve("pipe.pem");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                Files.writeString(fifo, pem); // once, as a shell's <(...) does
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        TrustStoreFile store = TrustStoreFile.of(fifo);
        writer.join(10_000);
        // A second read of the pipe itself would wait for a writer that never comes: bounded, so a regression fails.
        for (String when : new String[] {"the check", "the run"}) {
            KeyStore ks = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> ClientTls.readTrustStore(store), when);
            assertEquals(id.certificate(), first(ks), when);
        }
    }

    /**
     * A keystore in a pipe: it was opened again by name (KeyStore.getInstance(File)), and a pipe had nothing left,
     * "File does not exist or it does not refer to a normal file" (QA, 2026-12-06). Read from the bytes read once.
     */
    @Test
    void aKeystoreInAPipeIsReadFromTheBytesReadOnce() throws Exception {
        for (String type : new String[] {"PKCS12", "JKS"}) {
            byte[] bytes = Files.readAllBytes(keystore(type, true));
            Path fifo = tmp.resolve("pipe-" + type);
            assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Files.write(fifo, bytes);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            TrustStoreFile store = TrustStoreFile.of(fifo);
            writer.join(10_000);
            KeyStore ks = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> ClientTls.readTrustStore(store), type);
            assertEquals(id.certificate(), first(ks), type);
        }
    }

    private static Certificate first(KeyStore ks) throws Exception {
        return ks.getCertificate(ks.aliases().nextElement());
    }

    private Path keystore(String type, boolean trusted) throws Exception {
        return keystore(type, trusted, new char[0]);
    }

    private Path keystore(String type, boolean trusted, char[] password) throws Exception {
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
            ks.store(out, password);
        }
        return f;
    }

    private static String refusal(Path f) {
        return assertThrows(IllegalArgumentException.class, () -> ClientTls.readTrustStore(TrustStoreFile.of(f))).getMessage();
    }

    private static String refusal(Path f, String password) {
        return assertThrows(IllegalArgumentException.class,
                () -> ClientTls.readTrustStore(new TrustStoreFile(f, password.toCharArray()))).getMessage();
    }

    @Test
    void aPemCertificateIsTrusted() throws Exception {
        KeyStore ks = ClientTls.readTrustStore(TrustStoreFile.of(pem()));
        assertEquals(id.certificate(), ks.getCertificate(ks.aliases().nextElement()));
    }

    @Test
    void aKeystoreWithATrustedCertificateWithoutAPasswordIsTrusted() throws Exception {
        for (String type : new String[] {"PKCS12", "JKS"}) {
            KeyStore ks = ClientTls.readTrustStore(TrustStoreFile.of(keystore(type, true)));
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
        assertTrue(refusal(junk).contains("neither PEM certificates nor a PKCS12 or JKS keystore"), refusal(junk));
        Path emptyPem = Files.writeString(tmp.resolve("key.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(id.certificate().getPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        assertTrue(refusal(emptyPem).contains("CERTIFICATE"), refusal(emptyPem));
    }

    /** A keystore with a password (keytool's usual, cacerts' "changeit") opens with it, and says what is wrong without it. */
    @Test
    void aKeystoreWithAPasswordOpensWithItAndOnlyWithIt() throws Exception {
        for (String type : new String[] {"PKCS12", "JKS"}) {
            Path f = keystore(type, true, "s3cret".toCharArray());
            KeyStore ks = ClientTls.readTrustStore(new TrustStoreFile(f, "s3cret".toCharArray()));
            assertEquals(id.certificate(), ks.getCertificate("server"), type);

            String none = refusal(f);
            assertEquals("--truststore " + f + ": this keystore has a password; give it with --truststore-password", none, type);
            String wrong = refusal(f, "guess");
            assertEquals("--truststore " + f + ": --truststore-password does not open this keystore", wrong, type);
            assertFalse(wrong.contains("guess"), wrong);
        }
    }

    @Test
    void aPemFileTakesNoPassword() throws Exception {
        String m = refusal(pem(), "s3cret");
        assertTrue(m.startsWith("--truststore-password is for a keystore"), m);
        assertFalse(m.contains("s3cret"), m);
    }

    @Test
    void theTrustStoreNeverShowsItsPassword() {
        TrustStoreFile t = new TrustStoreFile(tmp.resolve("t.p12"), "s3cret".toCharArray(), new byte[] {1});
        assertFalse(t.toString().contains("s3cret"), t::toString);
        assertEquals(new TrustStoreFile(tmp.resolve("t.p12"), "s3cret".toCharArray(), new byte[] {1}), t);
    }
}
