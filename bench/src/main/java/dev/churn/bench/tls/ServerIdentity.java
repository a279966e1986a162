package dev.churn.bench.tls;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.EncryptionException;
import org.bouncycastle.openssl.PEMDecryptorProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * A server's private key and certificate chain: made at start-up (self-signed, for the built-in
 * sink and {@code churn serve}), or read from PEM files ({@code --cert}, {@code --key}).
 */
public record ServerIdentity(PrivateKey key, List<X509Certificate> chain) {

    public ServerIdentity {
        if (key == null || chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("a server identity needs a key and at least one certificate");
        }
        chain = List.copyOf(chain);
    }

    /** The server's own certificate (the chain's first). */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /**
     * A new key pair and a self-signed certificate for {@code CN=churn}, valid for a day, naming
     * {@code localhost}, 127.0.0.1 and ::1 (and {@code extraHosts}) so that a client checking the
     * name against the address it dialled accepts it.
     */
    public static ServerIdentity selfSigned(TlsKeyType type, List<String> extraHosts) {
        try {
            KeyPair pair = newKeyPair(type);
            X500Name name = new X500Name("CN=churn");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name,
                    pair.getPublic());
            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(GeneralName.dNSName, "localhost"));
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            names.add(new GeneralName(GeneralName.iPAddress, "::1"));
            for (String h : extraHosts) {
                names.add(isAddressLiteral(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            String alg = type == TlsKeyType.EC ? "SHA256withECDSA" : "SHA256withRSA";
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder(alg).build(pair.getPrivate()));
            return new ServerIdentity(pair.getPrivate(), List.of(new JcaX509CertificateConverter().getCertificate(holder)));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a self-signed " + type.label() + " certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair(TlsKeyType type) throws GeneralSecurityException {
        if (type == TlsKeyType.EC) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static boolean isAddressLiteral(String h) {
        try {
            InetAddress.ofLiteral(h);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Reads a certificate chain (one or more {@code CERTIFICATE} blocks, the server's first) and a
     * private key ({@code PRIVATE KEY}, {@code EC PRIVATE KEY} or {@code RSA PRIVATE KEY}; or, with
     * {@code password}, {@code ENCRYPTED PRIVATE KEY} as {@code openssl pkcs8 -topk8} writes it, or
     * a traditional key with {@code Proc-Type: 4,ENCRYPTED}). Throws IllegalArgumentException with
     * one line saying what is wrong with which file; never with the password.
     */
    public static ServerIdentity fromPem(Path certFile, Path keyFile, char[] password) {
        List<X509Certificate> chain = new ArrayList<>();
        for (Object o : readPem(certFile, "--cert")) {
            if (o instanceof X509CertificateHolder h) {
                try {
                    chain.add(new JcaX509CertificateConverter().getCertificate(h));
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException("--cert " + certFile + ": " + e.getMessage());
                }
            }
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("--cert " + certFile + ": no CERTIFICATE block in it");
        }
        PrivateKey key = null;
        boolean encrypted = false;
        for (Object o : readPem(keyFile, "--key")) {
            try {
                if (o instanceof PEMKeyPair kp) {
                    key = new JcaPEMKeyConverter().getPrivateKey(kp.getPrivateKeyInfo());
                } else if (o instanceof PrivateKeyInfo info) {
                    key = new JcaPEMKeyConverter().getPrivateKey(info);
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
                    encrypted = true;
                    if (password != null) {
                        key = decrypt(o, password, keyFile);
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("--key " + keyFile + ": " + e.getMessage());
            }
            if (key != null) {
                break;
            }
        }
        if (encrypted && password == null) {
            throw new IllegalArgumentException("--key " + keyFile + ": the key is encrypted; give its password with --key-password");
        }
        if (!encrypted && password != null) {
            throw new IllegalArgumentException("--key-password: " + keyFile + " holds no encrypted key");
        }
        if (key == null) {
            throw new IllegalArgumentException("--key " + keyFile + ": no PRIVATE KEY block in it");
        }
        if (!pairs(key, chain.getFirst())) {
            // Else every handshake fails (the client cannot verify the server's signature), minutes into a run.
            throw new IllegalArgumentException("--key " + keyFile + " is not the private key of the certificate in --cert "
                    + certFile + " (" + chain.getFirst().getSubjectX500Principal().getName() + ")");
        }
        return new ServerIdentity(key, chain);
    }

    /**
     * Whether the certificate names this address in a subjectAltName of type iPAddress: what a client
     * dialling the address checks (RFC 6125; the subject's CN does not count for an address).
     */
    public boolean names(InetAddress address) {
        try {
            Collection<List<?>> alt = chain.getFirst().getSubjectAlternativeNames();
            if (alt == null) {
                return false;
            }
            for (List<?> entry : alt) {
                if (entry.size() >= 2 && Integer.valueOf(7).equals(entry.get(0)) && entry.get(1) instanceof String ip
                        && InetAddress.ofLiteral(ip).equals(address)) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code key} signs what the certificate's public key verifies: the two belong together. */
    static boolean pairs(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // a key type churn does not check is left to the handshake
        }
        if (!key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) {
            return false;
        }
        try {
            byte[] probe = "churn: does this key belong to this certificate".getBytes(StandardCharsets.UTF_8);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(cert.getPublicKey());
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * BouncyCastle's own provider, used for the key's decryption only and not installed: the JDK's
     * lacks OpenSSL's key derivation for traditional PEM, and its PBES2 names differ from BC's.
     */
    private static final class Decryption {
        static final BouncyCastleProvider BC = new BouncyCastleProvider();
    }

    private static PrivateKey decrypt(Object block, char[] password, Path keyFile) throws IOException {
        try {
            PrivateKeyInfo info;
            if (block instanceof PKCS8EncryptedPrivateKeyInfo p8) {
                InputDecryptorProvider d = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Decryption.BC).build(password);
                info = p8.decryptPrivateKeyInfo(d);
            } else {
                PEMDecryptorProvider d = new JcePEMDecryptorProviderBuilder().setProvider(Decryption.BC).build(password);
                try {
                    info = ((PEMEncryptedKeyPair) block).decryptKeyPair(d).getPrivateKeyInfo();
                } catch (PEMException e) {
                    // A wrong password's output ends in a valid padding about once in a few
                    // hundred (CBC), and is then parsed as the key: "problem creating EC private
                    // key", not a bad padding (a CI run, 2026-12-03). Both are the password's.
                    throw new EncryptionException("wrong password", e);
                }
            }
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (PKCSException | EncryptionException e) {
            // A wrong password shows as a bad padding or a malformed key after decryption (PKCS#8
            // wraps both in PKCSException).
            throw new IllegalArgumentException("--key " + keyFile + ": --key-password does not open it");
        } catch (OperatorCreationException e) {
            // The key's cipher or key derivation, not the password: say which.
            throw new IllegalArgumentException("--key " + keyFile + ": cannot decrypt it (" + e.getMessage() + ")");
        }
    }

    private static List<Object> readPem(Path file, String option) {
        List<Object> objects = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                objects.add(o);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(option + " " + file + ": not PEM (" + e.getMessage() + ")");
        }
        return objects;
    }
}
