package dev.churn.bench.lab;

import dev.churn.monitor.TcpState;

/**
 * One end of a connection as /proc lists it: its own local and remote port (remote 0 for a
 * listener). Both ends of a loopback connection share the two ports, swapped, so this tells them apart.
 */
public record Endpoint(int localPort, int remotePort) {

    /** The other end of the same connection. */
    public Endpoint peer() {
        return new Endpoint(remotePort, localPort);
    }

    /** This endpoint's state in the table, or null when it is not listed (CLOSED). */
    public TcpState stateIn(SocketTable table) {
        SocketRow r = table.find(localPort, remotePort);
        return r == null ? null : r.state();
    }
}
