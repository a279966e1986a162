package dev.churn.bench.lab;

import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A per-socket listing of the TCP sockets of the calling thread's network namespace (read from
 * /proc/thread-self/net, which follows setns(2), unlike /proc/self/net which follows the main
 * thread). The monitor only counts; the lab needs each endpoint's own state, found by its ports.
 */
public final class SocketTable {

    private static final Path NET = Path.of("/proc/thread-self/net");

    private final List<SocketRow> rows;

    private SocketTable(List<SocketRow> rows) {
        this.rows = rows;
    }

    /** Reads tcp and tcp6 of the calling thread's namespace now. */
    public static SocketTable read() throws IOException {
        return read(NET);
    }

    /** Reads tcp and tcp6 under this directory (a fixture in tests). */
    public static SocketTable read(Path netDir) throws IOException {
        List<SocketRow> out = new ArrayList<>();
        for (String file : new String[] {"tcp", "tcp6"}) {
            List<String> lines;
            try {
                lines = Files.readAllLines(netDir.resolve(file));
            } catch (NoSuchFileException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                SocketRow r = parse(line);
                if (r != null) {
                    out.add(r);
                }
            }
        }
        return new SocketTable(out);
    }

    // "  0: 0100007F:1F90 0100007F:A2C4 06 00000000:00000000 03:00001770 00000000 ..."
    static SocketRow parse(String line) {
        String[] f = line.strip().split("\\s+");
        if (f.length < 6) {
            return null;
        }
        int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
        int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
        TcpState state = TcpState.fromCode(Integer.parseInt(f[3], 16));
        int colon = f[5].indexOf(':');
        int timer = Integer.parseInt(f[5].substring(0, colon), 16);
        long when = Long.parseLong(f[5].substring(colon + 1), 16);
        return new SocketRow(local, remote, state, timer, when);
    }

    /** Every row. */
    public List<SocketRow> rows() {
        return rows;
    }

    /** The socket with exactly these ports (remote 0 for a listener), or null when there is none. */
    public SocketRow find(int localPort, int remotePort) {
        for (SocketRow r : rows) {
            if (r.localPort() == localPort && r.remotePort() == remotePort) {
                return r;
            }
        }
        return null;
    }

    /** How many sockets are in this state. */
    public long count(TcpState state) {
        return rows.stream().filter(r -> r.state() == state).count();
    }
}
