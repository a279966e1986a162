package dev.churn.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What this process's listeners on a port hold in their accept queues: connections the kernel has set up (their
 * clients' connects returned) that no accept took yet. Each LISTEN row's rx_queue in /proc/self/net/tcp and tcp6 is
 * its listener's accept queue (what {@code ss -ltn} shows as Recv-Q); only rows whose inode is one of this process's
 * sockets count, so another process sharing the port through SO_REUSEPORT is left out. Read once, at a stop.
 */
final class AcceptQueues {

    private static final Path PROC_SELF = Path.of("/proc/self");
    private static final String LISTEN = "0A";

    private AcceptQueues() {}

    /** The connections queued on this process's listeners on {@code port}; 0 when /proc cannot tell. */
    static long queued(int port) {
        try {
            Set<String> ours = socketInodes();
            return queued(PROC_SELF.resolve("net/tcp"), port, ours) + queued(PROC_SELF.resolve("net/tcp6"), port, ours);
        } catch (IOException | RuntimeException e) {
            return 0; // no /proc (or a row it cannot read): nothing said rather than a wrong count
        }
    }

    /** The inodes of this process's sockets, as /proc/self/fd's links name them ("socket:[12345]"). */
    private static Set<String> socketInodes() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC_SELF.resolve("fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:[") && target.endsWith("]")) {
                    inodes.add(target.substring("socket:[".length(), target.length() - 1));
                }
            }
        }
        return inodes;
    }

    // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
    private static long queued(Path table, int port, Set<String> ours) throws IOException {
        if (!Files.isReadable(table)) {
            return 0; // no IPv6 in this kernel
        }
        String hexPort = String.format("%04X", port);
        long sum = 0;
        try (BufferedReader r = Files.newBufferedReader(table)) {
            r.readLine(); // the header
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && LISTEN.equals(f[3]) && f[1].endsWith(":" + hexPort) && ours.contains(f[9])) {
                    sum += Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
                }
            }
        }
        return sum;
    }
}
