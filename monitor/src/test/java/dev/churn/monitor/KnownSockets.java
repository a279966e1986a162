package dev.churn.monitor;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Real loopback sockets left in known states on one listening port, for tests that check a source
 * counts exactly what the kernel holds. One LISTEN socket; {@code established} pairs (two
 * ESTABLISHED each); {@code halfClosed} pairs whose client closed (client FIN_WAIT2, server
 * CLOSE_WAIT); {@code timeWait} pairs closed client first (client TIME_WAIT, server gone).
 * TIME_WAIT sockets outlive {@link #close()} by 60 s; they stay on this port only.
 */
public final class KnownSockets implements Closeable {

    private final ServerSocket listener;
    private final List<Socket> open = new ArrayList<>();
    private final int established;
    private final int halfClosed;
    private final int timeWait;

    /** Timewait sockets to keep free beyond our own: other tests and processes churn meanwhile. */
    private static final int SPARE_TIMEWAIT = 5_000;

    private KnownSockets(InetAddress loopback, int established, int halfClosed, int timeWait) throws IOException {
        assumeTimeWaitHeadroom(halfClosed + timeWait);
        this.established = established;
        this.halfClosed = halfClosed;
        this.timeWait = timeWait;
        listener = cleanListener(loopback);
        for (int i = 0; i < established; i++) {
            Socket c = connect(loopback);
            open.add(c);
            open.add(listener.accept());
        }
        for (int i = 0; i < halfClosed; i++) {
            Socket c = connect(loopback);
            Socket s = listener.accept();
            open.add(s); // server keeps it open and never closes: CLOSE_WAIT
            c.close(); // client FIN first: FIN_WAIT2 until tcp_fin_timeout
        }
        for (int i = 0; i < timeWait; i++) {
            Socket c = connect(loopback);
            Socket s = listener.accept();
            c.close(); // client closes first and ends in TIME_WAIT
            // wait for the FIN to arrive so the server's close is the second FIN, not a race
            if (s.getInputStream().read() != -1) {
                throw new IOException("expected EOF from the closing client");
            }
            s.close();
        }
    }

    /**
     * Orphaned FIN_WAIT2 and TIME_WAIT sockets are timewait sockets; past tcp_max_tw_buckets the
     * kernel destroys new ones at once, and the counts here would be wrong through no fault of a
     * source. Wait (old ones expire after 60 s) or skip the test saying why. {@code ours}: the test's
     * own timewait sockets, orphaned FIN_WAIT2 included; a spare for others' is added.
     */
    static void assumeTimeWaitHeadroom(long ours) throws IOException {
        long needed = ours + SPARE_TIMEWAIT;
        try {
            TimeWaitBudget b = TimeWaitBudget.await(needed, java.time.Duration.ofSeconds(70));
            org.junit.jupiter.api.Assumptions.assumeTrue(b.headroom() >= needed,
                    () -> "the kernel's TIME_WAIT table is full (" + b.inUse() + " of tcp_max_tw_buckets " + b.max()
                            + "): new timewait sockets would be destroyed at once");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for TIME_WAIT headroom", e);
        }
    }

    /** A listener on a port no earlier connection still uses (see CleanPort); bounded tries. */
    private static ServerSocket cleanListener(InetAddress loopback) throws IOException {
        return CleanPort.bind(() -> {
            ServerSocket l = new ServerSocket();
            l.bind(new InetSocketAddress(loopback, 0), 4096);
            return l;
        }, ServerSocket::getLocalPort, 1, CleanPort.GiveUp.FAIL);
    }

    /** Leaves these states on a new IPv4 loopback port. */
    public static KnownSockets ipv4(int established, int halfClosed, int timeWait) throws IOException {
        return new KnownSockets(InetAddress.getByName("127.0.0.1"), established, halfClosed, timeWait);
    }

    /** Leaves these states on a new IPv6 loopback port. */
    public static KnownSockets ipv6(int established, int halfClosed, int timeWait) throws IOException {
        return new KnownSockets(InetAddress.getByName("::1"), established, halfClosed, timeWait);
    }

    private Socket connect(InetAddress loopback) throws IOException {
        Socket c = new Socket();
        c.connect(new InetSocketAddress(loopback, listener.getLocalPort()), 5_000);
        return c;
    }

    /** The listening port every socket here has as its local or remote port. */
    public int port() {
        return listener.getLocalPort();
    }

    /** The filter selecting these sockets. */
    public SocketFilter filter() {
        return SocketFilter.ports(port());
    }

    /** What the kernel should report for {@link #port()}. */
    public StateCounts expected() {
        return new StateCounts.Builder()
                .add(TcpState.LISTEN, 1)
                .add(TcpState.ESTABLISHED, 2L * established)
                .add(TcpState.FIN_WAIT2, halfClosed)
                .add(TcpState.CLOSE_WAIT, halfClosed)
                .add(TcpState.TIME_WAIT, timeWait)
                .build();
    }

    /**
     * Counts with the source until it reports {@link #expected()} or two seconds pass (FINs on
     * loopback take microseconds, but the test machine is shared), and returns the last count.
     */
    public StateCounts settle(StateSource source) throws IOException, InterruptedException {
        StateCounts want = expected();
        long deadline = System.nanoTime() + 2_000_000_000L;
        StateCounts got = source.count(filter());
        while (!got.equals(want) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            got = source.count(filter());
        }
        return got;
    }

    @Override
    public void close() throws IOException {
        for (Socket s : open) {
            s.close();
        }
        listener.close();
    }
}
