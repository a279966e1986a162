package dev.churn.cli;

import static dev.churn.cli.CliRun.churn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.monitor.KnownSockets;
import dev.churn.monitor.NetlinkSource;
import dev.churn.monitor.SocketGroupFormat;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.StateSources;
import dev.churn.monitor.TcpState;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code churn monitor --by}: the three formats on known sockets of this process. */
class MonitorGroupingTest {

    @BeforeAll
    static void netlink() {
        assumeTrue(NetlinkSource.isSupported(), "netlink sock_diag is not available here");
    }

    @ParameterizedTest
    @ValueSource(strings = {"netlink", "proc"})
    void jsonByProcessNamesUsAndTheUnownedWithTheirSide(String source) throws Exception {
        try (KnownSockets known = KnownSockets.ipv4(2, 1, 3)) {
            settle(known);
            CliRun r = churn("monitor", "--once", "--format", "json", "--by", "process", "--source", source,
                    "--port", Integer.toString(known.port()));
            assertEquals(ExitCodes.OK, r.code(), r.err());
            String json = r.out().strip();
            assertTrue(json.contains("\"by\": [\"process\"]"), json);
            assertTrue(json.contains("}}, {\"key\": "), "groups are spaced like the rest of the line: " + json);
            long me = ProcessHandle.current().pid();
            String mine = group(json, "\"key\": \"" + me + " java\", \"pid\": " + me + ", \"command\": \"java\"");
            assertEquals(1, count(mine, TcpState.LISTEN), mine);
            assertEquals(4, count(mine, TcpState.ESTABLISHED), mine);
            assertEquals(1, count(mine, TcpState.CLOSE_WAIT), mine);
            String tw = group(json, "\"key\": \"(no process: TIME_WAIT, client side)\", \"side\": \"client\"");
            assertEquals(3, count(tw, TcpState.TIME_WAIT), tw);
            String fw2 = group(json, "\"key\": \"(no process: FIN_WAIT2, client side)\", \"side\": \"client\"");
            assertEquals(1, count(fw2, TcpState.FIN_WAIT2), fw2);
        }
    }

    @Test
    void csvIsOneRowPerGroupAndTableRanksThemWithTotals() throws Exception {
        try (KnownSockets known = KnownSockets.ipv4(2, 0, 0)) {
            String port = Integer.toString(known.port());
            CliRun csv = churn("monitor", "--once", "--format", "csv", "--by", "side", "--port", port);
            assertEquals(ExitCodes.OK, csv.code(), csv.err());
            List<String> lines = csv.out().lines().toList();
            assertEquals(SocketGroupFormat.CSV_HEADER, lines.getFirst());
            assertEquals(3, lines.size(), csv.out());
            // server: the listener and two accepted; client: two connected
            assertTrue(lines.get(1).matches("\\d+,\"server\",,,,server,,,2,0,0,0,0,0,0,0,0,1,0,3"), lines.get(1));
            assertTrue(lines.get(2).matches("\\d+,\"client\",,,,client,,,2,0,0,0,0,0,0,0,0,0,0,2"), lines.get(2));
            CliRun table = churn("monitor", "--once", "--by", "side", "--top", "1", "--port", port);
            assertEquals(ExitCodes.OK, table.code(), table.err());
            assertTrue(table.out().contains("by side (top 1)  ESTABLISHED  LISTEN  TOTAL\n"
                    + "server                     2       1      3\n"
                    + "other                      2       0      2\n"
                    + "all                        4       1      5\n"), table.out());
        }
    }

    private static String group(String json, String start) {
        int at = json.indexOf("{" + start);
        assertTrue(at >= 0, start + " missing in " + json);
        return json.substring(at, json.indexOf('}', json.indexOf("\"states\"", at)) + 1);
    }

    private static long count(String json, TcpState s) {
        Matcher m = Pattern.compile("\"" + s.name() + "\": (\\d+)").matcher(json);
        assertTrue(m.find(), s + " missing in " + json);
        return Long.parseLong(m.group(1));
    }

    private static void settle(KnownSockets known) throws Exception {
        try (var source = StateSources.open(SourceKind.NETLINK)) {
            assertEquals(known.expected(), known.settle(source));
        }
    }
}
