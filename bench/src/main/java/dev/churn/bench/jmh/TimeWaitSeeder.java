package dev.churn.bench.jmh;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Leaves TIME_WAIT sockets on one loopback port for benchmarks that need a crowded socket table.
 * The server side closes first, so each TIME_WAIT sits on the listener's port and holds no
 * ephemeral port of the client: seeding 20,000 does not starve other tests of ports. They live
 * 60 s (the kernel's fixed TCP_TIMEWAIT_LEN), so long benchmarks top up with {@link #topUp}.
 *
 * <p>One listener is not enough for 20,000. A {@code connect()} without {@code bind()} takes the
 * even ports of {@code ip_local_port_range} first (the odd ones are left for {@code bind()}), so
 * against one destination the client's ports come round again after 14,116 of the default range;
 * the client side of each is free by then, but the reused port meets its own earlier 4-tuple,
 * still in TIME_WAIT on the server side, and the kernel recycles that socket for the new SYN (its
 * port search also skips ahead at random, so some come round sooner). The table stood still at
 * about 14,000 whatever was asked (MonitorSourceBenchmark said 20,000 until 2026-12-07). So the
 * seeder listens on the same port of {@value #ADDRESSES} loopback addresses, 127.0.0.1 upwards,
 * and takes them in turn: each destination has its own run of client ports. {@link #fill}
 * counts and tops up again until the count is reached.
 */
public final class TimeWaitSeeder implements Closeable {

    /** Listeners on one port, each a destination with its own run of client ports. */
    static final int ADDRESSES = 8;

    private final List<ServerSocket> listeners = new ArrayList<>();
    private final int port;
    private long seeded;

    /** Opens the listeners: a port the kernel picks on 127.0.0.1, then the same port on the others. */
    public TimeWaitSeeder() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 10 && listeners.isEmpty(); attempt++) {
            try {
                int p = 0;
                for (int i = 0; i < ADDRESSES; i++) {
                    ServerSocket l = new ServerSocket();
                    listeners.add(l);
                    l.setReuseAddress(true);
                    l.bind(new InetSocketAddress(address(i), p), 4096);
                    p = l.getLocalPort();
                }
            } catch (IOException e) { // the kernel's port was taken on another address: try another
                last = e;
                closeAll();
            }
        }
        if (listeners.isEmpty()) {
            throw new IOException("cannot listen on one port of 127.0.0.1-" + ADDRESSES + ": " + last.getMessage(), last);
        }
        port = listeners.get(0).getLocalPort();
    }

    private static InetAddress address(int i) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + i)});
    }

    /** The port every seeded TIME_WAIT socket has as its local port. */
    public int port() {
        return port;
    }

    /** How many connections this seeder has made, for a caller that explains a shortfall. */
    public long seeded() {
        return seeded;
    }

    /** Makes n more TIME_WAIT sockets (server closes, client reads EOF and closes); bounded by n. */
    public void seed(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            ServerSocket listener = listeners.get((int) (seeded++ % ADDRESSES));
            try (Socket c = new Socket()) {
                c.connect(listener.getLocalSocketAddress(), 5_000);
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

    /** How many of the seeded TIME_WAIT sockets are present now (a count of the seeder's port). */
    @FunctionalInterface
    public interface Count {
        long present() throws IOException;
    }

    /**
     * Seeds until {@code count} says at least {@code target} are present, counting between rounds
     * (some new connections recycle a TIME_WAIT of their own tuple); at most 20 rounds, each bounded
     * by what is missing, so the last ones are a handful of connections (5 rounds left a 1,000-port
     * namespace 3 short of 1,500 in one test run). Returns the last count, which the caller checks.
     */
    public long fill(int target, Count count) throws IOException {
        long present = count.present();
        for (int round = 0; round < 20 && present < target; round++) {
            topUp(present, target);
            present = count.present();
        }
        return present;
    }

    @Override
    public void close() throws IOException {
        closeAll();
    }

    private void closeAll() throws IOException {
        IOException first = null;
        for (ServerSocket l : listeners) {
            try {
                l.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        listeners.clear();
        if (first != null) {
            throw first;
        }
    }
}
