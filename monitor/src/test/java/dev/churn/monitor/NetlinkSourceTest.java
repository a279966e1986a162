package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.TestAbortedException;

/** The netlink source against real loopback sockets left in known states. */
class NetlinkSourceTest {

    private static KnownSockets v4;
    private static KnownSockets v6;
    /**
     * Why the known sockets could not be made (a full TIME_WAIT table), or null. Each test that needs them skips
     * saying so: an assumption failed in {@code @BeforeAll} made the whole class vanish from the counts (0 run, 0
     * skipped), the tests that need no sockets with it.
     */
    private static String noSockets;

    @BeforeAll
    static void sockets() throws IOException {
        assumeTrue(NetlinkSource.isSupported(), "netlink sock_diag is not available here (not Linux, or no inet_diag)");
        try {
            v4 = KnownSockets.ipv4(3, 4, 5);
            v6 = KnownSockets.ipv6(2, 3, 4);
        } catch (TestAbortedException e) {
            noSockets = e.getMessage();
        }
    }

    private static KnownSockets v4() {
        assumeTrue(noSockets == null, noSockets);
        return v4;
    }

    private static KnownSockets v6() {
        assumeTrue(noSockets == null, noSockets);
        return v6;
    }

    @AfterAll
    static void closeSockets() throws IOException {
        if (v4 != null) {
            v4().close();
        }
        if (v6 != null) {
            v6().close();
        }
    }

    @Test
    void countsIpv4StatesExactly() throws Exception {
        try (NetlinkSource source = new NetlinkSource()) {
            assertEquals(v4().expected(), v4().settle(source));
        }
    }

    @Test
    void countsIpv6StatesExactly() throws Exception {
        try (NetlinkSource source = new NetlinkSource()) {
            assertEquals(v6().expected(), v6().settle(source));
        }
    }

    @ParameterizedTest
    @EnumSource(value = TcpState.class, names = {"FIN_WAIT2", "TIME_WAIT", "CLOSE_WAIT", "LISTEN", "ESTABLISHED"})
    void aStateFilterGivesOnlyThatState(TcpState only) throws Exception {
        try (NetlinkSource source = new NetlinkSource()) {
            for (KnownSockets k : Stream.of(v4(), v6()).toList()) {
                k.settle(source);
                StateCounts got = source.count(k.filter().withStates(EnumSet.of(only)));
                StateCounts want = new StateCounts.Builder().add(only, k.expected().get(only)).build();
                assertEquals(want, got, "only " + only + " on port " + k.port());
            }
        }
    }

    @Test
    void orphanedFinWait2AndTimeWaitStayApart() throws Exception {
        // Both are timewait minisockets in the kernel; asking for the pair gives each its own count.
        try (NetlinkSource source = new NetlinkSource()) {
            v4().settle(source);
            StateCounts got = source.count(v4().filter().withStates(EnumSet.of(TcpState.FIN_WAIT2, TcpState.TIME_WAIT)));
            assertEquals(new StateCounts.Builder().add(TcpState.FIN_WAIT2, 4).add(TcpState.TIME_WAIT, 5).build(), got);
        }
    }

    @Test
    void familyFilterSeparatesIpv4FromIpv6() throws Exception {
        // Java's sockets on 127.0.0.1 are AF_INET6 sockets with ::ffff:127.0.0.1; they still count as IPv4.
        try (NetlinkSource source = new NetlinkSource()) {
            v4().settle(source);
            v6().settle(source);
            assertEquals(StateCounts.EMPTY, source.count(v6().filter().withFamily(AddressFamily.IPV4)));
            assertEquals(StateCounts.EMPTY, source.count(v4().filter().withFamily(AddressFamily.IPV6)));
            assertEquals(v4().expected(), source.count(v4().filter().withFamily(AddressFamily.IPV4)));
            assertEquals(v6().expected(), source.count(v6().filter().withFamily(AddressFamily.IPV6)));
        }
    }

    @Test
    void nativeIpv4SocketsCountAsIpv4() throws Exception {
        // KnownSockets' "IPv4" sockets are dual-stack AF_INET6 sockets with mapped addresses; these
        // channels are real AF_INET sockets, which only the AF_INET dump reports.
        try (ServerSocketChannel listener = cleanIpv4Listener();
                SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET);
                NetlinkSource source = new NetlinkSource()) {
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            client.connect(listener.getLocalAddress());
            try (SocketChannel server = listener.accept()) {
                StateCounts want = new StateCounts.Builder().add(TcpState.LISTEN).add(TcpState.ESTABLISHED, 2).build();
                assertEquals(want, source.count(SocketFilter.ports(port)));
                assertEquals(want, source.count(SocketFilter.ports(port).withFamily(AddressFamily.IPV4)));
                assertEquals(StateCounts.EMPTY, source.count(SocketFilter.ports(port).withFamily(AddressFamily.IPV6)));
            }
        }
    }

    @Test
    void oneDumpOfBothFamiliesFindsWhatADumpPerFamilyFinds() throws Exception {
        // The source asks for both families in one TCPDIAG_GETSOCK dump (one walk of the kernel's
        // tables instead of two); a dump per family is the reference. Dual-stack sockets with mapped
        // addresses (v4), real IPv6 ones (v6) and real AF_INET ones, every family filter, counted and
        // visited, with and without the kernel's port program.
        try (ServerSocketChannel listener = cleanIpv4Listener();
                SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET);
                NetlinkSource one = new NetlinkSource();
                NetlinkSource each = new NetlinkSource()) {
            each.dumpEachFamily();
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            client.connect(listener.getLocalAddress());
            try (SocketChannel server = listener.accept()) {
                v4().settle(one);
                v6().settle(one);
                SocketFilter all = SocketFilter.ports(v4().port(), v6().port(), port);
                for (AddressFamily f : AddressFamily.values()) {
                    SocketFilter filter = all.withFamily(f);
                    for (boolean kernelPorts : new boolean[] {true, false}) {
                        assertEquals(each.count(filter, kernelPorts), one.count(filter, kernelPorts), filter + " kernel ports " + kernelPorts);
                        assertEquals(1, one.dumpsInLastCount(), filter.toString());
                        assertEquals(f == AddressFamily.IPV6 ? 1 : 2, each.dumpsInLastCount(), filter.toString());
                    }
                    List<SocketRow> rowsOne = new ArrayList<>();
                    List<SocketRow> rowsEach = new ArrayList<>();
                    assertEquals(each.visit(filter, rowsEach::add), one.visit(filter, rowsOne::add), filter.toString());
                    // The same sockets; their timers and ages have moved on between the two dumps.
                    assertEquals(identities(rowsEach), identities(rowsOne), filter.toString());
                }
                // The mapped dual-stack sockets and the real AF_INET ones both count as IPv4.
                StateCounts.Builder want = new StateCounts.Builder().add(TcpState.LISTEN).add(TcpState.ESTABLISHED, 2);
                v4().expected().toMap().forEach(want::add);
                assertEquals(want.build(), one.count(SocketFilter.ports(v4().port(), port).withFamily(AddressFamily.IPV4)));
                assertEquals(v6().expected(), one.count(all.withFamily(AddressFamily.IPV6)));
                assertTrue(one.dumpsBothFamiliesAtOnce(), "the kernel refused the two-family dump");
            }
        }
    }

    private static Set<String> identities(List<SocketRow> rows) {
        Set<String> ids = new java.util.HashSet<>();
        for (SocketRow r : rows) {
            assertTrue(ids.add(r.state() + " " + r.localAddress() + ":" + r.localPort() + " " + r.remoteAddress() + ":"
                    + r.remotePort() + " " + r.inode()), "visited twice: " + r);
        }
        return ids;
    }

    /** An AF_INET listener on a port no old connection still uses (see CleanPort); bounded tries. */
    private static ServerSocketChannel cleanIpv4Listener() throws IOException {
        return CleanPort.bind(() -> {
            ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.INET);
            l.bind(new InetSocketAddress("127.0.0.1", 0));
            return l;
        }, l -> l.socket().getLocalPort(), 1, CleanPort.GiveUp.FAIL);
    }

    @Test
    void aPortWithoutSocketsCountsNothing() throws Exception {
        int unused;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            unused = s.getLocalPort();
        }
        try (NetlinkSource source = new NetlinkSource()) {
            assertEquals(StateCounts.EMPTY, source.count(SocketFilter.ports(unused)));
            assertEquals(StateCounts.EMPTY, source.count(SocketFilter.ports(unused), false));
        }
    }

    @Test
    void noWantedStatesCountsNothing() throws Exception {
        try (NetlinkSource source = new NetlinkSource()) {
            assertEquals(StateCounts.EMPTY, source.count(v4().filter().withStates(Set.of())));
        }
    }

    @Test
    void severalPortsCountTheUnionOfTheirSockets() throws Exception {
        try (NetlinkSource source = new NetlinkSource()) {
            v4().settle(source);
            v6().settle(source);
            StateCounts.Builder sum = new StateCounts.Builder();
            for (TcpState s : TcpState.values()) {
                sum.add(s, v4().expected().get(s) + v6().expected().get(s));
            }
            SocketFilter both = SocketFilter.ports(v4().port(), v6().port());
            assertEquals(sum.build(), source.count(both));
        }
    }

    @Test
    void kernelPortFilterAgreesWithJavaPortFilter() throws Exception {
        try (NetlinkSource source = new NetlinkSource()) {
            v4().settle(source);
            v6().settle(source);
            // Ports on both sides of v4's and v6's, so the kernel program's OR chain is exercised.
            SocketFilter[] filters = {
                v4().filter(),
                v6().filter(),
                SocketFilter.ports(1, v4().port(), v6().port(), 65535),
                v4().filter().withStates(EnumSet.of(TcpState.FIN_WAIT2)),
            };
            for (SocketFilter f : filters) {
                StateCounts inKernel = kernelCountAgreeingWithJava(source, f, f.toString());
                assertTrue(inKernel.total() > 0, f.toString());
            }
            assertTrue(source.usesKernelPortFilter(), "the kernel refused the port program");
        }
    }

    @Test
    void theKernelSkipsSocketsOnOtherPorts() throws Exception {
        try (NetlinkSource source = new NetlinkSource()) {
            v4().settle(source);
            v6().settle(source);
            StateCounts got = source.count(v4().filter(), true);
            assertEquals(v4().expected(), got);
            assertEquals(got.total(), source.receivedInLastCount(), "sockets sent with the kernel filtering");
            source.count(v4().filter(), false);
            long unfiltered = source.receivedInLastCount();
            assertTrue(unfiltered >= got.total() + v6().expected().total(), "sent without: " + unfiltered);
        }
    }

    @Test
    void theLargestKernelProgramAndMorePortsStillCountRight() throws Exception {
        try (NetlinkSource source = new NetlinkSource()) {
            v4().settle(source);
            for (int n : new int[] {InetDiagRequest.MAX_KERNEL_FILTER_PORTS, InetDiagRequest.MAX_KERNEL_FILTER_PORTS + 100}) {
                // Low ports (sshd and friends may live there) plus the fixture's ephemeral one.
                int[] ports = IntStream.concat(IntStream.rangeClosed(1, n - 1), IntStream.of(v4().port())).toArray();
                SocketFilter f = SocketFilter.ports(ports);
                StateCounts inKernel = kernelCountAgreeingWithJava(source, f, n + " ports");
                for (TcpState s : TcpState.values()) {
                    assertTrue(inKernel.get(s) >= v4().expected().get(s), n + " ports: " + s + " in " + inKernel);
                }
            }
            assertTrue(source.usesKernelPortFilter(), "the kernel refused the port program");
        }
    }

    /**
     * The kernel-filtered count of {@code f}, once a Java-filtered count read right after it agrees.
     * The two are separate dumps, and sockets of other processes on the low ports (an HTTP client's
     * port 80, sshd's 22) may change state between them: a CI build saw one ESTABLISHED become
     * FIN_WAIT1 so. A kernel program that counted wrongly would disagree every time, so a few
     * tries tell a race from a fault.
     */
    private static StateCounts kernelCountAgreeingWithJava(NetlinkSource source, SocketFilter f, String what)
            throws IOException, InterruptedException {
        StateCounts inKernel = null;
        StateCounts inJava = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            inKernel = source.count(f, true);
            inJava = source.count(f, false);
            if (inKernel.equals(inJava)) {
                return inKernel;
            }
            Thread.sleep(20);
        }
        assertEquals(inJava, inKernel, what + ": the kernel's and Java's filters never agreed in 20 pairs of counts");
        return inKernel;
    }

    @Test
    void allSocketsIncludeTheKnownOnes() throws Exception {
        try (NetlinkSource source = new NetlinkSource()) {
            v4().settle(source);
            v6().settle(source);
            StateCounts all = source.count(SocketFilter.ALL);
            for (TcpState s : TcpState.values()) {
                assertTrue(all.get(s) >= v4().expected().get(s) + v6().expected().get(s), s + " in " + all);
            }
        }
    }

    @Test
    void survivesManyCountsWithoutLeaking() throws Exception {
        try (NetlinkSource source = new NetlinkSource()) {
            assertEquals(v4().expected(), v4().settle(source));
            long fdsBefore = openDescriptors();
            for (int i = 0; i < 200; i++) {
                assertEquals(v4().expected(), source.count(v4().filter()), "count " + i);
            }
            // A leak would show 200 or 400 more; the JVM itself may open a few meanwhile.
            long grown = openDescriptors() - fdsBefore;
            assertTrue(grown < 10, "descriptors grew by " + grown + " over 200 counts");
        }
    }

    @Test
    void openedOnOneThreadCountsOnAnother() throws Exception {
        try (NetlinkSource source = new NetlinkSource()) {
            v4().settle(source);
            StateCounts other = CompletableFuture.supplyAsync(() -> {
                try {
                    return source.count(v4().filter());
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }).get(10, TimeUnit.SECONDS);
            assertEquals(v4().expected(), other);
        }
    }

    @Test
    void closedSourceRefusesToCount() throws Exception {
        NetlinkSource source = new NetlinkSource();
        source.close();
        source.close(); // twice is fine
        IOException e = assertThrows(IOException.class, () -> source.count(SocketFilter.ALL));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void errnoMessagesNameNumberAndMeaning() {
        assertEquals("errno 105 (No buffer space available)", Downcalls.describe(105));
    }

    @Test
    void kindIsNetlink() throws Exception {
        try (NetlinkSource source = new NetlinkSource()) {
            assertEquals(SourceKind.NETLINK, source.kind());
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
