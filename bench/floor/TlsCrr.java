import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's TLS floor: one flow of TLS 1.3 connections (what `openssl s_time` makes) with the
 * JDK's own SSLSocket and nothing of churn's: no per-phase timing, no recording, no monitor.
 * Whatever `churn run --tls 1.3` costs beyond this program is churn's; whatever this program costs
 * beyond `openssl s_time` is the JDK's TLS.
 *
 * Per connection, as churn's socket cycle does: a plain Socket (TCP_NODELAY) connects, an SSLSocket
 * is laid over it and handshakes; "new" then ends the session (invalidate) so the next handshake is a full one,
 * "reuse" sends `GET PATH HTTP/1.1` (Connection: close) and reads the response to its end, resuming
 * the session the JDK cached. The client closes: close_notify and FIN (shutdownOutput), then close.
 * Full handshakes are counted where the certificate is checked: a resumed one checks none.
 *
 *   java [-cp churn.jar] bench/floor/TlsCrr.java HOST:PORT SECONDS WARMUP_SECONDS MODE CERT.pem [PATH]
 *
 * MODE is new or reuse, or new-accp or reuse-accp: the same with Amazon Corretto Crypto Provider's
 * native cryptography first in the provider list and secp256r1 the only group offered, as churn's
 * `--tls-provider accp --tls-groups secp256r1` does. Those two need ACCP on the class path (churn's
 * jar carries it). CERT.pem is the certificate to trust (the server's own, self-signed). Prints one line:
 *   tls-crr mode=new transactions=N seconds=S per_second=R full=F resumed=R cpu_us_per_transaction=C
 * Exit codes: 0 done, 1 a socket call or handshake failed (printed), 2 bad arguments. Bounded: it
 * stops after WARMUP + SECONDS, or after 100,000,000 transactions.
 */
public final class TlsCrr {

    private static final int TIMEOUT_MILLIS = 5000;
    private static final AtomicLong fullHandshakes = new AtomicLong();

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args);
        if (a.accp) {
            installAccp();
        }
        SSLSocketFactory factory = context(a.cert).getSocketFactory();
        byte[] request = ("GET " + a.path + " HTTP/1.1\r\nHost: " + a.target.getHostString() + ":" + a.target.getPort()
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[16384];
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long warmEnd = System.nanoTime() + a.warmupMillis * 1_000_000L;
        long n = 0, n0 = 0, full0 = 0, t0 = 0, cpu0 = 0, end = Long.MAX_VALUE;
        boolean measuring = false;
        try {
            while (n - n0 < 100_000_000L) {
                long now = System.nanoTime();
                if (!measuring && now - warmEnd >= 0) {
                    measuring = true;
                    n0 = n;
                    full0 = fullHandshakes.get();
                    t0 = now;
                    cpu0 = os.getProcessCpuTime();
                    end = t0 + a.seconds * 1_000_000_000L;
                }
                if (measuring && now - end >= 0) {
                    break;
                }
                cycle(a, factory, request, buffer);
                n++;
            }
        } catch (IOException e) {
            System.err.println("tls-crr: " + e);
            System.exit(1);
        }
        long t1 = System.nanoTime(), cpu1 = os.getProcessCpuTime();
        long count = n - n0, full = fullHandshakes.get() - full0;
        double secs = (t1 - t0) / 1e9;
        System.out.printf("tls-crr mode=%s%s transactions=%d seconds=%.3f per_second=%.1f full=%d resumed=%d cpu_us_per_transaction=%.1f%n",
                a.reuse ? "reuse" : "new", a.accp ? "-accp" : "", count, secs, count / secs, full, count - full,
                count == 0 ? Double.NaN : (cpu1 - cpu0) / 1e3 / count);
    }

    private static void cycle(Args a, SSLSocketFactory factory, byte[] request, byte[] buffer) throws IOException {
        try (Socket plain = new Socket(Proxy.NO_PROXY)) {
            // TCP_NODELAY, as churn sets it under TLS (and curl, browsers, nginx): without it Nagle holds a
            // small record behind the peer's delayed ACK, ~40 ms on loopback.
            plain.setTcpNoDelay(true);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            plain.connect(a.target, TIMEOUT_MILLIS);
            SSLSocket ssl = (SSLSocket) factory.createSocket(plain, a.target.getHostString(), a.target.getPort(), true);
            ssl.setEnabledProtocols(new String[] {"TLSv1.3"});
            if (a.accp) {
                // ACCP has P-256 but not X25519: one key share the native code computes, as churn offers it.
                SSLParameters p = ssl.getSSLParameters();
                p.setNamedGroups(new String[] {"secp256r1"});
                ssl.setSSLParameters(p);
            }
            ssl.startHandshake();
            if (a.reuse) {
                ssl.getOutputStream().write(request);
                InputStream in = ssl.getInputStream();
                int got = 0;
                for (int r; (r = in.read(buffer)) > 0; ) {
                    got += r;
                }
                if (got == 0) {
                    throw new IOException("the server sent no response");
                }
                // churn's client closes first here too (--closer client, the default): close_notify and
                // its FIN after the server's close_notify, which s_server waits for before its own FIN.
                ssl.shutdownOutput();
            } else {
                ssl.getSession().invalidate(); // the next handshake is a full one
                ssl.shutdownOutput();
            }
        }
    }

    /**
     * Amazon Corretto Crypto Provider first, as churn's TlsProvider puts it; found by name, so that
     * this program needs ACCP only when asked for it.
     */
    private static void installAccp() {
        try {
            Class<?> c = Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
            Provider accp = (Provider) c.getField("INSTANCE").get(null);
            Object error = c.getMethod("getLoadingError").invoke(accp);
            if (error != null) {
                Args.bad("Amazon Corretto Crypto Provider cannot load its native library here: " + error);
            }
            Security.insertProviderAt(accp, 1);
        } catch (ReflectiveOperationException e) {
            Args.bad("the -accp modes need Amazon Corretto Crypto Provider on the class path "
                    + "(java -cp cli/target/churn.jar ...): " + e);
        }
    }

    /** TLS with one trusted certificate; counts the full handshakes (each checks the server's certificate). */
    private static SSLContext context(Path cert) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
        f.init(trusted);
        X509ExtendedTrustManager pkix = (X509ExtendedTrustManager) f.getTrustManagers()[0];
        X509ExtendedTrustManager counting = new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                fullHandshakes.incrementAndGet();
                pkix.checkServerTrusted(chain, authType, socket);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                fullHandshakes.incrementAndGet();
                pkix.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                fullHandshakes.incrementAndGet();
                pkix.checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                pkix.checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                pkix.checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                pkix.checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return pkix.getAcceptedIssuers();
            }
        };
        SSLContext c = SSLContext.getInstance("TLSv1.3");
        c.init(null, new TrustManager[] {counting}, null);
        return c;
    }

    private record Args(InetSocketAddress target, int seconds, long warmupMillis, boolean reuse, boolean accp, Path cert,
            String path) {
        static Args parse(String[] args) {
            String usage = "usage: java [-cp churn.jar] TlsCrr.java HOST:PORT SECONDS WARMUP_SECONDS "
                    + "new|reuse|new-accp|reuse-accp CERT.pem [PATH]";
            if (args.length < 5 || args.length > 6) {
                bad(usage);
            }
            int colon = args[0].lastIndexOf(':');
            if (colon < 1) {
                bad("HOST:PORT must be like 127.0.0.1:4433, not '" + args[0] + "'; " + usage);
            }
            int port = number(args[0].substring(colon + 1), "PORT", 1, 65535);
            int seconds = number(args[1], "SECONDS", 1, 3600);
            int warmup = number(args[2], "WARMUP_SECONDS", 0, 3600);
            String mode = args[3];
            boolean accp = mode.endsWith("-accp");
            String base = accp ? mode.substring(0, mode.length() - "-accp".length()) : mode;
            if (!base.equals("new") && !base.equals("reuse")) {
                bad("the mode is new, reuse, new-accp or reuse-accp, not '" + mode + "'");
            }
            Path cert = Path.of(args[4]);
            if (!Files.isReadable(cert)) {
                bad("cannot read the certificate " + cert);
            }
            String path = args.length > 5 ? args[5] : "/";
            if (!path.startsWith("/")) {
                bad("PATH starts with /, not '" + path + "'");
            }
            return new Args(new InetSocketAddress(args[0].substring(0, colon), port), seconds, warmup * 1000L,
                    base.equals("reuse"), accp, cert, path);
        }

        private static int number(String s, String name, int min, int max) {
            try {
                int v = Integer.parseInt(s);
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException ignored) {
                // said below
            }
            bad(name + " must be a whole number from " + min + " to " + max + ", not '" + s + "'");
            return 0;
        }

        private static void bad(String line) {
            System.err.println("tls-crr: " + line);
            System.exit(2);
        }
    }
}
