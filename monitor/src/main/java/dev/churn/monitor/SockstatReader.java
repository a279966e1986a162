package dev.churn.monitor;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the TCP totals of {@code <procRoot>/net/sockstat} (and {@code TCP6: inuse} of
 * {@code sockstat6}): O(1) in the number of sockets, unlike a state count, but for the whole
 * network namespace, never per port. In the kernel, {@code inuse} counts IPv4 TCP sockets of this
 * namespace, {@code tw} the timewait minisockets of both families in this namespace (orphaned
 * FIN_WAIT2 included), while {@code orphan}, {@code alloc} and {@code mem} (pages) are machine-wide.
 * Create one per proc root, call {@link #read()} per sample, and close it when done.
 *
 * <p>Each file is opened at its first read and kept open: later reads re-read it from offset 0
 * (pread(2), which restarts a proc file's text). So a sample costs one system call instead of
 * open, read and close, and a run that has used up its file descriptors (EMFILE: a --closer never
 * run, a leak under test) still gets its sockstat line, when that is the moment it matters. The
 * network namespace is the one of the first read's thread (a proc/net file shows the namespace
 * of whoever opened it).
 */
public final class SockstatReader implements Closeable {

    private final ProcFile sockstat;
    private final ProcFile sockstat6;

    /** A reader for {@code procRoot/net/sockstat}. */
    public SockstatReader(Path procRoot) {
        sockstat = new ProcFile(procRoot.resolve("net").resolve("sockstat"));
        sockstat6 = new ProcFile(procRoot.resolve("net").resolve("sockstat6"));
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
    private static String[] fields(ProcFile file, String prefix) throws IOException {
        String text = file.text();
        if (text == null) {
            return null;
        }
        for (String line : text.split("\n")) {
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

    /** One proc file, opened once and read whole from offset 0 each time. Not thread-safe: one sampler reads it. */
    private static final class ProcFile implements Closeable {
        private final Path path;
        private FileChannel channel;
        private boolean missing;
        private ByteBuffer buffer = ByteBuffer.allocate(1024);

        ProcFile(Path path) {
            this.path = path;
        }

        /** The file's text now, or null when there is no such file. */
        String text() throws IOException {
            if (missing) {
                return null;
            }
            if (channel == null) {
                try {
                    channel = FileChannel.open(path, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    missing = true; // no /proc here (or no IPv6): it will not appear while we run
                    return null;
                }
            }
            buffer.clear();
            long position = 0;
            for (int n; (n = channel.read(buffer, position)) >= 0; ) {
                position += n;
                if (!buffer.hasRemaining()) {
                    // A proc file reports no size: grow and read on from where the text stopped.
                    buffer = ByteBuffer.allocate(buffer.capacity() * 2).put(buffer.flip());
                }
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }
    }
}
