package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --by} on real sockets: owners from /proc, sides from listeners and ip_local_port_range, against ss. */
class GroupingSourceTest {

    private static final Path PROC = Path.of("/proc");

    @BeforeAll
    static void netlink() {
        assumeTrue(NetlinkSource.isSupported(), "netlink sock_diag is not available here");
    }

    @ParameterizedTest
    @ValueSource(strings = {"netlink", "proc"})
    void closeWaitIsAttributedToTheHolderProcessAndTheOrphanedFinWait2ToNoProcessServerSide(String kind) throws Exception {
        int n = 5;
        KnownSockets.assumeTimeWaitHeadroom(n); // the orphaned FIN_WAIT2s are timewait sockets
        SocketRowSource rows = kind.equals("netlink") ? new NetlinkSource() : new ProcNetTcpSource(PROC);
        try (ServerSocket listener = LoopbackSockets.listener();
                GroupingSource source = new GroupingSource(rows, List.of(GroupKey.PROCESS), 20, PROC)) {
            Process holder = SocketHolder.start("127.0.0.1", listener.getLocalPort(), n);
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", out.readLine(), "the holder connected");
                for (int i = 0; i < n; i++) {
                    listener.accept().close(); // our FIN: the holder's end goes CLOSE_WAIT, ours FIN_WAIT2 orphaned
                }
                SocketFilter filter = SocketFilter.ports(listener.getLocalPort());
                List<SocketGroup> groups = settle(source, filter, gs -> {
                    SocketGroup g = byPid(gs, holder.pid());
                    return g != null && g.states().get(TcpState.CLOSE_WAIT) == n
                            && has(gs, "(no process: FIN_WAIT2, server side)", n);
                });
                SocketGroup held = byPid(groups, holder.pid());
                assertNotNull(held, "a group for the holder's pid " + holder.pid() + " in " + groups);
                assertEquals(n, held.states().get(TcpState.CLOSE_WAIT), "CLOSE_WAIT of pid " + holder.pid());
                assertEquals(n, held.states().total(), "the holder holds nothing else here");
                assertEquals("java", held.command());
                SocketGroup orphans = byKey(groups, "(no process: FIN_WAIT2, server side)");
                assertNotNull(orphans, groups.toString());
                assertEquals(n, orphans.states().get(TcpState.FIN_WAIT2));
                assertEquals(Side.SERVER, orphans.side());
                SocketGroup self = byPid(groups, ProcessHandle.current().pid());
                assertEquals(1, self.states().get(TcpState.LISTEN), "our listener is ours");
                long scans = source.ownerScans();
                source.count(filter);
                source.count(filter);
                assertEquals(scans, source.ownerScans(), "known inodes reuse the last scan");
                if (SsStates.available()) {
                    assertEquals(n, ssCountForPid(listener.getLocalPort(), holder.pid(), "CLOSE-WAIT"),
                            "ss -tanp agrees on the holder's CLOSE_WAIT");
                }
            } finally {
                holder.getOutputStream().close();
                if (!holder.waitFor(10, TimeUnit.SECONDS)) {
                    holder.destroyForcibly();
                }
            }
        }
    }

    @Test
    void clientSideTimeWaitIsUnownedOnTheClientSide() throws Exception {
        KnownSockets.assumeTimeWaitHeadroom(3);
        try (ServerSocket listener = LoopbackSockets.listener();
                GroupingSource source = new GroupingSource(new NetlinkSource(),
                        List.of(GroupKey.PROCESS), 20, PROC)) {
            int n = 3;
            for (int i = 0; i < n; i++) {
                try (Socket c = LoopbackSockets.connect(listener); Socket s = listener.accept()) {
                    c.close(); // the client's FIN first: the client ends in TIME_WAIT
                    assertEquals(-1, s.getInputStream().read());
                }
            }
            SocketFilter filter = SocketFilter.ports(listener.getLocalPort());
            String key = "(no process: TIME_WAIT, client side)";
            List<SocketGroup> groups = settle(source, filter, gs -> has(gs, key, n));
            SocketGroup tw = byKey(groups, key);
            assertEquals(n, tw.states().get(TcpState.TIME_WAIT), groups.toString());
            assertEquals(Side.CLIENT, tw.side());
            assertEquals(null, tw.pid());
            agreesWithSs(source, listener.getLocalPort());
        }
    }

    @Test
    void serverSideTimeWaitIsOnTheServerSideByPortAndBySide() throws Exception {
        KnownSockets.assumeTimeWaitHeadroom(3);
        try (ServerSocket listener = LoopbackSockets.listener();
                GroupingSource source = new GroupingSource(new NetlinkSource(),
                        List.of(GroupKey.PORT, GroupKey.SIDE), 20, PROC)) {
            int n = 3;
            for (int i = 0; i < n; i++) {
                try (Socket c = LoopbackSockets.connect(listener); Socket s = listener.accept()) {
                    s.close(); // the server's FIN first: the server ends in TIME_WAIT
                    assertEquals(-1, c.getInputStream().read());
                }
            }
            int port = listener.getLocalPort();
            SocketFilter filter = SocketFilter.ports(port);
            String key = port + " (server) | server";
            List<SocketGroup> groups = settle(source, filter, gs -> {
                SocketGroup g = byKey(gs, key);
                return g != null && g.states().get(TcpState.TIME_WAIT) == n;
            });
            SocketGroup server = byKey(groups, key);
            assertEquals(n, server.states().get(TcpState.TIME_WAIT), groups.toString());
            assertEquals(1, server.states().get(TcpState.LISTEN));
            assertEquals(Side.SERVER, server.side());
            assertEquals(port, server.port());
            agreesWithSs(source, port);
        }
    }

    @Test
    void topSumsTheRestIntoOther() throws Exception {
        try (ServerSocket listener = LoopbackSockets.listener();
                GroupingSource source = new GroupingSource(new NetlinkSource(), List.of(GroupKey.PORT), 1, PROC)) {
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    open.add(LoopbackSockets.connect(listener));
                    open.add(listener.accept());
                }
                StateCounts total = source.count(SocketFilter.ports(listener.getLocalPort()));
                List<SocketGroup> groups = source.lastGroups();
                assertEquals(2, groups.size(), groups.toString());
                assertEquals(listener.getLocalPort() + " (server)", groups.get(0).key());
                assertEquals(4, groups.get(0).states().total(), "the listener and three accepted sockets rank first");
                assertEquals(SocketGroup.OTHER, groups.get(1).key());
                assertEquals(3, groups.get(1).states().get(TcpState.ESTABLISHED), "three client ports summed");
                assertEquals(total.total(), groups.get(0).states().total() + groups.get(1).states().total());
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    /**
     * The sides and the headroom of a sample count on the range in force when it was taken: the grouper kept the
     * range it read at the start, so after the range was widened a client's socket stayed of no known side in the
     * same sample whose headroom counted it a client's (review, 2026-12-07).
     */
    @Test
    void sidesAndHeadroomCountOnTheRangeOfTheSameSample(@TempDir Path root) throws Exception {
        Path range = root.resolve("sys/net/ipv4/ip_local_port_range");
        Files.createDirectories(range.getParent());
        Files.writeString(range, "1024 1100\n"); // a range without the client's port: no side, no destination
        try (ServerSocket listener = LoopbackSockets.listener();
                Socket client = LoopbackSockets.connect(listener);
                Socket accepted = listener.accept();
                GroupingSource source = new GroupingSource(new NetlinkSource(), List.of(GroupKey.SIDE), 20, root,
                        new PortHeadroom(20))) {
            int port = client.getLocalPort();
            assumeTrue(port > 1100, "the client's port " + port + " lies under the narrow range this test sets first");
            SocketFilter filter = SocketFilter.ports(listener.getLocalPort());
            source.count(filter);
            assertEquals(List.of("server", "unknown"), keys(source.lastGroups()));
            assertEquals(List.of(), source.lastHeadroom().ranked());
            Files.writeString(range, "1024 65535\n"); // widened: both see the client in the next sample
            source.count(filter);
            assertEquals(List.of("server", "client"), keys(source.lastGroups()));
            assertEquals(1, source.lastHeadroom().ranked().size(), source.lastHeadroom().toString());
            assertEquals(1, source.lastHeadroom().ranked().getFirst().used());
        }
    }

    /**
     * Under --family ipv4 the accepted IPv4 connections of Java's dual-stack listener on [::] are the server's: the
     * listening ports were taken from rows already filtered to IPv4, which drop the IPv6 listener, so its three
     * accepted sockets read as client ('client {ESTABLISHED 6}'), and --headroom listed them as three destinations
     * of their own (review, 2026-12-07).
     */
    @ParameterizedTest
    @ValueSource(strings = {"netlink", "proc"})
    void aDualStackListenersIpv4ConnectionsAreTheServersUnderFamilyIpv4(String kind) throws Exception {
        ServerSocketChannel listener;
        try {
            listener = CleanPort.bind(() -> {
                ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.INET6);
                l.bind(new InetSocketAddress(InetAddress.getByName("::"), 0), 64);
                return l;
            }, l -> ((InetSocketAddress) l.socket().getLocalSocketAddress()).getPort(), 1, CleanPort.GiveUp.FAIL);
        } catch (IOException | UnsupportedOperationException e) {
            assumeTrue(false, "no dual-stack listener on [::] here: " + e.getMessage());
            return;
        }
        SocketRowSource rows = kind.equals("netlink") ? new NetlinkSource() : new ProcNetTcpSource(PROC);
        List<Socket> open = new ArrayList<>();
        try (listener; GroupingSource source = new GroupingSource(rows, List.of(GroupKey.SIDE), 20, PROC, new PortHeadroom(20))) {
            int port = listener.socket().getLocalPort();
            for (int i = 0; i < 3; i++) {
                Socket c = new Socket();
                open.add(c);
                c.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
                open.add(listener.accept().socket());
            }
            SocketFilter ipv4 = SocketFilter.ports(port).withFamily(AddressFamily.IPV4);
            StateCounts total = source.count(ipv4);
            List<SocketGroup> groups = source.lastGroups();
            assertEquals(List.of("client", "server"), keys(groups).stream().sorted().toList(), groups.toString());
            assertEquals(3, byKey(groups, "server").states().get(TcpState.ESTABLISHED), groups.toString());
            assertEquals(0, byKey(groups, "server").states().get(TcpState.LISTEN), "the listener is IPv6: not counted");
            assertEquals(3, byKey(groups, "client").states().get(TcpState.ESTABLISHED), groups.toString());
            assertEquals(6, total.total(), "the filter still applies to what is counted");
            List<Destination> destinations = source.lastHeadroom().ranked();
            assertEquals(1, destinations.size(), destinations.toString());
            assertEquals("127.0.0.1:" + port, destinations.getFirst().remote());
            assertEquals(3, destinations.getFirst().used());
            // The same sample under --family all: the listener joins the server's side, nothing else moves.
            source.count(SocketFilter.ports(port));
            assertEquals(1, byKey(source.lastGroups(), "server").states().get(TcpState.LISTEN));
            assertEquals(3, byKey(source.lastGroups(), "client").states().get(TcpState.ESTABLISHED));
            // And under --family ipv6 there is only the listener.
            assertEquals(1, source.count(SocketFilter.ports(port).withFamily(AddressFamily.IPV6)).total());
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private static List<String> keys(List<SocketGroup> groups) {
        return groups.stream().map(SocketGroup::key).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"port", "peer", "remote", "side"})
    void everyKeyAgreesWithSsLineByLine(String key) throws Exception {
        assumeTrue(SsStates.available(), "ss is not installed");
        try (KnownSockets known = KnownSockets.ipv4(2, 1, 3);
                GroupingSource source = new GroupingSource(new NetlinkSource(), List.of(GroupKey.parse(key)), 1000, PROC)) {
            known.settle(source);
            int[] range = EphemeralPorts.read(PROC).range();
            java.util.Map<String, Long> fromSs = ssGroups(known.port(), key, range);
            java.util.Map<String, Long> fromUs = new java.util.TreeMap<>();
            source.count(known.filter());
            for (SocketGroup g : source.lastGroups()) {
                fromUs.put(g.key(), g.states().total());
            }
            assertEquals(fromSs, fromUs, "--by " + key + " against ss -tan");
        }
    }

    // ss -tan lines: State Recv-Q Send-Q Local:Port Peer:Port; a listener's peer is 0.0.0.0:*.
    private static java.util.Map<String, Long> ssGroups(int port, String key, int[] range) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ss", "-tan", "state", "all", "( sport = :" + port + " or dport = :" + port + " )")
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "ss ended");
        List<String[]> rows = text.lines().skip(1).map(l -> l.strip().split("\\s+")).toList();
        java.util.Set<Integer> listening = new java.util.HashSet<>();
        for (String[] r : rows) {
            if (r[0].equals("LISTEN")) {
                listening.add(portOf(r[3]));
            }
        }
        java.util.Map<String, Long> groups = new java.util.TreeMap<>();
        for (String[] r : rows) {
            int local = portOf(r[3]);
            String side = listening.contains(local) ? "server" : local >= range[0] && local <= range[1] ? "client" : "unknown";
            // ss writes a mapped address [::ffff:a.b.c.d] and the any address *; --by shows a.b.c.d and 0.0.0.0
            String peer = r[4].substring(0, r[4].lastIndexOf(':')).replace("[::ffff:", "").replace("]", "");
            peer = peer.equals("*") ? "0.0.0.0" : peer;
            String g = switch (key) {
                case "port" -> local + " (" + side + ")";
                case "peer" -> peer;
                case "remote" -> peer + ":" + portOf(r[4]);
                default -> side;
            };
            groups.merge(g, 1L, Long::sum);
        }
        return groups;
    }

    private static int portOf(String endpoint) {
        String p = endpoint.substring(endpoint.lastIndexOf(':') + 1);
        return p.equals("*") ? 0 : Integer.parseInt(p);
    }

    // Groups sum to the sample's totals, and those equal ss's count on the port.
    private static void agreesWithSs(GroupingSource source, int port) throws IOException {
        StateCounts total = source.count(SocketFilter.ports(port));
        long grouped = 0;
        for (SocketGroup g : source.lastGroups()) {
            grouped += g.states().total();
        }
        assertEquals(total.total(), grouped, "groups add up to the total");
        if (SsStates.available()) {
            assertEquals(SsStates.count(port).get(TcpState.TIME_WAIT), total.get(TcpState.TIME_WAIT), "ss agrees");
        }
    }

    private static List<SocketGroup> settle(GroupingSource source, SocketFilter filter, Predicate<List<SocketGroup>> done)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        source.count(filter);
        while (!done.test(source.lastGroups()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            source.count(filter);
        }
        return source.lastGroups();
    }

    private static boolean has(List<SocketGroup> gs, String key, long n) {
        SocketGroup g = byKey(gs, key);
        return g != null && g.states().total() == n;
    }

    private static SocketGroup byKey(List<SocketGroup> gs, String key) {
        return gs.stream().filter(g -> g.key().equals(key)).findFirst().orElse(null);
    }

    private static SocketGroup byPid(List<SocketGroup> gs, long pid) {
        return gs.stream().filter(g -> g.pid() != null && g.pid() == pid).findFirst().orElse(null);
    }


    // ss -tanp lines carry users:(("java",pid=1234,fd=5)); count those of one pid in one state.
    private static long ssCountForPid(int port, long pid, String ssState) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ss", "-tanp", "state", "all", "( sport = :" + port + " or dport = :" + port + " )")
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "ss ended");
        return text.lines().filter(l -> l.startsWith(ssState) && l.contains("pid=" + pid + ",")).count();
    }
}
