package dev.churn.bench.http;

import dev.churn.monitor.AddressText;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The HTTP/1.1 request a cycle sends with {@code --http PATH}: {@code GET PATH} with a Host header
 * and {@code Connection: close}, so a connection carries exactly one request, as a client that
 * does not pool connections sends it.
 */
public record HttpRequest(String path, byte[] bytes) {

    /** The request for this path to this target; the path must start with '/' and hold no spaces or control characters. */
    public static HttpRequest get(String path, InetSocketAddress target) {
        check(path);
        String host = target.getHostString();
        if (host.indexOf(':') >= 0) {
            // an IPv6 literal in a Host header is bracketed (RFC 9110 7.2), in its short form as curl sends it
            host = "[" + (target.getAddress() != null ? AddressText.literal(target.getAddress()) : host) + "]";
        }
        String head = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + target.getPort()
                + "\r\nUser-Agent: churn\r\nAccept: */*\r\nConnection: close\r\n\r\n";
        return new HttpRequest(path, head.getBytes(StandardCharsets.US_ASCII));
    }

    /** Refuses what is not an origin-form path, in one line (IllegalArgumentException). */
    public static void check(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("--http needs a path, e.g. --http /");
        }
        if (path.charAt(0) != '/') {
            throw new IllegalArgumentException("--http: the path must start with '/', got '" + path + "'");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new IllegalArgumentException("--http: the path holds a space, a control or a non-ASCII character "
                        + "(percent-encode it): '" + printable(path) + "'");
            }
        }
    }

    /** The path with its control and non-ASCII characters escaped, so a message quoting it stays one line. */
    private static String printable(String path) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < ' ' || c >= 0x7f) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
