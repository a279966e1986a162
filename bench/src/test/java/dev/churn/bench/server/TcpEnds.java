package dev.churn.bench.server;

import dev.churn.monitor.KernelCounters;
import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.SocketRowSource;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.StateSources;
import dev.churn.monitor.TcpState;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Both ends of one loopback connection to the sink as /proc reports them: the client's socket
 * (local port = the client's) and the server's (local port = the sink's, remote = the client's);
 * null for an end the kernel no longer has.
 */
record TcpEnds(TcpState client, TcpState server) {

    static TcpEnds of(int sinkPort, int clientPort) throws IOException {
        TcpState[] ends = new TcpState[2];
        // Netlink filters by port in the kernel: a read costs the same with 100,000 other tests'
        // TIME_WAITs on the host, where /proc/net/tcp took tens of milliseconds to walk them all.
        try (SocketRowSource s = (SocketRowSource) StateSources.open(SourceKind.NETLINK)) {
            s.visit(SocketFilter.ports(sinkPort), r -> {
                if (r.localPort() == clientPort && r.remotePort() == sinkPort) {
                    ends[0] = r.state();
                } else if (r.localPort() == sinkPort && r.remotePort() == clientPort) {
                    ends[1] = r.state();
                }
            });
        }
        return new TcpEnds(ends[0], ends[1]);
    }

    /** Polls, at most 3 s, until the ends are {@code want} (the last FIN may still be in flight); the last reading. */
    static TcpEnds await(int sinkPort, int clientPort, TcpEnds want) throws IOException {
        return awaitAny(sinkPort, clientPort, want);
    }

    /**
     * Polls until the ends are one of {@code wanted}, for at most 3 s of wall time (a bound on
     * reads alone stretched to 19 s when each read was slow); the last reading.
     */
    static TcpEnds awaitAny(int sinkPort, int clientPort, TcpEnds... wanted) throws IOException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        TcpEnds now = of(sinkPort, clientPort);
        while (!List.of(wanted).contains(now) && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(10_000_000);
            now = of(sinkPort, clientPort);
        }
        return now;
    }

    /**
     * True when the kernel destroyed closing sockets since {@code before} for want of TIME_WAIT
     * buckets (other tests' churn fills tcp_max_tw_buckets): a TIME_WAIT may then be missing.
     */
    static boolean timeWaitOverflowSince(KernelCounters before) throws IOException {
        return KernelCounters.read(StateSources.DEFAULT_PROC_ROOT).minus(before).get("TCPTimeWaitOverflow") > 0;
    }
}
