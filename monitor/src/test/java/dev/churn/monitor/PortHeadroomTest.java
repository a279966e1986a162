package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link PortHeadroom} on rows written by hand: what counts as a client socket, the
 * grouping per destination, the ranking, tcp_tw_reuse's loopback rule and the warnings. The same
 * code on rows from the real kernel is MonitorHeadroomTest in cli.
 */
class PortHeadroomTest {

    private static final EphemeralPorts RANGE = new EphemeralPorts(20000, 20099, EphemeralPorts.parseReserved("20090-20099"), 0);

    @Test
    void clientSocketsCountPerDestinationInEveryStateButListen() throws Exception {
        List<SocketRow> rows = new ArrayList<>();
        rows.add(row(TcpState.LISTEN, "127.0.0.1", 7000, "0.0.0.0", 0));
        rows.add(row(TcpState.ESTABLISHED, "127.0.0.1", 20000, "127.0.0.1", 7000));
        rows.add(row(TcpState.TIME_WAIT, "127.0.0.1", 20001, "127.0.0.1", 7000));
        rows.add(row(TcpState.FIN_WAIT2, "127.0.0.1", 20002, "127.0.0.1", 7000));
        rows.add(row(TcpState.ESTABLISHED, "127.0.0.2", 20000, "127.0.0.1", 7000)); // other local address
        rows.add(row(TcpState.ESTABLISHED, "127.0.0.1", 7000, "127.0.0.1", 20000)); // accepted: a listener holds 7000
        rows.add(row(TcpState.ESTABLISHED, "127.0.0.1", 20095, "127.0.0.1", 7000)); // reserved: bound on purpose
        rows.add(row(TcpState.ESTABLISHED, "127.0.0.1", 5000, "127.0.0.1", 7001)); // below the range
        rows.add(row(TcpState.CLOSE, "0.0.0.0", 20003, "0.0.0.0", 0)); // bound, never connected
        Headroom h = PortHeadroom.compute(rows, SampleRows.listening(rows), SampleRows.held(rows), RANGE, 20);
        assertEquals(2, h.ranked().size(), h.toString());
        Destination first = h.ranked().getFirst();
        assertEquals("127.0.0.1", first.local());
        assertEquals("127.0.0.1:7000", first.remote());
        assertEquals(3, first.used());
        assertEquals(90, first.available());
        assertEquals(3 / 90.0, first.usedFraction(), 1e-12);
        assertEquals("127.0.0.2", h.ranked().get(1).local());
        assertEquals(1, h.ranked().get(1).used());
        assertEquals(1, PortHeadroom.compute(rows, SampleRows.listening(rows), SampleRows.held(rows), RANGE, 1).shown().size());
        // Held by any socket, in the range and not reserved: 20000 (two local addresses, one port), 20001, 20002, and
        // 20003, bound but never connected.
        assertEquals(4, h.held());
        assertEquals(4 / 90.0, h.heldFraction(), 1e-12);
        assertEquals(HeadroomLevel.OK, h.worstCaseLevel());
    }

    /** A listener's port in the range is bind()'s: connect() cannot pick it towards any destination. */
    @Test
    void aListenerInTheRangeLeavesFewerAvailableAndOtherPortsCountAsTheWorstCase() throws Exception {
        List<SocketRow> rows = new ArrayList<>();
        rows.add(row(TcpState.LISTEN, "0.0.0.0", 20050, "0.0.0.0", 0));
        rows.add(row(TcpState.ESTABLISHED, "127.0.0.1", 20050, "127.0.0.1", 30000)); // accepted: the server's
        for (int i = 0; i < 40; i++) { // bound to 127.0.0.2 before connecting to 7001, say
            rows.add(row(TcpState.ESTABLISHED, "127.0.0.2", 20000 + i, "127.0.0.1", 7001));
        }
        for (int i = 0; i < 9; i++) {
            rows.add(row(TcpState.ESTABLISHED, "127.0.0.1", 20051 + i, "127.0.0.1", 7002));
        }
        Headroom h = PortHeadroom.compute(rows, SampleRows.listening(rows), SampleRows.held(rows), RANGE, 20);
        assertEquals(89, h.available(), "90 less the listener's");
        assertEquals(49, h.held());
        Destination to7002 = h.ranked().stream().filter(d -> d.remote().equals("127.0.0.1:7002")).findFirst().orElseThrow();
        assertEquals(9, to7002.used());
        assertEquals(89, to7002.available());
        assertEquals(HeadroomLevel.OK, h.ranked().getFirst().level(), "7001's own 40 of 89");
        assertEquals(HeadroomLevel.PAST_HALF, h.worstCaseLevel(), "49 of 89 held: past half for every destination");
        HeadroomWarnings w = new HeadroomWarnings();
        List<String> said = w.crossings(h);
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.getFirst().startsWith("any destination: 49 of 89 local ports in the range held by some socket (55%),"
                + " past half in the worst case"), said.getFirst());
        assertEquals(List.of(), w.crossings(h), "said once");
    }

    @Test
    void twReuseTwoAppliesWhenEitherEndIsLoopback() throws Exception {
        assertTrue(Destination.twReuseApplies(2, ip("127.0.0.1"), far(1)));
        assertTrue(Destination.twReuseApplies(2, far(2), ip("127.3.4.5")));
        assertTrue(Destination.twReuseApplies(2, ip("::1"), farV6(1)));
        assertTrue(Destination.twReuseApplies(2, mapped(127, 0, 0, 9), farV6(1)), "IPv4-mapped loopback");
        assertFalse(Destination.twReuseApplies(2, mapped(198, 18, 0, 9), farV6(1)));
        assertFalse(Destination.twReuseApplies(2, far(2), far(1)));
        assertTrue(Destination.twReuseApplies(1, far(2), far(1)));
        assertFalse(Destination.twReuseApplies(0, ip("127.0.0.1"), ip("127.0.0.1")));
    }

    @Test
    void aWarningComesOncePerCrossing() throws Exception {
        HeadroomWarnings w = new HeadroomWarnings();
        assertEquals(List.of(), w.crossings(headroom(44)));
        List<String> half = w.crossings(headroom(45));
        assertEquals(1, half.size(), half.toString());
        assertTrue(half.getFirst().startsWith("127.0.0.1 -> 127.0.0.1:7000: 45 of 90 local ports in use (50%), past half"),
                half.getFirst());
        assertEquals(List.of(), w.crossings(headroom(60)), "still past half: said already");
        List<String> full = w.crossings(headroom(81));
        assertEquals(1, full.size(), full.toString());
        assertTrue(full.getFirst().contains("nearly full"), full.getFirst());
        assertEquals(List.of(), w.crossings(headroom(10)));
        assertEquals(1, w.crossings(headroom(50)).size(), "crossed again");
    }

    private static Headroom headroom(int clients) throws UnknownHostException {
        List<SocketRow> rows = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            rows.add(row(TcpState.TIME_WAIT, "127.0.0.1", 20000 + i, "127.0.0.1", 7000));
        }
        return PortHeadroom.compute(rows, SampleRows.listening(rows), SampleRows.held(rows), RANGE, 20);
    }

    private static SocketRow row(TcpState s, String local, int localPort, String remote, int remotePort)
            throws UnknownHostException {
        return new SocketRow(s, ip(local), localPort, ip(remote), remotePort, 0);
    }

    // Non-loopback addresses for the rule, from the benchmarking ranges no real network routes
    // (RFC 2544's 198.18.0.0/15, RFC 5180's 2001:2::/48); built from bytes, never sent to.
    private static InetAddress far(int host) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {(byte) 198, 18, 0, (byte) host});
    }

    private static InetAddress farV6(int host) throws UnknownHostException {
        byte[] b = new byte[16];
        b[0] = 0x20;
        b[1] = 0x01;
        b[3] = 0x02;
        b[15] = (byte) host;
        return InetAddress.getByAddress(b);
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    private static InetAddress mapped(int a, int b, int c, int d) throws UnknownHostException {
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        v6[12] = (byte) a;
        v6[13] = (byte) b;
        v6[14] = (byte) c;
        v6[15] = (byte) d;
        return Inet6Address.getByAddress(null, v6, -1);
    }
}
