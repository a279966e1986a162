package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-socket path of the proc parser, on fixture rows as the kernel prints them. */
class ProcNetTcpRowsTest {

    private static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    // 127.0.0.1:8080 <- 127.0.0.1:53843, CLOSE_WAIT, inode 4711; then a TIME_WAIT with inode 0
    private static final String V4 = HEADER
            + "   0: 0100007F:1F90 0100007F:D253 08 00000000:00000001 00:00000000 00000000     0        0 4711 1 0000000000000000 20 4 0 10 -1\n"
            + "   1: 0100007F:D254 0100007F:1F90 06 00000000:00000000 03:00000D3A 00000000     0        0 0 3 0000000000000000\n"
            + "   2: 0100007F:1F91 0100007F:D255 01 00000000:00000000 00:00000000 00000000     0        0\n";
    // ::ffff:127.0.0.1:8080 -> ::ffff:127.0.0.1:57346 ESTABLISHED, and ::1:8080 LISTEN
    private static final String V6 = HEADER.replace("rem_address", "remote_address")
            + "   0: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:E002 01 00000000:00000000 00:00000000 00000000  1000        0 99 1 0\n"
            + "   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 100 1 0\n";

    @Test
    void ipv4RowsCarryBothEndsAndTheInodeAndARowWithoutAnInodeIsMalformed() throws Exception {
        // The fixture's words are little-endian host order, as an x86 kernel prints them.
        org.junit.jupiter.api.Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "fixtures are little-endian");
        List<SocketRow> rows = new ArrayList<>();
        int[] tally = new int[2];
        StateCounts.Builder visited = new StateCounts.Builder();
        byte[] text = V4.getBytes(StandardCharsets.US_ASCII);
        ProcNetTcpParser.visit(text, text.length, ProcNetTcpParser.IPV4_DIGITS, new int[0], TcpState.allMask(),
                ProcNetTcpParser.COUNT_V4, visited, tally, rows::add);
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        assertEquals(List.of(
                new SocketRow(TcpState.CLOSE_WAIT, lo, 8080, lo, 53843, 4711),
                new SocketRow(TcpState.TIME_WAIT, lo, 53844, lo, 8080, 0, -1, 0xD3AL * 10)), rows);
        assertEquals(2, tally[ProcNetTcpParser.GOOD_ROWS]);
        assertEquals(1, tally[ProcNetTcpParser.MALFORMED_ROWS], "the row cut before its inode");
        assertEquals(1, visited.build().get(TcpState.CLOSE_WAIT));
    }

    @Test
    void ipv6RowsDecodeMappedAddressesAsIpv4AndFilterByPortAndFamily() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "fixtures are little-endian");
        byte[] text = V6.getBytes(StandardCharsets.US_ASCII);
        List<SocketRow> rows = new ArrayList<>();
        ProcNetTcpParser.visit(text, text.length, ProcNetTcpParser.IPV6_DIGITS, new int[] {8080}, TcpState.allMask(),
                ProcNetTcpParser.COUNT_V4 | ProcNetTcpParser.COUNT_V6, new StateCounts.Builder(), new int[2], rows::add);
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        assertEquals(new SocketRow(TcpState.ESTABLISHED, lo, 8080, lo, 57346, 99), rows.get(0));
        assertEquals(new SocketRow(TcpState.LISTEN, InetAddress.getByName("::1"), 8080, InetAddress.getByName("::"), 0, 100),
                rows.get(1));
        rows.clear();
        ProcNetTcpParser.visit(text, text.length, ProcNetTcpParser.IPV6_DIGITS, new int[] {9999}, TcpState.allMask(),
                ProcNetTcpParser.COUNT_V4 | ProcNetTcpParser.COUNT_V6, new StateCounts.Builder(), new int[2], rows::add);
        assertEquals(List.of(), rows, "port filter");
    }

    @Test
    void theTimewaitTimerIsTheWhenColumnInHundredthsOfASecondOnlyForTimerThree() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "fixtures are little-endian");
        // get_timewait4_sock: "03:" and the time left in USER_HZ ticks (hex); 0x1770 = 6000 ticks = 60 s.
        // A retransmit timer (01) on an ESTABLISHED row and a keepalive (02) are not timewait ages.
        String text = HEADER
                + "   0: 0100007F:D254 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000\n"
                + "   1: 0100007F:D256 0100007F:1F90 06 00000000:00000000 03:00000000 00000000     0        0 0 3 0000000000000000\n"
                + "   2: 0100007F:D258 0100007F:1F90 05 00000000:00000000 03:00000BB8 00000000     0        0 0 3 0000000000000000\n"
                + "   3: 0100007F:1F90 0100007F:D253 01 00000000:00000001 01:00000014 00000000     0        0 4711 1 0000000000000000 20 4 0 10 -1\n"
                + "   4: 0100007F:1F90 0100007F:D255 01 00000000:00000000 02:0000AFC8 00000000     0        0 4712 1 0000000000000000 20 4 0 10 -1\n";
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        List<SocketRow> rows = new ArrayList<>();
        ProcNetTcpParser.visit(bytes, bytes.length, ProcNetTcpParser.IPV4_DIGITS, new int[0], TcpState.allMask(),
                ProcNetTcpParser.COUNT_V4, new StateCounts.Builder(), new int[2], rows::add);
        assertEquals(List.of(60_000L, 0L, 30_000L, -1L, -1L), rows.stream().map(SocketRow::timerMillis).toList());
        assertEquals(List.of(-1L, -1L, -1L, -1L, -1L), rows.stream().map(SocketRow::idleMillis).toList(), "/proc has no idle age");
        assertEquals(List.of(0L, 0L, 0L, 4711L, 4712L), rows.stream().map(SocketRow::inode).toList(), "the inode still parses");
    }

    @Test
    void aTimerFieldThatIsNotHexGivesNoTimer() {
        for (String field : new String[] {"03:", "03:00001G70", "3:00001770", "03-00001770", "03:11112222333344445"}) {
            byte[] text = (field + " 00000000").getBytes(StandardCharsets.US_ASCII);
            assertEquals(-1, ProcNetTcpParser.timewaitMillis(text, 0, text.length), field);
        }
        byte[] wide = "03:0000000000001770 0".getBytes(StandardCharsets.US_ASCII);
        assertEquals(60_000, ProcNetTcpParser.timewaitMillis(wide, 0, wide.length), "%08lX may print more digits");
    }

    @Test
    void aRowWithoutItsInodeGivesNoSocketRow() {
        String row = "   2: 0100007F:1F91 0100007F:D255 01 00000000:00000000 00:00000000 00000000     0        0";
        byte[] text = row.getBytes(StandardCharsets.US_ASCII);
        long parsed = ProcNetTcpParser.parseRow(text, 0, text.length, ProcNetTcpParser.IPV4_DIGITS);
        assertNull(ProcNetTcpParser.socketRow(text, 0, text.length, ProcNetTcpParser.IPV4_DIGITS, parsed));
    }
}
