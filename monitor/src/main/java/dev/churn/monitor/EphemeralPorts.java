package dev.churn.monitor;

import java.nio.file.Path;
import java.util.BitSet;

/**
 * The three sysctls that say how many local ports connect() can hand out towards one destination:
 * {@code net.ipv4.ip_local_port_range} ({@code low}..{@code high}, both included),
 * {@code net.ipv4.ip_local_reserved_ports} (never handed out automatically) and
 * {@code net.ipv4.tcp_tw_reuse} (0, 1, or 2 for loopback only). Read them with {@link #read(Path)}
 * once per sample: a user who widens the range to fix an exhaustion sees it take effect. All three
 * are per network namespace, and read in the reading thread's namespace.
 */
public record EphemeralPorts(int low, int high, BitSet reserved, int twReuse) {

    /** Linux's defaults, used for a setting this kernel (or proc root) does not have. */
    public static final int DEFAULT_LOW = 32768;
    public static final int DEFAULT_HIGH = 60999;
    public static final int DEFAULT_TW_REUSE = 2;

    public EphemeralPorts {
        if (low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException("port range " + low + ".." + high + " is not within 1..65535");
        }
        reserved = (BitSet) reserved.clone();
    }

    /** The settings under {@code procRoot}/sys; a missing or unreadable one takes Linux's default. */
    public static EphemeralPorts read(Path procRoot) {
        int low = DEFAULT_LOW;
        int high = DEFAULT_HIGH;
        String range = Sysctls.readOne(procRoot, "net.ipv4.ip_local_port_range");
        if (range != null) {
            String[] parts = range.split(" ");
            try {
                if (parts.length == 2 && Integer.parseInt(parts[0]) <= Integer.parseInt(parts[1])) {
                    low = Integer.parseInt(parts[0]);
                    high = Integer.parseInt(parts[1]);
                }
            } catch (NumberFormatException e) {
                // the kernel writes two numbers; anything else (a broken fixture) leaves the default
            }
        }
        BitSet reserved = new BitSet();
        String list = Sysctls.readOne(procRoot, "net.ipv4.ip_local_reserved_ports");
        if (list != null) {
            try {
                reserved = parseReserved(list);
            } catch (IllegalArgumentException e) {
                // as above: the kernel only ever writes a well-formed list
            }
        }
        int twReuse = DEFAULT_TW_REUSE;
        String reuse = Sysctls.readOne(procRoot, "net.ipv4.tcp_tw_reuse");
        if (reuse != null && reuse.matches("[0-2]")) {
            twReuse = Integer.parseInt(reuse);
        }
        return new EphemeralPorts(low, high, reserved, twReuse);
    }

    /**
     * Parses {@code ip_local_reserved_ports} as the kernel writes it: ports and {@code a-b} ranges
     * separated by commas ({@code "8080,20000-20009"}), or nothing at all.
     */
    public static BitSet parseReserved(String text) {
        BitSet ports = new BitSet(65536);
        String s = text.strip();
        if (s.isEmpty()) {
            return ports;
        }
        for (String item : s.split(",")) {
            String t = item.strip();
            int dash = t.indexOf('-');
            try {
                int from = Integer.parseInt(dash < 0 ? t : t.substring(0, dash).strip());
                int to = dash < 0 ? from : Integer.parseInt(t.substring(dash + 1).strip());
                if (from < 0 || to > 65535 || from > to) {
                    throw new IllegalArgumentException("'" + t + "' is not a port or a range of ports");
                }
                ports.set(from, to + 1);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + t + "' is not a port or a range of ports");
            }
        }
        return ports;
    }

    /** Reserved ports that lie in the range: the only ones that make it smaller. */
    public int reservedInRange() {
        return reserved.get(low, high + 1).cardinality();
    }

    /** Ports connect() can pick from: the range less the reserved ports in it. */
    public int available() {
        return high - low + 1 - reservedInRange();
    }

    /** True when connect() may pick this port: in the range and not reserved. */
    public boolean offers(int port) {
        return port >= low && port <= high && !reserved.get(port);
    }

    /** The ports as ip_local_port_range's two ends, for the code that takes them so. */
    public int[] range() {
        return new int[] {low, high};
    }

    @Override
    public BitSet reserved() {
        return (BitSet) reserved.clone();
    }
}
