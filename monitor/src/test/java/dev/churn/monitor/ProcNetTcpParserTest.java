package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcNetTcpParserTest {

    private static final String V4_ROW =
            "   2: 0100007F:1F90 0100007F:D253 01 00000000:00000000 00:00000000 00000000     0        0 6721 1 0000000000000000 20 4 30 10 -1";
    private static final String V6_ROW =
            "   2: 00000000000000000000000001000000:E002 00000000000000000000000001000000:1F90 06 00000000:00000000 03:00001764 00000000     0        0 0 3 0000000000000000";

    private static long parse(String row, int digits) {
        byte[] b = row.getBytes(StandardCharsets.US_ASCII);
        return ProcNetTcpParser.parseRow(b, 0, b.length, digits);
    }

    @Test
    void aRowGivesItsStateAndBothPorts() {
        assertEquals(0x01L << 32 | 0x1F90L << 16 | 0xD253L, parse(V4_ROW, ProcNetTcpParser.IPV4_DIGITS));
        assertEquals(0x06L << 32 | 0xE002L << 16 | 0x1F90L, parse(V6_ROW, ProcNetTcpParser.IPV6_DIGITS));
    }

    @Test
    void lowerCaseHexAndWideSlotNumbersParse() {
        assertEquals(0x0AL << 32 | 0xFFFFL << 16, parse("123456: 0100007f:ffff 00000000:0000 0a 00000000:00000000", 8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "   ",
        "   2:",
        "   2: 0100007F:1F90 0100007F:D253",
        "   2: 0100007F:1F90 0100007F:D253 01",
        "   2: 0100007F:1F90 0100007F:D253 01 ",
        "   2: 0100007F:1F90 0100007F:D253 1 00000000:00000000",
        "   2: 0100007F:1F90 0100007F:D253 0G 00000000:00000000",
        "   2: 0100007F:1F90 0100007F:D253 0D 00000000:00000000",
        "   2: 0100007F:1F9 0100007F:D253 01 00000000:00000000",
        "   2: 0100007F:1F90  0100007F:D253 01 00000000:00000000",
        "   2: 0100007F-1F90 0100007F:D253 01 00000000:00000000",
        "   2: 100007F:1F90 0100007F:D253 01 00000000:00000000",
        "   x: 0100007F:1F90 0100007F:D253 01 00000000:00000000",
        "   2 0100007F:1F90 0100007F:D253 01 00000000:00000000",
        "0100007F:1F90 0100007F:D253 01 00000000:00000000",
    })
    void rowsOfTheWrongShapeAreMalformed(String row) {
        assertEquals(ProcNetTcpParser.MALFORMED, parse(row, ProcNetTcpParser.IPV4_DIGITS));
    }

    @Test
    void anIpv4RowIsMalformedInTcp6AndTheOtherWayRound() {
        assertEquals(ProcNetTcpParser.MALFORMED, parse(V4_ROW, ProcNetTcpParser.IPV6_DIGITS));
        assertEquals(ProcNetTcpParser.MALFORMED, parse(V6_ROW, ProcNetTcpParser.IPV4_DIGITS));
    }

    @Test
    void theNewlineSearchFindsTheFirstNewlineAtEveryOffsetAndWordPosition() {
        for (int len = 0; len < 40; len++) {
            for (int at = -1; at < len; at++) {
                byte[] b = new byte[len];
                java.util.Arrays.fill(b, (byte) ('\n' + 1)); // neighbours of '\n' must not match
                if (at >= 0) {
                    b[at] = '\n';
                    if (at + 3 < len) {
                        b[at + 3] = '\n';
                    }
                }
                for (int from = 0; from <= len; from++) {
                    int want = at >= from ? at : (at >= 0 && at + 3 >= from && at + 3 < len ? at + 3 : -1);
                    assertEquals(want, ProcNetTcpParser.indexOfNewline(b, from, len), "len " + len + " at " + at + " from " + from);
                }
            }
        }
    }

    @Test
    void bytesWithTheHighBitSetAreNotNewlines() {
        byte[] b = new byte[24];
        java.util.Arrays.fill(b, (byte) 0x8A); // '\n' | 0x80
        b[17] = '\n';
        assertEquals(17, ProcNetTcpParser.indexOfNewline(b, 0, b.length));
    }

    @Test
    void countSkipsTheHeaderAndFiltersByStateMask() {
        byte[] text = ("  sl  local_address header\n" + V4_ROW + "\n" + V4_ROW.replace(" 01 ", " 06 ")).getBytes(StandardCharsets.US_ASCII);
        StateCounts.Builder all = new StateCounts.Builder();
        assertEquals(0, ProcNetTcpParser.count(text, text.length, 8, new int[0], TcpState.allMask(), ProcNetTcpParser.COUNT_V4, all));
        assertEquals(new StateCounts.Builder().add(TcpState.ESTABLISHED).add(TcpState.TIME_WAIT).build(), all.build());

        StateCounts.Builder timeWait = new StateCounts.Builder();
        ProcNetTcpParser.count(text, text.length, 8, new int[] {0xD253}, TcpState.TIME_WAIT.mask(), ProcNetTcpParser.COUNT_V4, timeWait);
        assertEquals(new StateCounts.Builder().add(TcpState.TIME_WAIT).build(), timeWait.build());

        byte[] headerOnly = "  sl  local_address".getBytes(StandardCharsets.US_ASCII);
        StateCounts.Builder none = new StateCounts.Builder();
        assertEquals(0, ProcNetTcpParser.count(headerOnly, headerOnly.length, 8, new int[0], TcpState.allMask(), ProcNetTcpParser.COUNT_V4, none));
        assertEquals(StateCounts.EMPTY, none.build());
    }
}
