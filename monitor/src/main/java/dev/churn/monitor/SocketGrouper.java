package dev.churn.monitor;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Groups the rows of one sample by the {@link GroupKey}s asked for, ranks the groups by their
 * socket count and sums those beyond the top N into one {@link SocketGroup#OTHER} group. The side
 * of a socket comes from its local port: server when a LISTEN socket of the same sample (of either family) holds it,
 * client when it lies in {@code ip_local_port_range}. Sockets without an owner (inode 0: TIME_WAIT,
 * orphaned FIN_WAIT2 and other orphans) form groups of their own per state and side. Each group
 * also gets the {@link IdleAges} of its CLOSE_WAIT sockets, from the rows that carry an idle age.
 * Not thread-safe: one per source, like the source itself.
 */
public final class SocketGrouper {

    /** Groups shown when {@code --top} is not given. */
    public static final int DEFAULT_TOP = 20;

    private final List<GroupKey> keys;
    private final int top;
    private final Map<Object, Acc> groups = new HashMap<>();
    private final RemoteProbe remoteProbe = new RemoteProbe();
    private int samples;

    /** Groups by {@code keys} (in that order, duplicates ignored), keeping {@code top} groups. */
    public SocketGrouper(List<GroupKey> keys, int top) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no grouping key");
        }
        if (top < 1) {
            throw new IllegalArgumentException("top must be at least 1, got " + top);
        }
        this.keys = List.copyOf(new java.util.LinkedHashSet<>(keys));
        this.top = top;
    }

    /** The keys, in order. */
    public List<GroupKey> keys() {
        return keys;
    }

    /** True when a key needs the process scan. */
    public boolean needsOwners() {
        return keys.contains(GroupKey.PROCESS);
    }

    /**
     * The ranked groups of these rows, whose server side is the ports in {@code listening} (the
     * sample's LISTEN sockets of both families, whatever family the rows were filtered to) and
     * whose client side is {@code ports}' range as read for this sample; {@code owners} may be null
     * when no key is {@code process}.
     * Ranked by socket count, ties in the natural order of their keys (ports and addresses by
     * number, sides and unowned groups by kind, processes by pid).
     *
     * <p>The range comes with each sample, as {@link PortHeadroom}'s does: a grouper that kept the
     * range read when it was made called a port of a range widened mid-run unknown while the
     * headroom of the same sample counted it as a client's (review, 2026-12-07).
     *
     * <p>Per row this costs one small key object and one hash lookup: at tens of thousands of
     * sockets (and, with {@code remote}, as many groups) building display text or sorting every
     * group made grouping cost several times the dump; text is made for the shown groups only,
     * and those are picked with a bounded heap.
     */
    public List<SocketGroup> group(List<SocketRow> rows, BitSet listening, EphemeralPorts ports, SocketOwners owners) {
        int rangeLow = ports.low();
        int rangeHigh = ports.high();
        // The groups live on from sample to sample, emptied when a sample meets them again and dropped
        // when it does not: on a server --by remote makes a group per accepted socket, tens of
        // thousands, and making them anew each sample filled the young generation every few samples
        // (GC pauses of 20-90 ms inside samples on a busy 2-core machine).
        int sample = ++samples;
        Object[] parts = new Object[keys.size()];
        for (SocketRow r : rows) {
            Side side = listening.get(r.localPort()) ? Side.SERVER
                    : r.localPort() >= rangeLow && r.localPort() <= rangeHigh ? Side.CLIENT : Side.UNKNOWN;
            for (int i = 0; i < parts.length; i++) {
                parts[i] = switch (keys.get(i)) {
                    case PORT -> r.localPort(); // the side follows from the port
                    case PEER -> r.remoteAddress();
                    case REMOTE -> remoteProbe.set(r.remoteAddress(), r.remotePort());
                    case SIDE -> side;
                    case PROCESS -> {
                        ProcessOwner o = owners == null ? null : owners.owner(r.inode());
                        // Nobody holds it: which state and which end are what the user can act on.
                        yield o != null ? o : r.unowned() ? Unowned.of(r.state(), side) : UNKNOWN_OWNER;
                    }
                };
            }
            Object id = parts.length == 1 ? parts[0] : List.of(parts);
            Acc acc = groups.get(id);
            if (acc == null) {
                Object[] own = parts.clone();
                for (int i = 0; i < own.length; i++) {
                    if (own[i] == remoteProbe) {
                        own[i] = remoteProbe.copy(); // the stored key must not change with the next row
                    }
                }
                acc = new Acc(own, side);
                groups.put(own.length == 1 ? own[0] : List.of(own), acc);
            }
            if (acc.sample != sample) {
                acc.reset(sample, side); // the side of a port can change: a listener came or went
            }
            acc.counts[r.state().ordinal()]++;
            acc.total++;
            if (r.state() == TcpState.CLOSE_WAIT && r.idleMillis() >= 0) {
                acc.addIdle(r.idleMillis());
            }
        }
        groups.values().removeIf(a -> a.sample != sample);
        List<Acc> shown = topOf(groups.values());
        List<SocketGroup> out = new ArrayList<>(shown.size() + 1);
        for (Acc a : shown) {
            a.shown = true;
            out.add(a.toGroup(keys));
        }
        if (groups.size() > shown.size()) {
            Acc other = new Acc(null, null);
            for (Acc rest : groups.values()) {
                if (rest.shown) {
                    continue;
                }
                for (int s = 0; s < other.counts.length; s++) {
                    other.counts[s] += rest.counts[s];
                }
                for (int k = 0; k < rest.idleCount; k++) {
                    other.addIdle(rest.idle[k]);
                }
            }
            out.add(other.toGroup(keys));
        }
        return out;
    }

    // The top groups, best first: a heap of the best so far whose head is the worst of them.
    private List<Acc> topOf(java.util.Collection<Acc> all) {
        PriorityQueue<Acc> best = new PriorityQueue<>(Math.min(all.size(), top) + 1, RANK.reversed());
        for (Acc a : all) {
            if (best.size() < top) {
                best.add(a);
            } else if (RANK.compare(a, best.peek()) < 0) {
                best.poll();
                best.add(a);
            }
        }
        List<Acc> ranked = new ArrayList<>(best);
        ranked.sort(RANK);
        return ranked;
    }

    /** Larger groups first; ties by their keys' natural order. */
    private static final Comparator<Acc> RANK = (a, b) -> {
        int c = Long.compare(b.total, a.total);
        for (int i = 0; c == 0 && i < a.parts.length; i++) {
            c = comparePart(a.parts[i], b.parts[i]);
        }
        return c;
    };

    private static int comparePart(Object a, Object b) {
        return switch (a) {
            case Integer port -> Integer.compare(port, (Integer) b);
            case InetAddress address -> compareAddresses(address, (InetAddress) b);
            case Remote remote -> {
                int c = compareAddresses(remote.address(), ((Remote) b).address());
                yield c != 0 ? c : Integer.compare(remote.port(), ((Remote) b).port());
            }
            case Side side -> side.compareTo((Side) b);
            default -> Integer.compare(ownerRank(a), ownerRank(b)) != 0 ? Integer.compare(ownerRank(a), ownerRank(b))
                    : a instanceof ProcessOwner pa ? Long.compare(pa.pid(), ((ProcessOwner) b).pid())
                    : a instanceof Unowned ua ? ua.compareTo((Unowned) b) : 0;
        };
    }

    // Processes first, then the unowned groups, then sockets whose holder could not be seen.
    private static int ownerRank(Object o) {
        return o instanceof ProcessOwner ? 0 : o instanceof Unowned ? 1 : 2;
    }

    // IPv4 before IPv6, then by the address's bytes as unsigned numbers.
    private static int compareAddresses(InetAddress a, InetAddress b) {
        if (a == b) {
            return 0;
        }
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        return x.length != y.length ? Integer.compare(x.length, y.length) : Arrays.compareUnsigned(x, y);
    }

    /**
     * The lookup key for {@link Remote}, reused for every row: a server's tens of thousands of
     * accepted sockets would otherwise each allocate one per sample just to look their group up.
     * It equals the {@link Remote} of the same address and port (HashMap calls the probe's equals
     * with the stored key) and hashes the same; it is never stored.
     */
    private static final class RemoteProbe {
        private InetAddress address;
        private int port;

        RemoteProbe set(InetAddress a, int p) {
            address = a;
            port = p;
            return this;
        }

        Remote copy() {
            return new Remote(address, port);
        }

        @Override
        public int hashCode() {
            return Remote.hash(address, port);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Remote r && r.port() == port && (r.address() == address || r.address().equals(address));
        }
    }

    /**
     * The {@code remote} key's part: the address and port called. Hashed and compared by hand: on a
     * server every accepted socket is a group of its own, so this is hashed once or twice per row,
     * and the generated record methods showed in profiles.
     */
    private record Remote(InetAddress address, int port) {
        @Override
        public int hashCode() {
            return hash(address, port);
        }

        static int hash(InetAddress address, int port) {
            return address.hashCode() * 65_537 + port;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Remote r && r.port == port && (r.address == address || r.address.equals(address));
        }
    }

    /** The {@code process} key's part for a socket no file holds: its state and side. */
    private record Unowned(TcpState state, Side side) implements Comparable<Unowned> {
        private static final Unowned[][] ALL = new Unowned[TcpState.values().length][Side.values().length];

        static {
            for (TcpState t : TcpState.values()) {
                for (Side s : Side.values()) {
                    ALL[t.ordinal()][s.ordinal()] = new Unowned(t, s);
                }
            }
        }

        static Unowned of(TcpState state, Side side) {
            return ALL[state.ordinal()][side.ordinal()];
        }

        @Override
        public int compareTo(Unowned o) {
            int c = state.compareTo(o.state);
            return c != 0 ? c : side.compareTo(o.side);
        }
    }

    /** The {@code process} key's part for an owned socket whose holder we cannot see. */
    private static final Object UNKNOWN_OWNER = new Object() {
        @Override
        public String toString() {
            return "unknown";
        }
    };

    private static final long[] NO_IDLE = new long[0];

    /** A group being summed: its key's parts, counted until it is shown. */
    private static final class Acc {
        final long[] counts = new long[TcpState.values().length];
        final Object[] parts; // null for other
        Side side; // of the first row of the sample: constant for keys port, side and an unowned process
        int sample; // the last sample that counted into it
        long total;
        boolean shown;
        long[] idle = NO_IDLE; // CLOSE_WAIT idle ages, ms; the first idleCount are used
        int idleCount;

        Acc(Object[] parts, Side side) {
            this.parts = parts;
            this.side = side;
        }

        void reset(int sample, Side side) {
            this.sample = sample;
            this.side = side;
            Arrays.fill(counts, 0);
            total = 0;
            shown = false;
            idleCount = 0;
        }

        void addIdle(long millis) {
            if (idleCount == idle.length) {
                idle = Arrays.copyOf(idle, Math.max(8, 2 * idle.length));
            }
            idle[idleCount++] = millis;
        }

        SocketGroup toGroup(List<GroupKey> keys) {
            StateCounts.Builder b = new StateCounts.Builder();
            for (TcpState s : TcpState.values()) {
                b.add(s, counts[s.ordinal()]);
            }
            IdleAges ages = IdleAges.of(idle, idleCount);
            if (parts == null) {
                return new SocketGroup(SocketGroup.OTHER, null, null, null, null, null, null, b.build(), ages);
            }
            Long pid = null;
            String command = null;
            Integer port = null;
            Side groupSide = null;
            String address = null;
            Integer remotePort = null;
            List<String> shownParts = new ArrayList<>(parts.length);
            for (int i = 0; i < parts.length; i++) {
                switch (keys.get(i)) {
                    case PORT -> {
                        port = (Integer) parts[i];
                        groupSide = side;
                        shownParts.add(port + " (" + side.label() + ")");
                    }
                    case PEER -> {
                        address = AddressText.withoutZone((InetAddress) parts[i]);
                        shownParts.add(address);
                    }
                    case REMOTE -> {
                        Remote r = (Remote) parts[i];
                        address = AddressText.withoutZone(r.address());
                        remotePort = r.port();
                        shownParts.add(AddressText.endpoint(r.address(), r.port()));
                    }
                    case SIDE -> {
                        groupSide = side;
                        shownParts.add(side.label());
                    }
                    case PROCESS -> {
                        if (parts[i] instanceof ProcessOwner o) {
                            pid = o.pid();
                            command = o.command();
                            shownParts.add(o.pid() + " " + o.command());
                        } else if (parts[i] instanceof Unowned u) {
                            groupSide = u.side();
                            shownParts.add("(no process: " + u.state() + ", " + u.side().label() + " side)");
                        } else {
                            shownParts.add("(unknown process)");
                        }
                    }
                }
            }
            return new SocketGroup(String.join(" | ", shownParts), pid, command, port, groupSide, address, remotePort,
                    b.build(), ages);
        }
    }
}
