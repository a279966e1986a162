package dev.churn.monitor;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A netlink or proc source that also groups: each {@link #count} takes one per-socket read, returns its
 * totals and keeps its groups for {@link #lastGroups()}, so the groups of a sample always add up to
 * its {@code states}; with a {@link PortHeadroom} the same rows also give {@link #lastHeadroom()}.
 * The sampler calls {@code count} and then its listener on the same thread, which reads the groups
 * there. Not thread-safe, like every source.
 */
public final class GroupingSource implements StateSource {

    private final SocketRowSource source;
    private final Path procRoot;
    private final SocketGrouper grouper;
    private final SocketOwners owners;
    private final List<SocketRow> rows = new ArrayList<>();
    private final BitSet listening = new BitSet(65536); // local ports of this sample's LISTEN sockets, both families
    private final BitSet held = new BitSet(65536); // local ports of its other sockets (with --headroom: the namespace's)
    private final PortHeadroom headroom; // null without --headroom
    private List<SocketGroup> lastGroups = List.of();
    private TimeWaitRemaining lastTimeWaitRemaining = TimeWaitRemaining.EMPTY;
    private Headroom lastHeadroom;

    /** Groups with these keys and top; reads ip_local_port_range (each sample) and the processes under {@code procRoot}. */
    public GroupingSource(SocketRowSource source, List<GroupKey> keys, int top, Path procRoot) {
        this(source, keys, top, procRoot, null);
    }

    /**
     * Groups with these keys (none: no groups) and also computes {@code headroom} from the same
     * rows when it is not null; one of the two is needed.
     */
    public GroupingSource(SocketRowSource source, List<GroupKey> keys, int top, Path procRoot, PortHeadroom headroom) {
        if (keys.isEmpty() && headroom == null) {
            throw new IllegalArgumentException("neither grouping keys nor headroom");
        }
        this.source = source;
        this.procRoot = procRoot;
        this.grouper = keys.isEmpty() ? null : new SocketGrouper(keys, top);
        this.owners = grouper != null && grouper.needsOwners() ? new SocketOwners(procRoot) : null;
        this.headroom = headroom;
    }

    @Override
    public SourceKind kind() {
        return source.kind();
    }

    @Override
    public StateCounts count(SocketFilter filter) throws IOException {
        rows.clear();
        listening.clear();
        held.clear();
        int wanted = filter.stateMask();
        AddressFamily family = filter.family();
        StateCounts.Builder totals = new StateCounts.Builder();
        // The listeners of both families, whatever the filter: Java's dual-stack listener is an IPv6
        // socket on [::] whose accepted IPv4 connections are IPv4 rows, and with --family ipv4 it was
        // filtered out before the listening ports were taken from the rows, so its server side read
        // as client (review, 2026-12-07: 'client {ESTABLISHED 6, TIME_WAIT 4}' beside 'server
        // {ESTABLISHED 3, TIME_WAIT 4, LISTEN 1}, client {ESTABLISHED 3}' under --family all). The
        // dump is one walk either way (both families come in one); the filter applies to the rows
        // counted, as the source would have applied it.
        // With --headroom, every socket of the namespace: a port bind() took is lost to connect() towards every
        // destination, whatever port and address it holds (PortHeadroom), so --port narrows the rows counted only.
        SocketFilter dump = headroom != null ? SocketFilter.ALL
                : filter.withFamily(AddressFamily.ALL).withStates(withListen(filter.states()));
        boolean portsToCheck = headroom != null && !filter.allPorts();
        source.visit(dump, r -> {
            if (r.state() == TcpState.LISTEN) {
                listening.set(r.localPort());
            } else {
                held.set(r.localPort());
            }
            // As count() does: a FIN_WAIT2 that turned TIME_WAIT during the dump is left out.
            if ((wanted & r.state().mask()) != 0 && inFamily(family, r)
                    && (!portsToCheck || filter.matchesPorts(r.localPort(), r.remotePort()))) {
                rows.add(r);
                totals.add(r.state());
            }
        });
        if (owners != null) {
            owners.beginSample();
        }
        // Read once per sample and shared: the sides of the groups and the headroom beside them
        // always count on the same range, the one in force now.
        EphemeralPorts ports = EphemeralPorts.read(procRoot);
        if (grouper != null) {
            lastGroups = grouper.group(rows, listening, ports, owners);
            lastTimeWaitRemaining = TimeWaitRemaining.of(rows);
        }
        if (headroom != null) {
            lastHeadroom = headroom.compute(rows, listening, held, ports);
        }
        return totals.build();
    }

    private static Set<TcpState> withListen(Set<TcpState> states) {
        EnumSet<TcpState> s = states.isEmpty() ? EnumSet.noneOf(TcpState.class) : EnumSet.copyOf(states);
        s.add(TcpState.LISTEN);
        return s;
    }

    // AddressFamily's rule, as the sources apply it: an IPv4 connection on an IPv6 socket carries
    // IPv4 addresses in its row, so the local address's class is the connection's family.
    private static boolean inFamily(AddressFamily family, SocketRow r) {
        return r.localAddress() instanceof Inet4Address ? family.includesV4() : family.includesV6();
    }

    /** The groups of the last count, ranked, the {@code other} group last. */
    public List<SocketGroup> lastGroups() {
        return lastGroups;
    }

    /** What was left of the TIME_WAIT timers in the last count, over all its sockets (not per group). */
    public TimeWaitRemaining lastTimeWaitRemaining() {
        return lastTimeWaitRemaining;
    }

    /** The port headroom of the last count; null without a {@link PortHeadroom} or before the first count. */
    public Headroom lastHeadroom() {
        return lastHeadroom;
    }

    /** The source the rows come from. */
    public SocketRowSource source() {
        return source;
    }

    /** Scans of /proc/<pid>/fd so far (0 without the process key): how often reuse failed. */
    long ownerScans() {
        return owners == null ? 0 : owners.scans();
    }

    /** The keys grouped by; empty when only headroom is asked for. */
    public List<GroupKey> keys() {
        return grouper == null ? List.of() : grouper.keys();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
