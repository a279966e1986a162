package dev.churn.bench.lab;

import static dev.churn.monitor.TcpState.CLOSE_WAIT;
import static dev.churn.monitor.TcpState.CLOSING;
import static dev.churn.monitor.TcpState.ESTABLISHED;
import static dev.churn.monitor.TcpState.FIN_WAIT1;
import static dev.churn.monitor.TcpState.FIN_WAIT2;
import static dev.churn.monitor.TcpState.LAST_ACK;
import static dev.churn.monitor.TcpState.LISTEN;
import static dev.churn.monitor.TcpState.SYN_RECV;
import static dev.churn.monitor.TcpState.SYN_SENT;
import static dev.churn.monitor.TcpState.TIME_WAIT;

import dev.churn.bench.posix.ErrnoException;
import dev.churn.monitor.KernelCounters;
import dev.churn.monitor.TcpState;
import dev.churn.monitor.TimeWaitBudget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Walks real loopback sockets through every TCP state the kernel lists, one scenario at a time
 * (handshake, client closes first, server closes first, half-close, simultaneous close, abortive
 * close, a server that never closes), and after each step records each endpoint's state as the
 * kernel reports it next to the state TCP prescribes. Short-lived states are held still by kernel
 * behaviour, not by timing: a full accept queue drops a SYN (SYN_SENT), TCP_DEFER_ACCEPT drops the
 * final ACK (SYN_RECV), and a zero receive window keeps a FIN queued behind unsent data (FIN_WAIT1,
 * LAST_ACK, CLOSING). Needs no root. Use: {@code StateWalk.Walk w = new StateWalk().run(System.err::println);}
 *
 * <p>Every step that waits for the other end (connect, accept, read) is bounded by
 * {@link #IO_TIMEOUT}: a loopback that is down or drops packets ends the walk with an
 * {@link IOException} naming the scenario and the step, never a hang.
 *
 * <p>Orphaned FIN_WAIT2 and TIME_WAIT ends are timewait sockets, and past
 * {@code net.ipv4.tcp_max_tw_buckets} the kernel destroys new ones at once: the walk would show them
 * as gone, a fault of the machine's load and not of TCP. So the walk first waits for room in that
 * table, and counts the timewait sockets the kernel destroyed while it ran.
 */
public final class StateWalk {

    /** How long a step waits for the kernel to reach the expected states before recording what it sees. */
    static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    // Small buffers: a few tens of kilobytes close a window.
    private static final int BUFFER = 8 * 1024;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Free TIME_WAIT slots the walk waits for: it makes about ten timewait sockets; the rest is margin. */
    static final long TIME_WAIT_ROOM = 64;
    /** At most a TIME_WAIT lifetime and a little: by then every timewait socket made before has expired. */
    static final Duration ROOM_WAIT = Duration.ofSeconds(65);

    /**
     * The bound on a connect, an accept and a read. On loopback each takes well under a millisecond,
     * and a SYN lost once is sent again after 1 s; so 3 s without an answer means loopback is down or
     * drops packets, not that the machine is slow. Unbounded, a connect would wait through the kernel's
     * SYN retries (about 2 minutes) and a read forever.
     */
    public static final Duration IO_TIMEOUT = Duration.ofSeconds(3);
    /** What a timeout or an unreachable loopback most likely means, and how to look. */
    static final String LOOPBACK_HINT = "loopback is down or drops packets: ip link show lo";

    /** The scenarios in the order a walk takes them; each step's {@link Step#scenario()} is one of these. */
    public static final List<String> SCENARIOS = List.of("three-way handshake", "four-way close, client first",
            "four-way close, server first", "half-close", "simultaneous close", "abortive close (SO_LINGER 0)",
            "server never closes");

    /**
     * What a walk tells as it goes: why it waits before starting (see {@link #run}), and, if the caller
     * wants them, each scenario as it starts and the steps of each one that finished, so a walk stopped
     * part way (Ctrl-C, a fault) can still show what it measured.
     */
    @FunctionalInterface
    public interface Progress {
        /** The TIME_WAIT table has no room for the walk: why, and how long the walk waits for room (or that it cannot). */
        void waiting(String why);

        /** A scenario (one of {@link #SCENARIOS}) starts. */
        default void starting(String scenario) {}

        /** A scenario finished: its steps, complete. */
        default void finished(String scenario, List<Step> steps) {}
    }

    private interface Scenario {
        void walk(String name) throws IOException;
    }

    private final List<Step> steps = new ArrayList<>();
    // The kernel's counters when the walk began: a rise of TCPTimeWaitOverflow explains a missing end.
    private KernelCounters atStart = KernelCounters.EMPTY;
    private final Duration roomWait;
    private final Duration ioTimeout;

    /** A walk that waits at most 65 s for room in the TIME_WAIT table. */
    public StateWalk() {
        this(ROOM_WAIT, IO_TIMEOUT);
    }

    /** A walk that waits at most {@code roomWait} for room in the TIME_WAIT table (tests). */
    StateWalk(Duration roomWait) {
        this(roomWait, IO_TIMEOUT);
    }

    /** A walk whose connects, accepts and reads give up after {@code ioTimeout} (tests). */
    StateWalk(Duration roomWait, Duration ioTimeout) {
        this.roomWait = roomWait;
        this.ioTimeout = ioTimeout;
    }

    /**
     * What a walk saw, and how many timewait sockets the kernel destroyed meanwhile because its
     * table was full ({@code TCPTimeWaitOverflow}, this network namespace; -1 when unknown). When
     * that is above 0, a step that expected FIN_WAIT2 or TIME_WAIT and found no socket is explained.
     */
    public record Walk(List<Step> steps, long timeWaitsDestroyed) {
        public Walk {
            steps = List.copyOf(steps);
        }

        /** True when the kernel reported what TCP says at every step. */
        public boolean ok() {
            return steps.stream().allMatch(Step::matches);
        }
    }

    /**
     * Runs every scenario in order and returns the steps with what the kernel said. First waits (at
     * most 65 s, telling {@code progress} why) until the kernel's TIME_WAIT table has room. A step that
     * times out (see {@link #IO_TIMEOUT}) or finds loopback unreachable ends the walk with an
     * IOException of one line: the scenario, the step, and what loopback may be doing.
     */
    public Walk run(Progress progress) throws IOException {
        steps.clear();
        awaitTimeWaitRoom(progress);
        atStart = counters();
        walk(progress);
        return new Walk(steps, timeWaitsDestroyed());
    }

    private long timeWaitsDestroyed() {
        KernelCounters now = counters();
        return atStart.has("TCPTimeWaitOverflow") && now.has("TCPTimeWaitOverflow")
                ? now.get("TCPTimeWaitOverflow") - atStart.get("TCPTimeWaitOverflow") : -1;
    }

    // An end that TCP keeps as a timewait socket (an orphaned FIN_WAIT2, a TIME_WAIT) and that is gone
    // while the kernel has destroyed timewait sockets since the walk began will not come back: the
    // step need not wait out SETTLE_NANOS for it. Other mismatches may still be on their way.
    private static boolean settledOrDestroyed(TcpState want, TcpState seen) {
        return Objects.equals(want, seen) || (seen == null && (want == TIME_WAIT || want == FIN_WAIT2));
    }

    // The namespace of this thread, which is the walk's: the lab may run it after setns(2).
    private void awaitTimeWaitRoom(Progress waiting) throws IOException {
        TimeWaitBudget b = TimeWaitBudget.readThisThread();
        if (b.headroom() >= TIME_WAIT_ROOM) {
            return;
        }
        if (b.max() < TIME_WAIT_ROOM) {
            // A cap this low stays below the walk's need however many expire: say so and walk, no use waiting.
            waiting.waiting(String.format(java.util.Locale.ROOT, "the kernel keeps at most %,d TIME_WAIT sockets here "
                    + "(net.ipv4.tcp_max_tw_buckets), fewer than the walk's own: it destroys them at once, so the "
                    + "TIME_WAIT and orphaned FIN_WAIT2 steps will be missing (counted at the end)", b.max()));
            return;
        }
        waiting.waiting(String.format(java.util.Locale.ROOT, "the kernel holds %,d of %,d TIME_WAIT sockets "
                + "(net.ipv4.tcp_max_tw_buckets) and would destroy the walk's own at once: waiting up to %d s "
                + "for old ones to expire", b.inUse(), b.max(), roomWait.toSeconds()));
        long deadline = System.nanoTime() + roomWait.toNanos();
        while (b.headroom() < TIME_WAIT_ROOM && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("interrupted while waiting for room in the TIME_WAIT table");
            }
            b = TimeWaitBudget.readThisThread();
        }
    }

    private static KernelCounters counters() {
        try {
            return KernelCounters.read(Path.of("/proc/thread-self"));
        } catch (IOException e) {
            return KernelCounters.EMPTY; // not Linux, or /proc hidden: the count is unknown, the walk still runs
        }
    }

    private void walk(Progress progress) throws IOException {
        List<Scenario> bodies = List.of(this::handshake, this::clientClosesFirst, this::serverClosesFirst,
                this::halfClose, this::simultaneousClose, this::abortiveClose, this::serverNeverCloses);
        for (int i = 0; i < bodies.size(); i++) {
            String name = SCENARIOS.get(i);
            progress.starting(name);
            int first = steps.size();
            bodies.get(i).walk(name);
            progress.finished(name, List.copyOf(steps.subList(first, steps.size())));
        }
    }

    /** The ten states a walk must show (CLOSE is never listed by the kernel). */
    public static List<TcpState> listedStates() {
        return List.of(LISTEN, SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT1, FIN_WAIT2, CLOSE_WAIT, LAST_ACK,
                TIME_WAIT, CLOSING);
    }

    private void handshake(String s) throws IOException {
        try (RawListener full = RawListener.open(0, 0); RawListener defer = RawListener.open(16, 5)) {
            step(s, "server listens", List.of(), null, new Endpoint(full.port(), 0), null, LISTEN);

            // A backlog of 0 holds one connection in the accept queue; the next SYN is dropped.
            try (SocketChannel queued = open(); SocketChannel probe = open()) {
                connect(s, "connect", queued, new InetSocketAddress(LOOPBACK, full.port()));
                probe.configureBlocking(false);
                // Bound first: Java reports no local address while a connect is pending.
                probe.bind(new InetSocketAddress(LOOPBACK, 0));
                probe.connect(new InetSocketAddress(LOOPBACK, full.port()));
                Endpoint c = new Endpoint(localPort(probe), full.port());
                step(s, "client connects; the accept queue is full, so the SYN is dropped",
                        List.of(Arrow.toServer("SYN (dropped)")), c, c.peer(), SYN_SENT, null);
            }

            // TCP_DEFER_ACCEPT drops the bare final ACK: the server keeps a request in SYN_RECV.
            try (SocketChannel client = open()) {
                connect(s, "connect", client, new InetSocketAddress(LOOPBACK, defer.port()));
                Endpoint c = new Endpoint(localPort(client), defer.port());
                // Another client, to another listener: the dropped SYN above is not retried (QA, 2026-12-06: the two read
                // as one client's).
                step(s, "another client, another listener: SYN, SYN-ACK, ACK; TCP_DEFER_ACCEPT drops the ACK",
                        List.of(Arrow.toServer("SYN"), Arrow.toClient("SYN-ACK"), Arrow.toServer("ACK (dropped)")),
                        c, c.peer(), ESTABLISHED, SYN_RECV);
                client.write(ByteBuffer.wrap(new byte[] {1}));
                Step last = step(s, "the first data completes the handshake on the server",
                        List.of(Arrow.toServer("data"), Arrow.toClient("ACK")), c, c.peer(), ESTABLISHED, ESTABLISHED);
                if (last.server() == ESTABLISHED) {
                    defer.closeAccepted(accept(s, defer));
                }
            }
        }
    }

    private void clientClosesFirst(String s) throws IOException {
        try (ServerSocketChannel l = listener(); Pair p = pair(s, l)) {
            step(s, "connected", List.of(Arrow.toServer("SYN"), Arrow.toClient("SYN-ACK"), Arrow.toServer("ACK")),
                    p.client, p.server, ESTABLISHED, ESTABLISHED);
            fill(p.clientChannel);
            p.clientChannel.close();
            step(s, "client closes; the server's window is 0, so its FIN waits behind unsent data",
                    List.of(Arrow.toServer("data (window 0)")), p.client, p.server, FIN_WAIT1, ESTABLISHED);
            drainToEnd(p.serverChannel);
            step(s, "server reads: the data and the FIN arrive and are ACKed",
                    List.of(Arrow.toServer("data, FIN"), Arrow.toClient("ACK")), p.client, p.server, FIN_WAIT2, CLOSE_WAIT);
            p.serverChannel.close();
            step(s, "server closes", List.of(Arrow.toClient("FIN"), Arrow.toServer("ACK")),
                    p.client, p.server, TIME_WAIT, null);
        }
    }

    private void serverClosesFirst(String s) throws IOException {
        try (ServerSocketChannel l = listener(); Pair p = pair(s, l)) {
            // shutdownOutput sends the same FIN as close(), but a close() with data still to read would reset.
            p.serverChannel.shutdownOutput();
            step(s, "server sends its FIN (shutdownOutput: it still reads, as close() would not)", List.of(Arrow.toClient("FIN"), Arrow.toServer("ACK")),
                    p.client, p.server, CLOSE_WAIT, FIN_WAIT2);
            fill(p.clientChannel);
            p.clientChannel.close();
            step(s, "client closes; the server's window is 0, so its FIN waits behind unsent data",
                    List.of(Arrow.toServer("data (window 0)")), p.client, p.server, LAST_ACK, FIN_WAIT2);
            drainToEnd(p.serverChannel);
            step(s, "server reads: the data and the FIN arrive and are ACKed",
                    List.of(Arrow.toServer("data, FIN"), Arrow.toClient("ACK")), p.client, p.server, null, TIME_WAIT);
        }
    }

    private void halfClose(String s) throws IOException {
        try (ServerSocketChannel l = listener(); Pair p = pair(s, l)) {
            p.clientChannel.shutdownOutput();
            step(s, "client shuts down its output (shutdownOutput) but keeps reading",
                    List.of(Arrow.toServer("FIN"), Arrow.toClient("ACK")), p.client, p.server, FIN_WAIT2, CLOSE_WAIT);
            p.serverChannel.write(ByteBuffer.wrap(new byte[100]));
            long got = readSome(p.clientChannel, 100);
            step(s, "server still sends; the client reads " + got + " bytes",
                    List.of(Arrow.toClient("data"), Arrow.toServer("ACK")), p.client, p.server, FIN_WAIT2, CLOSE_WAIT);
            p.serverChannel.close();
            step(s, "server closes", List.of(Arrow.toClient("FIN"), Arrow.toServer("ACK")),
                    p.client, p.server, TIME_WAIT, null);
        }
    }

    private void simultaneousClose(String s) throws IOException {
        try (ServerSocketChannel l = listener(); Pair p = pair(s, l)) {
            fill(p.clientChannel);
            fill(p.serverChannel);
            step(s, "both send until the other's window is 0",
                    List.of(Arrow.toServer("data (window 0)"), Arrow.toClient("data (window 0)")),
                    p.client, p.server, ESTABLISHED, ESTABLISHED);
            p.clientChannel.shutdownOutput();
            p.serverChannel.shutdownOutput();
            // shutdownOutput on both, not close(): each then reads the other's data, which a closed socket would reset.
            // Both close at once, as RFC 793's simultaneous close has it; their FINs do not cross on the wire: each waits
            // behind data, and only the client passes through CLOSING (QA, 2026-12-06, from a capture).
            step(s, "both close at once (shutdownOutput); each FIN waits behind unsent data", List.of(),
                    p.client, p.server, FIN_WAIT1, FIN_WAIT1);
            drainToEnd(p.clientChannel);
            step(s, "client reads: the server's FIN arrives before the client's FIN has left",
                    List.of(Arrow.toClient("data, FIN"), Arrow.toServer("ACK")), p.client, p.server, CLOSING, FIN_WAIT2);
            drainToEnd(p.serverChannel);
            step(s, "server reads: the client's FIN arrives; both ends keep a TIME_WAIT",
                    List.of(Arrow.toServer("data, FIN"), Arrow.toClient("ACK")), p.client, p.server, TIME_WAIT, TIME_WAIT);
        }
    }

    private void abortiveClose(String s) throws IOException {
        try (ServerSocketChannel l = listener(); Pair p = pair(s, l)) {
            p.clientChannel.setOption(StandardSocketOptions.SO_LINGER, 0);
            p.clientChannel.close();
            String seen = readAfterReset(s, p.serverChannel);
            step(s, "SO_LINGER 0 close: RST, no TIME_WAIT; " + seen,
                    List.of(Arrow.toServer("RST")), p.client, p.server, null, null);
        }
    }

    private void serverNeverCloses(String s) throws IOException {
        try (ServerSocketChannel l = listener(); Pair p = pair(s, l)) {
            p.clientChannel.close();
            step(s, "client closes; the server never calls close()",
                    List.of(Arrow.toServer("FIN"), Arrow.toClient("ACK")), p.client, p.server, FIN_WAIT2, CLOSE_WAIT);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
            step(s, "300 ms later nothing has moved: the CLOSE_WAIT leak", List.of(),
                    p.client, p.server, FIN_WAIT2, CLOSE_WAIT);
        }
    }

    // Polls the kernel until both endpoints are in the expected states or SETTLE_NANOS pass.
    private Step step(String scenario, String action, List<Arrow> arrows, Endpoint client, Endpoint server,
            TcpState wantClient, TcpState wantServer) throws IOException {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        TcpState c;
        TcpState sv;
        while (true) {
            SocketTable t = SocketTable.read();
            c = client == null ? null : client.stateIn(t);
            sv = server == null ? null : server.stateIn(t);
            if ((Objects.equals(c, wantClient) && Objects.equals(sv, wantServer)) || System.nanoTime() > deadline) {
                break;
            }
            if (settledOrDestroyed(wantClient, c) && settledOrDestroyed(wantServer, sv) && timeWaitsDestroyed() > 0) {
                break; // a full TIME_WAIT table (tcp_max_tw_buckets) destroyed it: Walk says how many
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        Step st = new Step(scenario, action, arrows, wantClient, wantServer, c, sv);
        steps.add(st);
        return st;
    }

    // Connects without blocking past ioTimeout, then leaves the channel in the mode it had.
    private void connect(String scenario, String step, SocketChannel ch, SocketAddress to) throws IOException {
        boolean blocking = ch.isBlocking();
        ch.configureBlocking(false);
        try {
            boolean done = ch.connect(to);
            long deadline = System.nanoTime() + ioTimeout.toNanos();
            while (!done) {
                if (System.nanoTime() - deadline > 0) {
                    throw timedOut(scenario, step);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                done = ch.finishConnect();
            }
        } catch (SocketException e) {
            // "Network is unreachable" when lo is down from the start.
            throw new IOException(scenario + ": " + step + " failed: " + e.getMessage() + " (" + LOOPBACK_HINT + ")", e);
        }
        ch.configureBlocking(blocking);
    }

    // Accepts without blocking past ioTimeout; the accepted channel blocks, whatever the listener does.
    private SocketChannel accept(String scenario, ServerSocketChannel l) throws IOException {
        boolean blocking = l.isBlocking();
        l.configureBlocking(false);
        try {
            long deadline = System.nanoTime() + ioTimeout.toNanos();
            SocketChannel ch;
            while ((ch = l.accept()) == null) {
                if (System.nanoTime() - deadline > 0) {
                    throw timedOut(scenario, "accept");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            return ch;
        } finally {
            l.configureBlocking(blocking);
        }
    }

    // The raw listener's accept gives up after ioTimeout itself (SO_RCVTIMEO): EAGAIN is the timeout.
    private int accept(String scenario, RawListener l) throws IOException {
        try {
            return l.accept(ioTimeout);
        } catch (ErrnoException e) {
            throw e.errno() == dev.churn.bench.posix.Errno.EAGAIN ? timedOut(scenario, "accept") : e;
        }
    }

    // After the peer's RST: the read fails (or sees end of stream) at once; bounded, in case the RST is lost.
    private String readAfterReset(String scenario, SocketChannel ch) throws IOException {
        ch.configureBlocking(false);
        ByteBuffer b = ByteBuffer.allocate(16);
        long deadline = System.nanoTime() + ioTimeout.toNanos();
        while (true) {
            int n;
            try {
                n = ch.read(b);
            } catch (IOException e) {
                return "the server's read fails: " + e.getMessage();
            }
            if (n < 0) {
                return "the server's read returned";
            }
            if (System.nanoTime() - deadline > 0) {
                throw timedOut(scenario, "the server's read after the RST");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private IOException timedOut(String scenario, String step) {
        long ms = ioTimeout.toMillis();
        return new IOException(scenario + ": " + step + " got no answer in " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms")
                + " (" + LOOPBACK_HINT + ")");
    }

    private Pair pair(String scenario, ServerSocketChannel l) throws IOException {
        SocketChannel c = open();
        try {
            connect(scenario, "connect", c, l.getLocalAddress());
            return new Pair(c, accept(scenario, l));
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static SocketChannel open() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET);
        ch.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER);
        return ch;
    }

    private static ServerSocketChannel listener() throws IOException {
        ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.INET);
        l.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER);
        l.bind(new InetSocketAddress(LOOPBACK, 0));
        return l;
    }

    private static int localPort(SocketChannel ch) throws IOException {
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    // Writes until the peer's receive window is 0 and our send buffer is full: writes stay at 0 bytes.
    static long fill(SocketChannel ch) throws IOException {
        ch.configureBlocking(false);
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        int idle = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (idle < 5 && System.nanoTime() < deadline) {
            b.clear();
            int n = ch.write(b);
            if (n == 0) {
                idle++;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            } else {
                total += n;
                idle = 0;
            }
        }
        return total;
    }

    // Reads until end of stream (the peer's FIN), bounded in time; what the step observes tells the rest.
    static long drainToEnd(SocketChannel ch) throws IOException {
        ch.configureBlocking(false);
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            b.clear();
            int n = ch.read(b);
            if (n < 0) {
                break;
            }
            if (n == 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            total += Math.max(n, 0);
        }
        return total;
    }

    private static long readSome(SocketChannel ch, int want) throws IOException {
        ch.configureBlocking(false);
        ByteBuffer b = ByteBuffer.allocate(want);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (b.hasRemaining() && System.nanoTime() < deadline) {
            if (ch.read(b) <= 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        return b.position();
    }

    /** A connected client and its accepted server end, with each end's ports. */
    private static final class Pair implements AutoCloseable {
        final SocketChannel clientChannel;
        final SocketChannel serverChannel;
        final Endpoint client;
        final Endpoint server;

        Pair(SocketChannel c, SocketChannel s) throws IOException {
            clientChannel = c;
            serverChannel = s;
            client = new Endpoint(localPort(c), ((InetSocketAddress) c.getRemoteAddress()).getPort());
            server = client.peer();
        }

        @Override
        public void close() throws IOException {
            try (clientChannel; serverChannel) {
                // both closed, whatever state they are in
            }
        }
    }
}
