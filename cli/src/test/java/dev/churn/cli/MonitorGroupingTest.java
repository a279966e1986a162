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
            // no CLOSE_WAIT, so no idle ages; no TIME_WAIT, so seven zero buckets
            assertTrue(lines.get(1).matches("\\d+,\"server\",,,,server,,,2,0,0,0,0,0,0,0,0,1,0,3,,,0,0,0,0,0,0,0"), lines.get(1));
            assertTrue(lines.get(2).matches("\\d+,\"client\",,,,client,,,2,0,0,0,0,0,0,0,0,0,0,2,,,0,0,0,0,0,0,0"), lines.get(2));
            CliRun table = churn("monitor", "--once", "--by", "side", "--top", "1", "--port", port);
            assertEquals(ExitCodes.OK, table.code(), table.err());
            assertTrue(table.out().contains("by side (top 1)  ESTABLISHED  LISTEN  TOTAL\n"
                    + "server                     2       1      3\n"
                    + "other                      2       0      2\n"
                    + "all                        4       1      5\n"), table.out());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"netlink", "proc"})
    void closeWaitIdleAgesAndTheTimeWaitHistogramInJsonCsvAndTable(String source) throws Exception {
        long start = System.nanoTime();
        // two half-closed pairs: our accepted ends in CLOSE_WAIT (server side); three client-side TIME_WAIT
        try (KnownSockets known = KnownSockets.ipv4(0, 2, 3)) {
            settle(known);
            String port = Integer.toString(known.port());
            boolean netlink = source.equals("netlink");

            CliRun json = churn("monitor", "--once", "--format", "json", "--by", "side", "--source", source, "--port", port);
            assertEquals(ExitCodes.OK, json.code(), json.err());
            long upTo = (System.nanoTime() - start) / 1_000_000;
            String line = json.out().strip();
            String server = group(line, "\"key\": \"server\"");
            Matcher idle = Pattern.compile("\"closeWaitIdleMs\": \\{\"oldest\": (\\d+), \"median\": (\\d+)}").matcher(line);
            if (netlink) {
                assertTrue(idle.find(), "the server group has CLOSE_WAIT ages: " + line);
                long oldest = Long.parseLong(idle.group(1));
                long median = Long.parseLong(idle.group(2));
                assertTrue(median <= oldest && oldest <= upTo + 20, oldest + "/" + median + " ms, within the test's " + upTo + " ms");
                assertTrue(line.indexOf("\"closeWaitIdleMs\"") > line.indexOf(server), "after the server group's states");
                assertEquals(1, count(line, "closeWaitIdleMs"), "only the group with CLOSE_WAIT: " + line);
            } else {
                assertTrue(!idle.find(), "/proc has no idle ages, so no field: " + line);
            }
            assertTrue(line.endsWith(", \"timeWaitRemaining\": {\"0-10s\": 0, \"10-20s\": 0, \"20-30s\": 0, "
                    + "\"30-40s\": 0, \"40-50s\": 0, \"50-60s\": 3, \"over60s\": 0}}"), line);

            CliRun csv = churn("monitor", "--once", "--format", "csv", "--by", "side", "--source", source, "--port", port);
            assertEquals(ExitCodes.OK, csv.code(), csv.err());
            List<String> lines = csv.out().lines().toList();
            assertTrue(lines.getFirst().endsWith(",total,cw_idle_oldest_ms,cw_idle_median_ms,tw_left_0_10s,tw_left_10_20s,"
                    + "tw_left_20_30s,tw_left_30_40s,tw_left_40_50s,tw_left_50_60s,tw_left_over_60s"), lines.getFirst());
            String serverRow = lines.stream().filter(l -> l.contains(",\"server\",")).findFirst().orElseThrow();
            String clientRow = lines.stream().filter(l -> l.contains(",\"client\",")).findFirst().orElseThrow();
            assertTrue(serverRow.matches(netlink ? ".*,3,\\d+,\\d+,0,0,0,0,0,3,0" : ".*,3,,,0,0,0,0,0,3,0"), serverRow);
            assertTrue(clientRow.matches(".*,5,,,0,0,0,0,0,3,0"), "the histogram on every row of the sample: " + clientRow);

            CliRun table = churn("monitor", "--once", "--by", "side", "--source", source, "--port", port);
            assertEquals(ExitCodes.OK, table.code(), table.err());
            String t = table.out();
            assertTrue(t.contains("by side (top 20)  FIN_WAIT2  TIME_WAIT  CLOSE_WAIT  LISTEN  TOTAL  CW idle oldest/median\n"), t);
            assertTrue(Pattern.compile(netlink ? "\nserver .* \\d+(ms|\\.\\ds)/\\d+(ms|\\.\\ds)\n" : "\nserver .*  \\?\n")
                    .matcher(t).find(), t);
            assertTrue(Pattern.compile("\nclient .*  -\n").matcher(t).find(), "no CLOSE_WAIT on the client side: " + t);
            assertTrue(t.contains("\nTIME_WAIT left   0-10s 0  10-20s 0  20-30s 0  30-40s 0  40-50s 0  50-60s 3\n"), t);
        }
    }

    private static long count(String text, String word) {
        return Pattern.compile(Pattern.quote(word)).matcher(text).results().count();
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
