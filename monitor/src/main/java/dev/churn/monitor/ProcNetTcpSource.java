package dev.churn.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Counts TCP states by reading {@code <procRoot>/net/tcp} and {@code <procRoot>/net/tcp6}, the
 * way {@code netstat} does, with a streaming byte parser that allocates nothing per socket. Point
 * {@code procRoot} at {@code /proc}, at a host's proc mounted in a container ({@code /host/proc}),
 * or at a fixture directory. Rows it cannot parse are skipped and counted in
 * {@link #malformedLines()}; a missing {@code tcp6} (IPv6 disabled) counts as no IPv6 sockets.
 * A file that is not a TCP table at all (no header line, or rows of which none parses: garbage,
 * random bytes, an empty file) fails the count with {@link NotATcpTableException}, so nonsense is
 * never read as "no sockets".
 * The family filter follows {@link AddressFamily}: rows of {@code tcp} are IPv4, and so are the
 * IPv4-mapped rows of {@code tcp6} (Java's dual-stack sockets on 127.0.0.1); the rest of
 * {@code tcp6} is IPv6.
 * Not thread-safe: one sampler thread owns a source.
 */
public final class ProcNetTcpSource implements SocketRowSource {

    /** Enough for ~1,700 IPv4 rows of 150 bytes; grows on the first large read and stays grown. */
    private static final int INITIAL_BUFFER = 256 * 1024;

    // Kept open, read again from offset 0 each sample: no descriptor needed once the first sample is made.
    private final OpenProcFile tcp;
    private final OpenProcFile tcp6;
    private final ProcFileBuffer buffer = new ProcFileBuffer(INITIAL_BUFFER);
    private long malformed;
    // good rows, malformed rows of the file just parsed; reused so a count allocates nothing
    private final int[] tally = new int[2];

    /** A source reading this proc root; fails when {@code procRoot/net/tcp} does not exist. */
    public ProcNetTcpSource(Path procRoot) throws IOException {
        Path v4 = procRoot.resolve("net").resolve("tcp");
        if (!Files.exists(v4)) {
            // /proc itself without net/tcp is a proc without it (a container, a tmpfs over /proc/net): "is --proc-root a
            // proc directory?" was asked of run, which has no --proc-root, and of a monitor not given one (QA, 2026-12-06).
            throw new IOException("no " + v4 + (procRoot.equals(Path.of("/proc")) ? " (is /proc/net hidden here?)"
                    : ": is --proc-root a proc directory?"));
        }
        tcp = new OpenProcFile(v4);
        tcp6 = new OpenProcFile(procRoot.resolve("net").resolve("tcp6"));
    }

    @Override
    public SourceKind kind() {
        return SourceKind.PROC;
    }

    @Override
    public StateCounts count(SocketFilter filter) throws IOException {
        return visit(filter, null);
    }

    /** Per socket, for grouping: the same reads and filters as {@link #count}; {@code v} null counts only. */
    @Override
    public StateCounts visit(SocketFilter filter, SocketVisitor v) throws IOException {
        StateCounts.Builder counts = new StateCounts.Builder();
        int[] ports = filter.ports();
        int stateMask = filter.stateMask();
        if (stateMask == 0) {
            return counts.build();
        }
        boolean v4 = filter.family().includesV4();
        if (v4) {
            if (!tcp.readInto(buffer)) {
                throw new NoSuchFileException(tcp.path().toString(), null, "disappeared after the source was opened");
            }
            parse(tcp.path(), ProcNetTcpParser.IPV4_DIGITS, ports, stateMask, ProcNetTcpParser.COUNT_V4, counts, v);
        }
        // tcp6 is read for IPv4 too: it holds the IPv4-mapped connections of dual-stack sockets
        if (tcp6.readInto(buffer)) {
            int families = (v4 ? ProcNetTcpParser.COUNT_V4 : 0) | (filter.family().includesV6() ? ProcNetTcpParser.COUNT_V6 : 0);
            parse(tcp6.path(), ProcNetTcpParser.IPV6_DIGITS, ports, stateMask, families, counts, v);
        }
        return counts.build();
    }

    private void parse(Path file, int addressDigits, int[] ports, int stateMask, int families, StateCounts.Builder counts,
            SocketVisitor v) throws NotATcpTableException {
        if (!ProcNetTcpParser.hasHeader(buffer.bytes(), buffer.length())) {
            throw new NotATcpTableException(file + " is not a TCP table: "
                    + (buffer.length() == 0 ? "it is empty" : "its first line is not the kernel's 'sl local_address ...' header"));
        }
        tally[ProcNetTcpParser.GOOD_ROWS] = 0;
        tally[ProcNetTcpParser.MALFORMED_ROWS] = 0;
        if (v == null) {
            ProcNetTcpParser.count(buffer.bytes(), buffer.length(), addressDigits, ports, stateMask, families, counts, tally);
        } else {
            ProcNetTcpParser.visit(buffer.bytes(), buffer.length(), addressDigits, ports, stateMask, families, counts, tally, v);
        }
        int bad = tally[ProcNetTcpParser.MALFORMED_ROWS];
        if (bad > 0 && tally[ProcNetTcpParser.GOOD_ROWS] == 0) {
            throw new NotATcpTableException(file + " is not a TCP table: none of its " + bad + " rows is a socket");
        }
        malformed += bad;
    }

    @Override
    public void close() throws IOException {
        try {
            tcp.close();
        } finally {
            tcp6.close();
        }
    }

    /** Rows skipped as malformed by all counts so far; stays 0 on a healthy kernel. */
    public long malformedLines() {
        return malformed;
    }
}
