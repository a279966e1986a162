package dev.churn.bench.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response from a connection that carries only it: the status line (when its
 * first byte arrives is the FIRST_BYTE phase), the headers, and the body by Content-Length, or to
 * the end of the stream when there is none (chunked or close-delimited: the request said
 * Connection: close). Not thread-safe: one per cycle object.
 */
public final class HttpResponseReader {

    /** Most bytes of a response head; more is a broken server, not a response. */
    static final int MAX_HEAD = 64 * 1024;
    /** Most body bytes read; a bigger body is read and discarded up to here, then the cycle fails. */
    static final long MAX_BODY = 1L << 24;

    private final byte[] head = new byte[MAX_HEAD];

    /**
     * Reads the response; returns nanoseconds from {@code sentNanos} to its first byte. Throws
     * HttpStatusException for a status outside 200-299 (after reading the response whole), and
     * IOException for what is not an HTTP/1.x response.
     */
    public long read(InputStream in, byte[] buffer, long sentNanos) throws IOException {
        int n = 0;
        long firstByte = -1;
        int headEnd = -1;
        while (headEnd < 0) {
            if (n == head.length) {
                throw new IOException("HTTP response head longer than " + MAX_HEAD + " bytes");
            }
            int r = in.read(head, n, head.length - n);
            if (r < 0) {
                throw new IOException(n == 0 ? "connection closed before an HTTP response"
                        : "connection closed inside the HTTP response head (" + n + " bytes)");
            }
            if (firstByte < 0) {
                firstByte = System.nanoTime() - sentNanos;
            }
            int from = Math.max(0, n - 3);
            n += r;
            headEnd = endOfHead(head, from, n);
        }
        String headText = new String(head, 0, headEnd, StandardCharsets.ISO_8859_1);
        int eol = headText.indexOf("\r\n");
        String statusLine = eol < 0 ? headText : headText.substring(0, eol);
        int status = status(statusLine);
        long length = contentLength(headText);
        long bodyHave = n - headEnd;
        if (length >= 0) {
            long left = length - bodyHave;
            while (left > 0) {
                int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (r < 0) {
                    throw new IOException("connection closed after " + (length - left) + " of " + length + " body bytes");
                }
                left -= r;
            }
        } else {
            long total = bodyHave;
            int r;
            while ((r = in.read(buffer)) >= 0) {
                total += r;
                if (total > MAX_BODY) {
                    throw new IOException("HTTP body longer than " + MAX_BODY + " bytes");
                }
            }
        }
        if (status < 200 || status > 299) {
            throw new HttpStatusException(status, statusLine);
        }
        return firstByte;
    }

    /** The index just past the blank line ending the head, or -1; searched from {@code from}. */
    static int endOfHead(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** The status code of {@code HTTP/1.x NNN reason}. */
    static int status(String statusLine) throws IOException {
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x status line: '" + abbreviate(statusLine) + "'");
        }
        String code = statusLine.substring(9, 12);
        for (int i = 0; i < 3; i++) {
            if (code.charAt(i) < '0' || code.charAt(i) > '9') {
                throw new IOException("not an HTTP status code: '" + abbreviate(statusLine) + "'");
            }
        }
        return Integer.parseInt(code);
    }

    /** The Content-Length, or -1 when there is none or the body is chunked (read to the end then). */
    static long contentLength(String head) throws IOException {
        long length = -1;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                return -1;
            }
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: '" + abbreviate(value) + "'");
                }
                if (length < 0) {
                    throw new IOException("bad Content-Length: " + value);
                }
            }
        }
        return length;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
