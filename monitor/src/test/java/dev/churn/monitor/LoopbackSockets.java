package dev.churn.monitor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback listeners and connections for the tests that build their own sockets beside KnownSockets. */
final class LoopbackSockets {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private LoopbackSockets() {}

    /** A loopback listener on a port no earlier connection still uses (see CleanPort). */
    static ServerSocket listener() throws IOException {
        return CleanPort.bind(() -> {
            ServerSocket l = new ServerSocket();
            l.bind(new InetSocketAddress(LOOPBACK, 0), 64);
            return l;
        }, ServerSocket::getLocalPort, 1, CleanPort.GiveUp.FAIL);
    }

    /** A client connected to the listener (5 s connect timeout). */
    static Socket connect(ServerSocket listener) throws IOException {
        Socket c = new Socket();
        c.connect(new InetSocketAddress(LOOPBACK, listener.getLocalPort()), 5_000);
        return c;
    }
}
