package dev.churn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's nginx as a test's HTTP peer: a configuration written into a temporary folder that keeps
 * every file nginx writes there (pid, logs, temp paths), one process in the foreground (no daemon,
 * no master: the process the test starts is the one serving, and the one it kills), serving
 * {@code www/} on a loopback port, over TLS when given a certificate.
 */
final class NginxServer {

    static final String NGINX = "/usr/sbin/nginx";

    private NginxServer() {}

    static boolean installed() {
        return PeerProcess.installed(NGINX);
    }

    /**
     * Starts nginx in {@code dir} serving {@code dir/www}; with {@code cert} and {@code key} (PEM),
     * over TLS 1.2 and 1.3 only. Its access log is {@code dir/access.log}.
     */
    static PeerProcess start(Path dir, Path cert, Path key) throws IOException {
        Files.createDirectories(dir.resolve("www"));
        return PeerProcess.start(dir, "nginx", port -> {
            try {
                Files.writeString(dir.resolve("nginx.conf"), config(dir, port, cert, key));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return List.of(NGINX, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                    "-e", dir.resolve("error.log").toString());
        });
    }

    /** The lines of the access log. */
    static List<String> accessLog(Path dir) throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    static String config(Path dir, int port, Path cert, Path key) {
        String tls = cert == null ? "" : """
                        ssl_certificate %s;
                        ssl_certificate_key %s;
                        ssl_protocols TLSv1.2 TLSv1.3;
                """.formatted(cert, key);
        return """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events {
                    worker_connections 1024;
                }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    default_type text/plain;
                    server {
                        listen 127.0.0.1:%2$d%3$s;
                %4$s
                        root %1$s/www;
                    }
                }
                """.formatted(dir, port, cert == null ? "" : " ssl", tls);
    }
}
