package dev.churn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code openssl s_server} as a test's TLS peer: a self-signed P-256 certificate for 127.0.0.1 and
 * localhost made by {@code openssl req}, the server started on a free loopback port ({@link
 * PeerProcess}), and, with {@code -www}, its status page read as the counters it lists (its
 * session cache: accepts, hits, items).
 */
final class OpensslServer {

    static final String OPENSSL = "/usr/bin/openssl";

    private OpensslServer() {}

    static boolean installed() {
        return PeerProcess.installed(OPENSSL);
    }

    /** Makes {@code cert.pem} and {@code key.pem} in {@code dir}; returns the certificate's path. */
    static Path selfSigned(Path dir) throws IOException {
        Process p = new ProcessBuilder(OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("req.log").toFile()).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("openssl req failed, see " + dir.resolve("req.log"));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return dir.resolve("cert.pem");
    }

    /**
     * Starts {@code openssl s_server} with the certificate {@link #selfSigned} made in {@code dir}
     * and these further options (e.g. {@code -www}, {@code -tls1_2}, {@code -no_ticket}).
     */
    static PeerProcess start(Path dir, String... options) throws IOException {
        return PeerProcess.start(dir, "s_server", port -> {
            List<String> cmd = new ArrayList<>(List.of(OPENSSL, "s_server", "-accept", "127.0.0.1:" + port,
                    "-cert", "cert.pem", "-key", "key.pem"));
            cmd.addAll(List.of(options));
            return cmd;
        });
    }

    /** The counter lines of an {@code s_server -www} status page ("  12 session cache hits"), by name. */
    static Map<String, Long> counters(String page) {
        Map<String, Long> c = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+) ([a-z][^\\n(]*?)\\s*(\\(.*\\))?$").matcher(page);
        while (m.find()) {
            c.put(m.group(2), Long.parseLong(m.group(1)));
        }
        return c;
    }

    /**
     * Fetches the status page of an {@code s_server -www} on this port, over a connection of its
     * own that makes a full handshake (a fresh context: nothing to resume), trusting anything.
     */
    static Map<String, Long> status(int port) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAnything()}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String page = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            Map<String, Long> c = counters(page);
            if (!c.containsKey("session cache hits")) {
                throw new IOException("no session cache counters in the s_server page: " + page);
            }
            return c;
        }
    }

    /** Test code only: the status page's connection needs no trust. */
    private static final class TrustAnything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
