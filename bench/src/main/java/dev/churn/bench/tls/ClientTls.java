package dev.churn.bench.tls;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;

/**
 * The client side of TLS for a run: one SSLContext (so one session cache, which resumption needs)
 * and the parameters every connection gets. Thread-safe. Tells a full handshake from a resumed one
 * per connection ({@link #fullHandshake}).
 */
public final class ClientTls {

    private final TlsClientConfig config;
    private final boolean ownSink;
    private final SSLContext context;
    private final SSLSocketFactory factory;
    private final SSLParameters parameters;
    private final RecordingTrustManager trust;
    /**
     * Without resumption, each thread's SSLSockets come from a context of the thread's own. The
     * JDK caches a TLS 1.3 ticket as it reads it (with the response) and {@link #forget} can only
     * invalidate it at close; in a shared cache another connection in flight could resume it
     * meanwhile. A thread runs one connection at a time, so its own cache never offers one.
     */
    private final ThreadLocal<SSLSocketFactory> ownFactory;

    private ClientTls(TlsClientConfig config, SSLContext context, RecordingTrustManager trust, boolean ownSink) {
        this.ownSink = ownSink;
        this.config = config;
        this.context = context;
        this.factory = context.getSocketFactory();
        this.trust = trust;
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(new String[] {config.version().protocol()});
        TlsParameters.apply(context, p, config.groups(), config.ciphers(), config.version());
        if (!config.insecure()) {
            // The certificate must name the host or address dialled, as a browser would check it.
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        this.parameters = p;
        this.ownFactory = ThreadLocal.withInitial(this::freshFactory);
    }

    private SSLSocketFactory freshFactory() {
        try {
            SSLContext own = SSLContext.getInstance(context.getProtocol(), context.getProvider());
            own.init(null, new TrustManager[] {trust}, null);
            return own.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the JDK's TLS client: " + e.getMessage(), e);
        }
    }

    /**
     * The client TLS of a run. {@code sinkCertificate} is the built-in sink's own certificate, the
     * only one trusted then; null against a {@code --target}: then the truststore, or the JDK's CA
     * certificates, or nothing with {@code insecure}. Bad settings throw IllegalArgumentException
     * with one line.
     */
    public static ClientTls of(TlsClientConfig config, X509Certificate sinkCertificate) {
        try {
            X509ExtendedTrustManager delegate;
            if (config.insecure()) {
                delegate = null;
            } else if (sinkCertificate != null) {
                delegate = pkix(keyStoreOf(List.of(sinkCertificate)));
            } else if (config.truststore() != null) {
                delegate = pkix(readTrustStore(config.truststore()));
            } else {
                delegate = pkix(null);
            }
            RecordingTrustManager trust = new RecordingTrustManager(delegate, !config.resume());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trust}, null);
            return new ClientTls(config, ctx, trust, sinkCertificate != null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the JDK's TLS client: " + e.getMessage(), e);
        }
    }

    public TlsClientConfig config() {
        return config;
    }

    /**
     * True against the built-in sink, which closes its TCP socket right after its close_notify: a client of
     * --closer server may wait for that FIN before it closes, and so leave the TIME_WAIT where the server closed. A
     * server of its own (openssl s_server) may keep TCP open for the client's close_notify: waiting there would
     * cost a timeout a cycle.
     */
    public boolean ownSink() {
        return ownSink;
    }

    /**
     * Lays TLS over a connected socket, not yet handshaken: closing it closes {@code connected}.
     * With resumption, the run's session cache is looked up by the target's host and port; without
     * it, the calling thread's own (see {@link #ownFactory}).
     */
    public SSLSocket layer(Socket connected, InetSocketAddress target) throws IOException {
        SSLSocketFactory f = config.resume() ? factory : ownFactory.get();
        SSLSocket s = (SSLSocket) f.createSocket(connected, target.getHostString(), target.getPort(), true);
        s.setSSLParameters(parameters);
        return s;
    }

    /**
     * A client engine for the target, for the channel transports (nio, selector). Without
     * resumption it is given no peer port: the JDK then neither caches its session nor looks one
     * up (its client cache is keyed by host and port), so no connection in flight can resume
     * another's session or TLS 1.3 ticket before {@link #forget} invalidates it at close.
     */
    public SSLEngine engine(InetSocketAddress target) {
        SSLEngine e = context.createSSLEngine(target.getHostString(), config.resume() ? target.getPort() : -1);
        e.setUseClientMode(true);
        e.setSSLParameters(parameters);
        return e;
    }

    /**
     * True when the handshake just done on this socket or engine was a full one (the server sent
     * a certificate), false when it resumed a session; forgets the socket or engine.
     */
    public boolean fullHandshake(Object socketOrEngine) {
        return trust.takeChecked(socketOrEngine);
    }

    /**
     * Sockets and engines whose certificate check is noted but not yet taken by {@link
     * #fullHandshake}: 0 between cycles, whether their handshakes completed or failed (else each
     * failed cycle would keep its socket for the rest of the run).
     */
    public int unsettled() {
        return trust.noted();
    }

    /**
     * Ends a session so it is never resumed: without {@code --tls-resume} every connection must
     * pay a full handshake, even though the JDK caches every session it makes.
     */
    public void forget(SSLSession session) {
        if (!config.resume() && session != null) {
            session.invalidate();
        }
    }

    private static X509ExtendedTrustManager pkix(KeyStore trusted) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
        f.init(trusted);
        for (TrustManager m : f.getTrustManagers()) {
            if (m instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X509ExtendedTrustManager");
    }

    private static KeyStore keyStoreOf(List<X509Certificate> certs) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        for (int i = 0; i < certs.size(); i++) {
            ks.setCertificateEntry("trusted-" + i, certs.get(i));
        }
        return ks;
    }

    private static boolean holdsTrustedCertificate(KeyStore ks) throws KeyStoreException {
        for (Enumeration<String> a = ks.aliases(); a.hasMoreElements(); ) {
            if (ks.isCertificateEntry(a.nextElement())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A PEM file of CERTIFICATE blocks (what openssl writes), or a PKCS12 or JKS keystore, opened
     * with its password if it has one.
     */
    /**
     * PEM: a line that begins "-----BEGIN", in a file that does not start as a keystore does (JKS's magic FEEDFEED, or a
     * DER SEQUENCE as PKCS12 is): a JKS holding a certificate whose subject has that text was read as PEM (QA review,
     * 2026-12-06).
     */
    private static boolean isPem(byte[] content, String text) {
        boolean jks = content.length >= 4 && (content[0] & 0xff) == 0xfe && (content[1] & 0xff) == 0xed
                && (content[2] & 0xff) == 0xfe && (content[3] & 0xff) == 0xed;
        boolean der = (content[0] & 0xff) == 0x30;
        return !jks && !der && (text.startsWith("-----BEGIN") || text.contains("\n-----BEGIN"));
    }

    /**
     * A PKCS12 or JKS keystore from the bytes read once: KeyStore.getInstance(File) read the file again, and a pipe
     * ({@code --truststore <(...)}) had nothing left, "File does not exist or it does not refer to a normal file" (QA,
     * 2026-12-06). A wrong password is the first type's that took the bytes (an IOException caused by
     * UnrecoverableKeyException); bytes that neither type takes are the last one's error.
     */
    private static KeyStore keyStoreFrom(byte[] content, char[] password) throws IOException, GeneralSecurityException {
        IOException last = null;
        for (String type : List.of("PKCS12", "JKS")) {
            KeyStore ks = KeyStore.getInstance(type);
            try {
                ks.load(new java.io.ByteArrayInputStream(content), password);
                return ks;
            } catch (IOException e) {
                if (e.getCause() instanceof UnrecoverableKeyException) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    static KeyStore readTrustStore(TrustStoreFile store) {
        Path file = store.file();
        char[] password = store.password();
        byte[] content = store.content(); // read once, when the option was (TrustStoreFile)
        try {
            // Latin-1: the text beside the blocks may hold any byte (a subject's UTF-8), which ASCII would refuse. A
            // UTF-8 byte order mark before the first line is dropped (openssl reads such a file; QA review, 2026-12-06).
            String text = new String(content, StandardCharsets.ISO_8859_1);
            if (text.startsWith("\u00ef\u00bb\u00bf")) {
                text = text.substring(3);
            }
            if (isPem(content, text)) {
                if (password != null) {
                    throw new IllegalArgumentException("--truststore-password is for a keystore: " + file
                            + " is PEM, which has none");
                }
                List<X509Certificate> certs = new ArrayList<>();
                try (PEMParser p = new PEMParser(new StringReader(text))) {
                    Object o;
                    while ((o = p.readObject()) != null) {
                        if (o instanceof X509CertificateHolder h) {
                            certs.add(new JcaX509CertificateConverter().getCertificate(h));
                        }
                    }
                }
                if (certs.isEmpty()) {
                    throw new IllegalArgumentException("--truststore " + file + ": no CERTIFICATE block in it");
                }
                return keyStoreOf(certs);
            }
            KeyStore ks;
            try {
                ks = keyStoreFrom(content, password != null ? password : new char[0]);
            } catch (IOException e) {
                if (!(e.getCause() instanceof UnrecoverableKeyException)) {
                    throw e;
                }
                // The JDK's PKCS12 and JKS both say "password was incorrect" through this cause.
                throw new IllegalArgumentException("--truststore " + file + (password == null
                        ? ": this keystore has a password; give it with --truststore-password"
                        : ": --truststore-password does not open this keystore"));
            }
            if (!holdsTrustedCertificate(ks)) {
                // Else every handshake fails ("trustAnchors parameter must be non-empty") instead of the run not starting.
                throw new IllegalArgumentException("--truststore " + file + ": no trusted certificate entry in this keystore ("
                        + "openssl pkcs12 -export stores certificates without the trust Java reads: give the PEM file instead)");
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--truststore " + file + ": neither PEM certificates nor a PKCS12 or JKS keystore ("
                    + e.getMessage() + ")");
        }
    }
}
