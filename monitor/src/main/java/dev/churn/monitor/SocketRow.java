package dev.churn.monitor;

import java.net.InetAddress;

/**
 * One TCP socket as a per-socket dump reports it: state, both ends, and the socket's inode (0 when
 * no file refers to it: a TIME_WAIT or orphaned FIN_WAIT2 minisocket, or any orphan). An IPv4
 * connection on a dual-stack IPv6 socket carries plain IPv4 addresses. Later per-socket facts
 * (idle ages from {@code INET_DIAG_INFO}'s tcp_info, the TIME_WAIT timer) belong here as further
 * components, so groupers and headroom counters read them from the same row.
 */
public record SocketRow(TcpState state, InetAddress localAddress, int localPort, InetAddress remoteAddress,
        int remotePort, long inode) {

    /** True when no file (so no process) holds the socket. */
    public boolean unowned() {
        return inode == 0;
    }
}
