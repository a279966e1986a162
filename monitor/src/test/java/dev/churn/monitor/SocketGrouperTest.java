package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ranking and the other group, on rows made up for the purpose (the real-socket tests are GroupingSourceTest). */
class SocketGrouperTest {

    private static final EphemeralPorts RANGE = new EphemeralPorts(32768, 60999, new java.util.BitSet(), 2);

    /** IPv6 ends as ss writes them, [::1]:7020, in --by remote and --headroom alike (QA, 2026-12-06). */
    @Test
    void ipv6EndsAreWrittenShort() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        assertEquals("[::1]:7020", AddressText.endpoint(v6, 7020));
        Destination d = new Destination(v6, v6, 7020, 1, 100, 0.01, false);
        assertEquals("::1", d.local());
        assertEquals("[::1]:7020", d.remote());
        assertEquals("127.0.0.1:80", AddressText.endpoint(InetAddress.getByName("127.0.0.1"), 80));
    }

    @Test
    void theLargestGroupsRankFirstTiesInNumericOrderAndTheRestSumIntoOther() throws Exception {
        List<SocketRow> rows = new ArrayList<>();
        InetAddress a = InetAddress.getByName("127.0.0.2");
        InetAddress b = InetAddress.getByName("127.0.0.10");
        add(rows, b, 9000, 3);
        add(rows, a, 10000, 1);
        add(rows, a, 9000, 1);
        add(rows, b, 80, 1);
        add(rows, a, 443, 2);
        for (int port = 20000; port < 20100; port++) {
            add(rows, InetAddress.getByName("::1"), port, 1);
        }
        List<SocketGroup> groups = new SocketGrouper(List.of(GroupKey.REMOTE), 4).group(rows, SampleRows.listening(rows), RANGE, null);
        // by count, then address as a number (127.0.0.2 before 127.0.0.10), then port as a number (9000 before 10000)
        assertEquals(List.of("127.0.0.10:9000", "127.0.0.2:443", "127.0.0.2:9000", "127.0.0.2:10000", SocketGroup.OTHER),
                groups.stream().map(SocketGroup::key).toList());
        assertEquals(1 + 100, groups.get(4).states().total(), "127.0.0.10:80 and the hundred IPv6 groups");
        assertEquals(rows.size(), groups.stream().mapToLong(g -> g.states().total()).sum());
        assertEquals("127.0.0.10", groups.get(0).address());
        assertEquals(9000, groups.get(0).remotePort());
    }

    @Test
    void combinedKeysKeepEveryPartAndTiesRankByStateThenSide() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<SocketRow> rows = new ArrayList<>();
        rows.add(new SocketRow(TcpState.LISTEN, lo, 8080, InetAddress.getByName("0.0.0.0"), 0, 0));
        rows.add(new SocketRow(TcpState.TIME_WAIT, lo, 8080, lo, 40000, 0));
        rows.add(new SocketRow(TcpState.TIME_WAIT, lo, 40001, lo, 8080, 0));
        List<SocketGroup> groups = new SocketGrouper(List.of(GroupKey.PROCESS, GroupKey.SIDE), 10)
                .group(rows, SampleRows.listening(rows), RANGE, null);
        // TcpState's order (the kernel's codes: TIME_WAIT 6 before LISTEN 10), then server before client
        assertEquals(List.of("(no process: TIME_WAIT, server side) | server", "(no process: TIME_WAIT, client side) | client",
                "(no process: LISTEN, server side) | server"), groups.stream().map(SocketGroup::key).toList());
        assertEquals(Side.CLIENT, groups.get(1).side());
    }

    @Test
    void groupsKeptBetweenSamplesStartFromZeroAndFollowTheSideOfTheirPort() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        SocketGrouper grouper = new SocketGrouper(List.of(GroupKey.PORT), 10);
        List<SocketRow> first = List.of(
                new SocketRow(TcpState.ESTABLISHED, lo, 40000, lo, 9000, 1),
                new SocketRow(TcpState.ESTABLISHED, lo, 40000, lo, 9001, 2),
                new SocketRow(TcpState.TIME_WAIT, lo, 40001, lo, 9000, 0));
        assertEquals(List.of("40000 (client)", "40001 (client)"),
                grouper.group(first, SampleRows.listening(first), RANGE, null).stream().map(SocketGroup::key).toList());
        // next sample: 40001 is gone, and a listener now holds 40000
        List<SocketRow> second = List.of(
                new SocketRow(TcpState.LISTEN, lo, 40000, InetAddress.getByName("0.0.0.0"), 0, 3),
                new SocketRow(TcpState.ESTABLISHED, lo, 40000, lo, 9000, 1));
        List<SocketGroup> groups = grouper.group(second, SampleRows.listening(second), RANGE, null);
        assertEquals(List.of("40000 (server)"), groups.stream().map(SocketGroup::key).toList());
        assertEquals(2, groups.getFirst().states().total(), "counted from zero: " + groups);
        assertEquals(Side.SERVER, groups.getFirst().side());
    }

    @Test
    void remoteGroupsKeepTheirOwnKeysAcrossSamplesAloneAndCombined() throws Exception {
        InetAddress a = InetAddress.getByName("127.0.0.2");
        for (List<GroupKey> keys : List.of(List.of(GroupKey.REMOTE), List.of(GroupKey.REMOTE, GroupKey.SIDE))) {
            SocketGrouper grouper = new SocketGrouper(keys, 10);
            List<SocketRow> rows = new ArrayList<>();
            add(rows, a, 80, 2);
            add(rows, a, 443, 1);
            for (int sample = 0; sample < 3; sample++) {
                List<SocketGroup> groups = grouper.group(rows, SampleRows.listening(rows), RANGE, null);
                assertEquals(List.of(2L, 1L), groups.stream().map(g -> g.states().total()).toList(), keys + " " + groups);
                assertEquals(List.of(80, 443), groups.stream().map(SocketGroup::remotePort).toList(), keys + " " + groups);
            }
        }
    }

    private static void add(List<SocketRow> rows, InetAddress remote, int port, int n) {
        for (int i = 0; i < n; i++) {
            rows.add(new SocketRow(TcpState.ESTABLISHED, InetAddress.getLoopbackAddress(), 40000 + rows.size(), remote, port, 1));
        }
    }
}
