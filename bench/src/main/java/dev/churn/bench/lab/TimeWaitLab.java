package dev.churn.bench.lab;

import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Measures how long TIME_WAIT and an orphaned FIN_WAIT2 last, from the kernel's own timer (the
 * {@code tm->when} of /proc/net/tcp read right after the close, so nobody waits a minute), in a
 * private namespace for each tcp_fin_timeout: TIME_WAIT stays 60 s, FIN_WAIT2 follows fin_timeout.
 * Needs root. Use: {@code List<TimerReading> r = TimeWaitLab.measure(List.of(60, 5));}
 */
public final class TimeWaitLab {

    private TimeWaitLab() {}

    /** For each fin_timeout: the remaining TIME_WAIT time and the remaining orphaned FIN_WAIT2 time. */
    public static List<TimerReading> measure(List<Integer> finTimeouts) throws IOException {
        return measure(finTimeouts, r -> {});
    }

    /**
     * {@link #measure(List)}, handing {@code finished} each namespace's readings as soon as they are
     * taken, so a lab stopped part way (Ctrl-C) can still show them.
     */
    public static List<TimerReading> measure(List<Integer> finTimeouts, Consumer<List<TimerReading>> finished)
            throws IOException {
        List<TimerReading> out = new ArrayList<>();
        for (int fin : finTimeouts) {
            List<TimerReading> these;
            try (NetNamespace ns = NetNamespace.create()) {
                ns.sysctl("net.ipv4.tcp_fin_timeout", Integer.toString(fin));
                these = ns.call(() -> readTimers(fin));
            }
            out.addAll(these);
            finished.accept(these);
        }
        return out;
    }

    private static List<TimerReading> readTimers(int fin) throws IOException {
        try (ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            l.bind(new InetSocketAddress("127.0.0.1", 0));
            // TIME_WAIT: the client closes first, then the server.
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
            c.connect(l.getLocalAddress());
            SocketChannel s = l.accept();
            Endpoint tw = new Endpoint(((InetSocketAddress) c.getLocalAddress()).getPort(), port(l));
            c.close();
            s.read(ByteBuffer.allocate(1));
            s.close();
            // Orphaned FIN_WAIT2: the client closes, the server never does.
            SocketChannel c2 = SocketChannel.open(StandardProtocolFamily.INET);
            c2.connect(l.getLocalAddress());
            SocketChannel s2 = l.accept();
            Endpoint fw2 = new Endpoint(((InetSocketAddress) c2.getLocalAddress()).getPort(), port(l));
            c2.close();
            try (s2) {
                return List.of(timer(fin, tw, TcpState.TIME_WAIT), timer(fin, fw2, TcpState.FIN_WAIT2));
            }
        }
    }

    // Polls, bounded, until the endpoint shows the state with its timewait timer (tr 3) armed.
    private static TimerReading timer(int fin, Endpoint e, TcpState want) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        SocketRow r = null;
        while (System.nanoTime() < deadline) {
            r = SocketTable.read().find(e.localPort(), e.remotePort());
            if (r != null && r.state() == want && r.timer() == 3) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        if (r == null) {
            throw new IOException("no socket " + e + " listed: expected " + want);
        }
        return new TimerReading(fin, r.state(), r.timer() == 3 ? r.timerSeconds() : -1);
    }

    private static int port(ServerSocketChannel l) throws IOException {
        return ((InetSocketAddress) l.getLocalAddress()).getPort();
    }
}
