package dev.churn.bench.engine;

import dev.churn.monitor.NetlinkSource;
import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A per-socket listing of one port's TCP sockets (netlink, else /proc/net/tcp and tcp6), for tests that must tell the
 * client side (local port != sink port) from the server side; the monitor only counts.
 */
final class ProcSockets {

    /** One socket: its local and remote ports and its state. */
    record Entry(int localPort, int remotePort, TcpState state) {}

    private ProcSockets() {}

    /**
     * Sockets whose local or remote port is {@code port}. From netlink with the port filter run in the kernel, where it
     * can be: reading all of /proc/net/tcp took 3 s a test late in a build, with the suite's TIME_WAIT in the table
     * (the same 4 tests: 0.5 s each alone). /proc where netlink is refused.
     */
    static List<Entry> onPort(int port) throws IOException {
        if (NetlinkSource.isSupported()) {
            List<Entry> out = new ArrayList<>();
            try (NetlinkSource netlink = new NetlinkSource()) {
                netlink.visit(SocketFilter.ports(port), r -> out.add(new Entry(r.localPort(), r.remotePort(), r.state())));
            }
            return out;
        }
        return fromProc(port);
    }

    private static List<Entry> fromProc(int port) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (NoSuchFileException e) {
                continue;
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.strip().split("\\s+");
                int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                if (local == port || remote == port) {
                    out.add(new Entry(local, remote, TcpState.fromCode(Integer.parseInt(f[3], 16))));
                }
            }
        }
        return out;
    }

    /** How many sockets on the port are in this state, split by side: [client side, server side]. */
    static long[] bySide(int port, TcpState state) throws IOException {
        long[] n = new long[2];
        for (Entry e : onPort(port)) {
            if (e.state() == state) {
                n[e.localPort() == port ? 1 : 0]++;
            }
        }
        return n;
    }
}
