package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcNetTcpSourceTest {

    private static final int PORT = 8080;
    private static final int OTHER_PORT = 9090;

    private static StateCounts counts(Object... stateThenCount) {
        StateCounts.Builder b = new StateCounts.Builder();
        for (int i = 0; i < stateThenCount.length; i += 2) {
            b.add((TcpState) stateThenCount[i], ((Number) stateThenCount[i + 1]).longValue());
        }
        return b.build();
    }

    @Test
    void countsEveryIpv4RowOfTheFixtureAndTheIpv4MappedRowsOfTcp6() throws IOException {
        try (ProcNetTcpSource source = new ProcNetTcpSource(ProcFixtures.root("basic"))) {
            StateCounts got = source.count(SocketFilter.ALL.withFamily(AddressFamily.IPV4));
            // tcp's 2 ESTABLISHED rows plus tcp6's one ::ffff:127.0.0.1 row
            assertEquals(counts(TcpState.LISTEN, 2, TcpState.ESTABLISHED, 3, TcpState.FIN_WAIT2, 1, TcpState.CLOSE_WAIT, 1,
                    TcpState.TIME_WAIT, 2, TcpState.SYN_SENT, 1, TcpState.SYN_RECV, 1, TcpState.FIN_WAIT1, 1,
                    TcpState.LAST_ACK, 1, TcpState.CLOSING, 1, TcpState.CLOSE, 1), got);
            assertEquals(0, source.malformedLines());
        }
    }

    @Test
    void countsEveryRealIpv6RowButNotTheIpv4MappedOne() throws IOException {
        try (ProcNetTcpSource source = new ProcNetTcpSource(ProcFixtures.root("basic"))) {
            StateCounts got = source.count(SocketFilter.ALL.withFamily(AddressFamily.IPV6));
            assertEquals(counts(TcpState.LISTEN, 2, TcpState.ESTABLISHED, 2, TcpState.TIME_WAIT, 1,
                    TcpState.FIN_WAIT2, 1, TcpState.CLOSE_WAIT, 1), got);
            assertEquals(0, source.malformedLines());
        }
    }

    @Test
    void portFilterKeepsRowsWithThePortOnEitherSideInBothFamilies() throws IOException {
        try (ProcNetTcpSource source = new ProcNetTcpSource(ProcFixtures.root("basic"))) {
            assertEquals(counts(TcpState.LISTEN, 2, TcpState.ESTABLISHED, 5, TcpState.FIN_WAIT2, 2, TcpState.CLOSE_WAIT, 2,
                    TcpState.TIME_WAIT, 3, TcpState.FIN_WAIT1, 1, TcpState.LAST_ACK, 1, TcpState.CLOSING, 1,
                    TcpState.CLOSE, 1), source.count(SocketFilter.ports(PORT)));
            // 9090 is the remote port of the SYN_SENT row and the local port of the SYN_RECV row
            assertEquals(counts(TcpState.SYN_SENT, 1, TcpState.SYN_RECV, 1), source.count(SocketFilter.ports(OTHER_PORT)));
            assertEquals(StateCounts.EMPTY, source.count(SocketFilter.ports(OTHER_PORT).withFamily(AddressFamily.IPV6)));
            assertEquals(counts(TcpState.LISTEN, 2), source.count(SocketFilter.ports(2024)));
            assertEquals(StateCounts.EMPTY, source.count(SocketFilter.ports(1)));
        }
    }

    @Test
    void severalPortsAndAStateFilterCombine() throws IOException {
        try (ProcNetTcpSource source = new ProcNetTcpSource(ProcFixtures.root("basic"))) {
            SocketFilter timeWaitAndSynRecv = SocketFilter.ports(PORT, OTHER_PORT)
                    .withStates(EnumSet.of(TcpState.TIME_WAIT, TcpState.SYN_RECV));
            assertEquals(counts(TcpState.TIME_WAIT, 3, TcpState.SYN_RECV, 1), source.count(timeWaitAndSynRecv));
            assertEquals(StateCounts.EMPTY, source.count(SocketFilter.ports(PORT).withStates(EnumSet.noneOf(TcpState.class))));
        }
    }

    @Test
    void malformedRowsAreSkippedAndCountedWhileGoodRowsCountExactly() throws IOException {
        try (ProcNetTcpSource source = new ProcNetTcpSource(ProcFixtures.root("malformed"))) {
            StateCounts v4 = source.count(SocketFilter.ALL.withFamily(AddressFamily.IPV4));
            // good rows: LISTEN, ESTABLISHED, and a TIME_WAIT that is the last line without a newline
            assertEquals(counts(TcpState.LISTEN, 1, TcpState.ESTABLISHED, 1, TcpState.TIME_WAIT, 1), v4);
            // short, bad port hex, bad address hex, empty, garbage, state 0C, state 00, fields
            // missing after the state, an IPv6-wide address, no slot number; plus tcp6's IPv4-wide row,
            // since an IPv4 count reads tcp6 for its IPv4-mapped connections
            assertEquals(11, source.malformedLines());

            StateCounts v6 = source.count(SocketFilter.ALL.withFamily(AddressFamily.IPV6));
            assertEquals(counts(TcpState.ESTABLISHED, 1), v6); // the IPv4-wide row in tcp6 is malformed
            assertEquals(12, source.malformedLines());

            source.count(SocketFilter.ports(PORT));
            assertEquals(23, source.malformedLines(), "the count accumulates over calls");
        }
    }

    @Test
    void missingTcp6CountsAsNoIpv6Sockets() throws IOException {
        try (ProcNetTcpSource source = new ProcNetTcpSource(ProcFixtures.root("no-tcp6"))) {
            assertEquals(StateCounts.EMPTY, source.count(SocketFilter.ALL.withFamily(AddressFamily.IPV6)));
            assertEquals(counts(TcpState.LISTEN, 1, TcpState.ESTABLISHED, 2), source.count(SocketFilter.ports(PORT)));
        }
    }

    @Test
    void aRootWithoutNetTcpIsRejectedWithAClearMessage(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> new ProcNetTcpSource(dir));
        assertEquals("no " + dir.resolve("net/tcp") + ": is --proc-root a proc directory?", e.getMessage());
    }

    @Test
    void aFileLargerThanTheFirstBufferIsReadWhole(@TempDir Path dir) throws IOException {
        // 5,000 rows of 150 bytes: three times the initial buffer, so the buffer grows while reading
        Files.createDirectories(dir.resolve("net"));
        StringBuilder text = new StringBuilder(String.format("%-149s%n", "  sl  local_address rem_address   st tx_queue"));
        int rows = 5_000;
        for (int i = 0; i < rows; i++) {
            int state = i % 3 == 0 ? 0x06 : 0x01;
            String row = String.format("%4d: 0100007F:%04X 0100007F:1F90 %02X 00000000:00000000 00:00000000 00000000     0        0 %d 1 0000000000000000 20 4 30 10 -1",
                    i, 10_000 + i, state, 100_000 + i);
            text.append(String.format("%-149s%n", row));
        }
        Files.writeString(dir.resolve("net/tcp"), text);
        try (ProcNetTcpSource source = new ProcNetTcpSource(dir)) {
            StateCounts got = source.count(SocketFilter.ports(PORT));
            assertEquals(counts(TcpState.TIME_WAIT, 1667, TcpState.ESTABLISHED, 3333), got);
            assertEquals(got, source.count(SocketFilter.ports(PORT)), "a second read of the grown buffer counts the same");
            assertEquals(0, source.malformedLines());
        }
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void countsExactlyTheKnownSocketsOfTheRealKernel(boolean ipv6) throws Exception {
        try (KnownSockets known = ipv6 ? KnownSockets.ipv6(3, 4, 5) : KnownSockets.ipv4(3, 4, 5);
                ProcNetTcpSource source = new ProcNetTcpSource(StateSources.DEFAULT_PROC_ROOT)) {
            assertEquals(known.expected(), known.settle(source));
            // Java opens dual-stack sockets: its 127.0.0.1 sockets are IPv4-mapped rows of tcp6, and
            // count as IPv4 all the same (AddressFamily's rule, shared by every source)
            AddressFamily own = ipv6 ? AddressFamily.IPV6 : AddressFamily.IPV4;
            AddressFamily other = ipv6 ? AddressFamily.IPV4 : AddressFamily.IPV6;
            assertEquals(known.expected(), source.count(known.filter().withFamily(own)));
            assertEquals(StateCounts.EMPTY, source.count(known.filter().withFamily(other)));
            assertEquals(0, source.malformedLines(), "the real kernel's rows all parse");
        }
    }

    @Test
    void realTimeWaitRowsStayAfterTheSocketsClose() throws Exception {
        KnownSockets known = KnownSockets.ipv4(0, 0, 3);
        known.close();
        try (ProcNetTcpSource source = new ProcNetTcpSource(StateSources.DEFAULT_PROC_ROOT)) {
            StateCounts got = source.count(known.filter().withStates(EnumSet.of(TcpState.TIME_WAIT)));
            assertEquals(3, got.get(TcpState.TIME_WAIT));
            assertEquals(3, got.total(), "only TIME_WAIT asked for: " + got);
        }
    }

    @Test
    void oneSourceKeptOpenSeesTheTableAsItIsAtEachCount() throws Exception {
        // The source keeps tcp and tcp6 open and reads them again from offset 0: each count must be
        // the kernel's table at that moment, not the first read's.
        try (ProcNetTcpSource source = new ProcNetTcpSource(StateSources.DEFAULT_PROC_ROOT)) {
            source.count(SocketFilter.ALL); // opens the files, before these sockets exist
            KnownSockets known = KnownSockets.ipv4(2, 0, 3);
            SocketFilter own = known.filter();
            try {
                assertEquals(known.expected(), known.settle(source));
            } finally {
                known.close();
            }
            // Closed, the two ESTABLISHED pairs are gone at once (their closes add TIME_WAIT of their own).
            StateCounts after = source.count(own);
            assertEquals(0, after.get(TcpState.ESTABLISHED), after::toString);
            assertEquals(0, after.get(TcpState.LISTEN), after::toString);
            assertTrue(after.get(TcpState.TIME_WAIT) >= 3, after::toString);
        }
    }

    private static final String V4_HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    private static final String V4_ROW =
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 6719 1 ffff8f3a1b2c573f 100 0 0 10 0\n";

    private static Path rootWithTcp(Path dir, byte[] tcp) throws IOException {
        Files.createDirectories(dir.resolve("net"));
        Files.write(dir.resolve("net").resolve("tcp"), tcp);
        return dir;
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new java.util.Random(11).nextBytes(b);
        return b;
    }

    @Test
    void garbageRandomBytesAndAnEmptyFileAreNotATcpTable(@TempDir Path dir) throws IOException {
        byte[][] nonsense = {
            "hello\nthis is not a table\n".getBytes(),
            randomBytes(200 * 1024),
            new byte[0],
            (V4_HEADER.replace("sl", "xx")).getBytes(),
        };
        for (int i = 0; i < nonsense.length; i++) {
            Path root = rootWithTcp(dir.resolve("case" + i), nonsense[i]);
            try (ProcNetTcpSource source = new ProcNetTcpSource(root)) {
                NotATcpTableException e = assertThrows(NotATcpTableException.class, () -> source.count(SocketFilter.ALL), "case " + i);
                assertTrue(e.getMessage().contains("is not a TCP table"), e.getMessage());
            }
        }
    }

    @Test
    void aHeaderWithRowsNoneOfWhichParseIsNotATcpTable(@TempDir Path dir) throws IOException {
        Path root = rootWithTcp(dir, (V4_HEADER + "junk\nmore junk\n   1: nope\n").getBytes());
        try (ProcNetTcpSource source = new ProcNetTcpSource(root)) {
            NotATcpTableException e = assertThrows(NotATcpTableException.class, () -> source.count(SocketFilter.ALL));
            assertTrue(e.getMessage().contains("none of its 3 rows"), e.getMessage());
        }
    }

    @Test
    void anEmptyTableWithItsHeaderIsNoSockets(@TempDir Path dir) throws IOException {
        try (ProcNetTcpSource source = new ProcNetTcpSource(rootWithTcp(dir, V4_HEADER.getBytes()))) {
            assertEquals(StateCounts.EMPTY, source.count(SocketFilter.ALL));
            assertEquals(0, source.malformedLines());
        }
    }

    @Test
    void aGarbageTcp6BesideAGoodTcpIsRefusedToo(@TempDir Path dir) throws IOException {
        Path root = rootWithTcp(dir, (V4_HEADER + V4_ROW).getBytes());
        Files.write(root.resolve("net").resolve("tcp6"), randomBytes(4096));
        try (ProcNetTcpSource source = new ProcNetTcpSource(root)) {
            NotATcpTableException e = assertThrows(NotATcpTableException.class, () -> source.count(SocketFilter.ALL));
            assertTrue(e.getMessage().contains("tcp6"), e.getMessage());
        }
    }
}
