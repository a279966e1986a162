package dev.churn.monitor;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads the TCP totals of {@code <procRoot>/net/sockstat} (and {@code TCP6: inuse} of
 * {@code sockstat6}): O(1) in the number of sockets, unlike a state count, but for the whole
 * network namespace, never per port. In the kernel, {@code inuse} counts IPv4 TCP sockets of this
 * namespace, {@code tw} the timewait minisockets of both families in this namespace (orphaned
 * FIN_WAIT2 included), while {@code orphan}, {@code alloc} and {@code mem} (pages) are machine-wide.
 * Create one per proc root, call {@link #read()} per sample, and close it when done.
 *
 * <p>Each file is opened at its first read and kept open ({@link OpenProcFile}): a run that has
 * used up its file descriptors still gets its sockstat line, and a sample reads it with two
 * system calls (its text, then the end) where opening and closing it each time made four.
 */
public final class SockstatReader implements Closeable {

    private final OpenProcFile sockstat;
    private final OpenProcFile sockstat6;
    private final ProcFileBuffer buffer = new ProcFileBuffer(1024);

    /** A reader for {@code procRoot/net/sockstat}. */
    public SockstatReader(Path procRoot) {
        sockstat = new OpenProcFile(procRoot.resolve("net").resolve("sockstat"));
        sockstat6 = new OpenProcFile(procRoot.resolve("net").resolve("sockstat6"));
    }

    /** Reads the TCP line once, opening and closing the file: for one look, not a series of samples. */
    public static Sockstat readOnce(Path procRoot) throws IOException {
        try (SockstatReader r = new SockstatReader(procRoot)) {
            return r.read();
        }
    }

    /**
     * The {@code TCP:} line now; fields the line lacks are -1, and a missing file (no /proc here)
     * gives {@link Sockstat#UNKNOWN}.
     */
    public Sockstat read() throws IOException {
        String[] tcp = fields(sockstat, "TCP:");
        if (tcp == null) {
            return Sockstat.UNKNOWN;
        }
        return new Sockstat(value(tcp, "inuse"), value(tcp, "orphan"), value(tcp, "tw"), value(tcp, "alloc"), value(tcp, "mem"));
    }

    /** IPv6 TCP sockets in use in this namespace ({@code sockstat6}'s {@code TCP6: inuse}), or -1. */
    public long readTcp6InUse() throws IOException {
        String[] tcp6 = fields(sockstat6, "TCP6:");
        return tcp6 == null ? -1 : value(tcp6, "inuse");
    }

    @Override
    public void close() throws IOException {
        try {
            sockstat.close();
        } finally {
            sockstat6.close();
        }
    }

    /** The words after {@code prefix} on the line that starts with it, or null. */
    private String[] fields(OpenProcFile file, String prefix) throws IOException {
        if (!file.readInto(buffer)) {
            return null;
        }
        String text = new String(buffer.bytes(), 0, buffer.length(), StandardCharsets.US_ASCII);
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                String rest = line.substring(prefix.length()).strip();
                return Words.of(rest);
            }
        }
        return null;
    }

    /** The number after {@code key} in alternating key/value words, or -1. */
    private static long value(String[] words, String key) {
        for (int i = 0; i + 1 < words.length; i += 2) {
            if (words[i].equals(key)) {
                try {
                    return Long.parseLong(words[i + 1]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
