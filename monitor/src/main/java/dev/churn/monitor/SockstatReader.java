package dev.churn.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the TCP totals of {@code <procRoot>/net/sockstat} (and {@code TCP6: inuse} of
 * {@code sockstat6}): O(1) in the number of sockets, unlike a state count, but for the whole
 * network namespace, never per port. In the kernel, {@code inuse} counts IPv4 TCP sockets of this
 * namespace, {@code tw} the timewait minisockets of both families in this namespace (orphaned
 * FIN_WAIT2 included), while {@code orphan}, {@code alloc} and {@code mem} (pages) are machine-wide.
 * Create one per proc root and call {@link #read()} per sample.
 */
public final class SockstatReader {

    private final Path sockstat;
    private final Path sockstat6;

    /** A reader for {@code procRoot/net/sockstat}. */
    public SockstatReader(Path procRoot) {
        sockstat = procRoot.resolve("net").resolve("sockstat");
        sockstat6 = procRoot.resolve("net").resolve("sockstat6");
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

    /** The words after {@code prefix} on the line that starts with it, or null. */
    private static String[] fields(Path file, String prefix) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        }
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                String rest = line.substring(prefix.length()).strip();
                return rest.isEmpty() ? new String[0] : rest.split("\\s+");
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
