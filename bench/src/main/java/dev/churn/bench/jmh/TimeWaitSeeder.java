package dev.churn.bench.jmh;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Leaves TIME_WAIT sockets on one loopback port for benchmarks that need a crowded socket table.
 * The server side closes first, so each TIME_WAIT sits on the listener's port and holds no
 * ephemeral port of the client: seeding 20,000 does not starve other tests of ports. They live
 * 60 s (the kernel's fixed TCP_TIMEWAIT_LEN), so long benchmarks top up with {@link #topUp}.
 */
public final class TimeWaitSeeder implements Closeable {

    private final ServerSocket listener;
    private final InetAddress loopback;

    /** Opens a listener on an IPv4 loopback port the kernel picks. */
    public TimeWaitSeeder() throws IOException {
        loopback = InetAddress.getLoopbackAddress();
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(loopback, 0), 4096);
    }

    /** The port every seeded TIME_WAIT socket has as its local port. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Makes n more TIME_WAIT sockets (server closes, client reads EOF and closes); bounded by n. */
    public void seed(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            try (Socket c = new Socket()) {
                c.connect(new InetSocketAddress(loopback, port()), 5_000);
                try (Socket s = listener.accept()) {
                    s.setSoLinger(false, 0);
                }
                // The server's FIN is in: read it so our close is the second FIN, not an RST.
                c.setSoTimeout(5_000);
                c.getInputStream().read();
            }
        }
    }

    /** Seeds until at least {@code target} TIME_WAIT sockets are present, as {@code current} says. */
    public void topUp(long current, int target) throws IOException {
        if (current < target) {
            seed((int) (target - current));
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
