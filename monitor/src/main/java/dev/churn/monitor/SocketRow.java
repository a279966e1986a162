package dev.churn.monitor;

import java.net.InetAddress;

/**
 * One TCP socket as a per-socket dump reports it: state, both ends, the socket's inode (0 when no
 * file refers to it: a TIME_WAIT or orphaned FIN_WAIT2 minisocket, or any orphan), and two ages
 * in milliseconds, -1 where the source cannot tell. An IPv4 connection on a dual-stack IPv6 socket
 * carries plain IPv4 addresses.
 *
 * <p>{@code idleMillis} is tcp_info's {@code tcpi_last_data_recv} (netlink only, and read for
 * CLOSE_WAIT sockets only: the one state whose idle age the monitor reports): the time since the peer last sent data. A FIN alone does not count as data,
 * so on a CLOSE_WAIT socket it is the time since the peer's last data, or since the connection
 * was set up when the peer sent none: never less than the time the socket has been in CLOSE_WAIT.
 * {@code timerMillis} is what is left of the timewait timer of a timewait minisocket (TIME_WAIT,
 * or an orphaned FIN_WAIT2), from netlink's {@code idiag_expires} or /proc's {@code tm->when};
 * -1 for every other socket.
 */
public record SocketRow(TcpState state, InetAddress localAddress, int localPort, InetAddress remoteAddress,
        int remotePort, long inode, long idleMillis, long timerMillis) {

    /** Neither age known. */
    public static final long UNKNOWN = -1;

    /** A row whose ages are unknown. */
    public SocketRow(TcpState state, InetAddress localAddress, int localPort, InetAddress remoteAddress,
            int remotePort, long inode) {
        this(state, localAddress, localPort, remoteAddress, remotePort, inode, UNKNOWN, UNKNOWN);
    }

    /** True when no file (so no process) holds the socket. */
    public boolean unowned() {
        return inode == 0;
    }
}
