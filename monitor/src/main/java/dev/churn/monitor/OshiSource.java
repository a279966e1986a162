package dev.churn.monitor;

import java.io.IOException;
import java.util.List;
import oshi.SystemInfo;
import oshi.software.os.InternetProtocolStats;
import oshi.software.os.InternetProtocolStats.IPConnection;

/**
 * Counts TCP states through OSHI's {@code InternetProtocolStats.getConnections()}, the portable
 * fallback for systems without netlink or /proc (macOS, Windows, the BSDs). It asks for every
 * connection of the machine (UDP included, and on Linux a walk of every process's descriptors) on
 * each count, so it is slow; prefer it for correctness off Linux, not for sampling fast.
 */
public final class OshiSource implements StateSource {

    private final InternetProtocolStats stats;

    /** Opens OSHI's view of this operating system; fails when OSHI does not support it. */
    public OshiSource() throws IOException {
        try {
            stats = new SystemInfo().getOperatingSystem().getInternetProtocolStats();
        } catch (RuntimeException | LinkageError e) {
            throw new IOException("OSHI cannot read this system's connections: " + e.getMessage(), e);
        }
    }

    @Override
    public SourceKind kind() {
        return SourceKind.OSHI;
    }

    @Override
    public StateCounts count(SocketFilter filter) throws IOException {
        StateCounts.Builder counts = new StateCounts.Builder();
        AddressFamily family = filter.family();
        for (IPConnection c : connections()) {
            String type = c.getType();
            if (type == null || !type.startsWith("tcp")) {
                continue; // udp4, udp6
            }
            boolean v6 = isV6(type, c) && !isMapped(c.getLocalAddress());
            if (v6 ? !family.includesV6() : !family.includesV4()) {
                continue;
            }
            TcpState state = toTcpState(c.getState());
            if (filter.matchesState(state) && filter.matchesPorts(c.getLocalPort(), c.getForeignPort())) {
                counts.add(state);
            }
        }
        return counts.build();
    }

    private List<IPConnection> connections() throws IOException {
        try {
            return stats.getConnections();
        } catch (RuntimeException e) {
            throw new IOException("OSHI failed to list connections: " + e.getMessage(), e);
        }
    }

    /**
     * OSHI names the type {@code tcp4} or {@code tcp6} on every platform it lists; the address
     * length decides for a bare {@code tcp}.
     */
    private static boolean isV6(String type, IPConnection c) {
        if (type.endsWith("6")) {
            return true;
        }
        if (type.endsWith("4")) {
            return false;
        }
        byte[] local = c.getLocalAddress();
        return local != null && local.length == 16;
    }

    /** True for ::ffff:a.b.c.d, an IPv4 connection on a dual-stack socket (AddressFamily's rule). */
    static boolean isMapped(byte[] a) {
        if (a == null || a.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    /** Our state for OSHI's, or null for OSHI's UNKNOWN and NONE, which are not counted. */
    static TcpState toTcpState(InternetProtocolStats.TcpState s) {
        if (s == null) {
            return null;
        }
        return switch (s) {
            case ESTABLISHED -> TcpState.ESTABLISHED;
            case SYN_SENT -> TcpState.SYN_SENT;
            case SYN_RECV -> TcpState.SYN_RECV;
            case FIN_WAIT_1 -> TcpState.FIN_WAIT1;
            case FIN_WAIT_2 -> TcpState.FIN_WAIT2;
            case TIME_WAIT -> TcpState.TIME_WAIT;
            case CLOSED -> TcpState.CLOSE;
            case CLOSE_WAIT -> TcpState.CLOSE_WAIT;
            case LAST_ACK -> TcpState.LAST_ACK;
            case LISTEN -> TcpState.LISTEN;
            case CLOSING -> TcpState.CLOSING;
            case UNKNOWN, NONE -> null;
        };
    }
}
