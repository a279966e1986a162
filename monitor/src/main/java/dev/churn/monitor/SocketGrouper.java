package dev.churn.monitor;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups the rows of one sample by the {@link GroupKey}s asked for, ranks the groups by their
 * socket count and sums those beyond the top N into one {@link SocketGroup#OTHER} group. The side
 * of a socket comes from its local port: server when a LISTEN socket of the same sample holds it,
 * client when it lies in {@code ip_local_port_range}. Sockets without an owner (inode 0: TIME_WAIT,
 * orphaned FIN_WAIT2 and other orphans) form groups of their own per state and side. Each group
 * also gets the {@link IdleAges} of its CLOSE_WAIT sockets, from the rows that carry an idle age.
 */
public final class SocketGrouper {

    /** Groups shown when {@code --top} is not given. */
    public static final int DEFAULT_TOP = 20;

    private final List<GroupKey> keys;
    private final int top;
    private final int rangeLow;
    private final int rangeHigh;

    /**
     * Groups by {@code keys} (in that order, duplicates ignored), keeping {@code top} groups;
     * {@code portRange} is ip_local_port_range's two ends.
     */
    public SocketGrouper(List<GroupKey> keys, int top, int[] portRange) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no grouping key");
        }
        if (top < 1) {
            throw new IllegalArgumentException("top must be at least 1, got " + top);
        }
        this.keys = List.copyOf(new java.util.LinkedHashSet<>(keys));
        this.top = top;
        this.rangeLow = portRange[0];
        this.rangeHigh = portRange[1];
    }

    /** The keys, in order. */
    public List<GroupKey> keys() {
        return keys;
    }

    /** True when a key needs the process scan. */
    public boolean needsOwners() {
        return keys.contains(GroupKey.PROCESS);
    }

    /** The ranked groups of these rows; {@code owners} may be null when no key is {@code process}. */
    public List<SocketGroup> group(List<SocketRow> rows, SocketOwners owners) {
        Set<Integer> listening = new HashSet<>();
        for (SocketRow r : rows) {
            if (r.state() == TcpState.LISTEN) {
                listening.add(r.localPort());
            }
        }
        Map<List<Object>, Acc> groups = new HashMap<>();
        for (SocketRow r : rows) {
            Side side = listening.contains(r.localPort()) ? Side.SERVER
                    : r.localPort() >= rangeLow && r.localPort() <= rangeHigh ? Side.CLIENT : Side.UNKNOWN;
            Acc fresh = new Acc();
            List<Object> id = new ArrayList<>(keys.size());
            List<String> shown = new ArrayList<>(keys.size());
            for (GroupKey k : keys) {
                switch (k) {
                    case PORT -> {
                        fresh.port = r.localPort();
                        fresh.side = side;
                        id.add(r.localPort());
                        shown.add(r.localPort() + " (" + side.label() + ")");
                    }
                    case PEER -> {
                        fresh.address = text(r.remoteAddress());
                        id.add(fresh.address);
                        shown.add(fresh.address);
                    }
                    case REMOTE -> {
                        fresh.address = text(r.remoteAddress());
                        fresh.remotePort = r.remotePort();
                        id.add(fresh.address + "#" + r.remotePort());
                        shown.add(endpoint(r.remoteAddress(), r.remotePort()));
                    }
                    case SIDE -> {
                        fresh.side = side;
                        id.add(side);
                        shown.add(side.label());
                    }
                    case PROCESS -> {
                        ProcessOwner o = owners == null ? null : owners.owner(r.inode());
                        if (o != null) {
                            fresh.pid = o.pid();
                            fresh.command = o.command();
                            id.add(o);
                            shown.add(o.pid() + " " + o.command());
                        } else if (r.unowned()) {
                            // Nobody holds it: which state and which end are what the user can act on.
                            fresh.side = side;
                            id.add(r.state() + "/" + side);
                            shown.add("(no process: " + r.state() + ", " + side.label() + " side)");
                        } else {
                            id.add("unknown");
                            shown.add("(unknown process)");
                        }
                    }
                }
            }
            fresh.key = String.join(" | ", shown);
            Acc acc = groups.computeIfAbsent(id, i -> fresh);
            acc.counts[r.state().ordinal()]++;
            if (r.state() == TcpState.CLOSE_WAIT && r.idleMillis() >= 0) {
                acc.addIdle(r.idleMillis());
            }
        }
        List<Acc> ranked = new ArrayList<>(groups.values());
        ranked.sort(Comparator.comparingLong(Acc::total).reversed().thenComparing(a -> a.key));
        List<SocketGroup> out = new ArrayList<>(Math.min(ranked.size(), top + 1));
        Acc other = null;
        for (int i = 0; i < ranked.size(); i++) {
            if (i < top) {
                out.add(ranked.get(i).toGroup());
            } else {
                if (other == null) {
                    other = new Acc();
                    other.key = SocketGroup.OTHER;
                }
                Acc rest = ranked.get(i);
                for (int s = 0; s < other.counts.length; s++) {
                    other.counts[s] += rest.counts[s];
                }
                for (int k = 0; k < rest.idleCount; k++) {
                    other.addIdle(rest.idle[k]);
                }
            }
        }
        if (other != null) {
            out.add(other.toGroup());
        }
        return out;
    }

    /** {@code a.b.c.d:port} or {@code [v6]:port}. */
    static String endpoint(InetAddress a, int port) {
        return (a instanceof Inet6Address ? "[" + text(a) + "]" : text(a)) + ":" + port;
    }

    private static String text(InetAddress a) {
        String s = a.getHostAddress();
        int zone = s.indexOf('%');
        return zone < 0 ? s : s.substring(0, zone);
    }

    private static final long[] NO_IDLE = new long[0];

    /** A group being summed. */
    private static final class Acc {
        final long[] counts = new long[TcpState.values().length];
        String key;
        Long pid;
        String command;
        Integer port;
        Side side;
        String address;
        Integer remotePort;
        long[] idle = NO_IDLE; // CLOSE_WAIT idle ages, ms; the first idleCount are used
        int idleCount;

        void addIdle(long millis) {
            if (idleCount == idle.length) {
                idle = java.util.Arrays.copyOf(idle, Math.max(8, 2 * idle.length));
            }
            idle[idleCount++] = millis;
        }

        long total() {
            long t = 0;
            for (long c : counts) {
                t += c;
            }
            return t;
        }

        SocketGroup toGroup() {
            StateCounts.Builder b = new StateCounts.Builder();
            for (TcpState s : TcpState.values()) {
                b.add(s, counts[s.ordinal()]);
            }
            return new SocketGroup(key, pid, command, port, side, address, remotePort, b.build(),
                    IdleAges.of(idle, idleCount));
        }
    }
}
