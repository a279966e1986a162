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
     * {@code listening} holds the local ports of the sample's LISTEN sockets of both families.
     */
    public Headroom compute(List<SocketRow> rows, BitSet listening, EphemeralPorts ports) {
        return compute(rows, listening, ports, top);
    }

    /** The headroom of these rows against {@code ports}, ranked, {@code top} of them shown. */
    public static Headroom compute(List<SocketRow> rows, BitSet listening, EphemeralPorts ports, int top) {
        Map<Key, long[]> used = new HashMap<>();
        for (SocketRow r : rows) {
            if (r.state() == TcpState.LISTEN || r.remotePort() == 0 || !ports.offers(r.localPort())
                    || listening.get(r.localPort())) {
                continue;
            }
            used.computeIfAbsent(new Key(r.localAddress(), r.remoteAddress(), r.remotePort()), k -> new long[1])[0]++;
        }
        long available = ports.available();
        List<Destination> ranked = new ArrayList<>(used.size());
        used.forEach((k, n) -> ranked.add(new Destination(k.local(), k.remote(), k.port(), n[0], available,
                available == 0 ? 1.0 : (double) n[0] / available,
                Destination.twReuseApplies(ports.twReuse(), k.local(), k.remote()))));
        ranked.sort(Comparator.comparingDouble(Destination::usedFraction).reversed()
                .thenComparing(Destination::remote).thenComparing(Destination::local));
        return new Headroom(ports, ranked, top);
    }

    private record Key(InetAddress local, InetAddress remote, int port) {}
}
