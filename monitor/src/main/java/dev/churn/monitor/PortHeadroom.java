package dev.churn.monitor;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How close each destination is to running out of local ports, from the rows of one sample.
 *
 * <p>The kernel needs a local port to be unique only per destination (the 4-tuple), so headroom is
 * per (local address, remote address, remote port). A client socket is one whose local port
 * connect() could have picked: in {@code ip_local_port_range}, not in
 * {@code ip_local_reserved_ports}, and not held by a LISTEN socket of the same sample, of either family (the rule
 * {@link SocketGrouper} uses for the client side). Every state but LISTEN holds its port, TIME_WAIT
 * included. Rows with remote port 0 (bound, never connected) have no destination and are left out.
 *
 * <p>Why half matters: without a per-socket {@code IP_LOCAL_PORT_RANGE}, the kernel's
 * {@code __inet_hash_connect} (net/ipv4/inet_hashtables.c) searches in two passes. The first tries
 * only the ports of {@code low}'s parity (low, low+2, ...: half the range), from an offset hashed
 * from the destination, taking a bucket lock and an established-hash lookup per port; only when
 * all of them are taken towards this destination does it start the second pass over the other
 * parity (bind() with port 0 prefers that other parity, so the two rarely meet). So once half the
 * available ports are in use towards one destination, every further connect() there first walks
 * all ~available/2 ports of the first pass in vain: its cost grows with the size of the range,
 * long before EADDRNOTAVAIL at 100%.
 *
 * <p>Why a destination's own count is not the whole story: connect() looks a port up in the bind
 * hash, whose buckets are per port (and network namespace), not per address or destination, and
 * skips a port whose bucket bind() made ({@code if (tb->fastreuse >= 0 || tb->fastreuseport >= 0)
 * goto next_port;} in {@code __inet_hash_connect}): a port taken by {@code bind(ip, 0)} before
 * connect(), by a listener or by the sockets it accepted, is lost to connect() towards every
 * destination, from every local address and both families. Only a port connect() took itself is
 * shared, per 4-tuple. The socket table does not say which bucket made a port, so beside the
 * per-destination count (exact for ports connect() took, the lower bound) the headroom gives the
 * range's ports held by any socket of the namespace, {@link Headroom#held()}: the worst case, had
 * bind() taken every port not used towards a destination. It warns on that too: six sockets bound
 * before connecting to one service in a range of 10 left 4 ports for another, whose 5th connect()
 * failed with EADDRNOTAVAIL while its headroom read 4 of 10, 40%, without a warning (review,
 * 2026-12-07). A listener's port in the range is surely bind()'s, and leaves the range's available
 * ports for every destination.
 */
public final class PortHeadroom {

    private final int top;

    /** Keeps {@code top} destinations for output. */
    public PortHeadroom(int top) {
        if (top < 1) {
            throw new IllegalArgumentException("top must be at least 1, got " + top);
        }
        this.top = top;
    }

    /**
     * The headroom of these rows against {@code ports}, the sysctls read for this sample;
     * {@code listening} holds the local ports of the sample's LISTEN sockets and {@code held} the
     * local ports of every other socket of the namespace (both families, every port, every local
     * address: not only the rows counted).
     */
    public Headroom compute(List<SocketRow> rows, BitSet listening, BitSet held, EphemeralPorts ports) {
        return compute(rows, listening, held, ports, top);
    }

    /** The headroom of these rows against {@code ports}, ranked, {@code top} of them shown. */
    public static Headroom compute(List<SocketRow> rows, BitSet listening, BitSet held, EphemeralPorts ports, int top) {
        Map<Key, long[]> used = new HashMap<>();
        for (SocketRow r : rows) {
            if (r.state() == TcpState.LISTEN || r.remotePort() == 0 || !ports.offers(r.localPort())
                    || listening.get(r.localPort())) {
                continue;
            }
            used.computeIfAbsent(new Key(r.localAddress(), r.remoteAddress(), r.remotePort()), k -> new long[1])[0]++;
        }
        // A listener's port was bound by bind() (or listen()'s own pick), so connect() skips it
        // towards every destination: it is no port connect() can pick from.
        long listened = offered(listening, null, ports);
        long available = ports.available() - listened;
        long heldInRange = offered(held, listening, ports);
        List<Destination> ranked = new ArrayList<>(used.size());
        used.forEach((k, n) -> ranked.add(new Destination(k.local(), k.remote(), k.port(), n[0], available,
                available <= 0 ? 1.0 : Math.min(1.0, (double) n[0] / available),
                Destination.twReuseApplies(ports.twReuse(), k.local(), k.remote()))));
        ranked.sort(Comparator.comparingDouble(Destination::usedFraction).reversed()
                .thenComparing(Destination::remote).thenComparing(Destination::local));
        return new Headroom(ports, available, heldInRange, ranked, top);
    }

    // Ports of this set that connect() would pick from, leaving out those of {@code except}.
    private static long offered(BitSet set, BitSet except, EphemeralPorts ports) {
        long n = 0;
        for (int p = set.nextSetBit(ports.low()); p >= 0 && p <= ports.high(); p = set.nextSetBit(p + 1)) {
            if (ports.offers(p) && (except == null || !except.get(p))) {
                n++;
            }
        }
        return n;
    }

    private record Key(InetAddress local, InetAddress remote, int port) {}
}
