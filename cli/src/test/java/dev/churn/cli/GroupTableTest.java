package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.monitor.GroupKey;
import dev.churn.monitor.IdleAges;
import dev.churn.monitor.SocketGroup;
import dev.churn.monitor.StateCounts;
import dev.churn.monitor.TcpState;
import dev.churn.monitor.TimeWaitRemaining;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The --by table's idle-age column and TIME_WAIT line, on made-up groups (layout only). */
class GroupTableTest {

    @Test
    void idleColumnOnlyWithCloseWaitAndTheHistogramLineOnlyWithTimeWait() throws Exception {
        StateCounts cw = new StateCounts.Builder().add(TcpState.CLOSE_WAIT, 3).build();
        StateCounts est = new StateCounts.Builder().add(TcpState.ESTABLISHED, 2).build();
        List<SocketGroup> groups = List.of(
                new SocketGroup("41 leaky", 41L, "leaky", null, null, null, null, cw, new IdleAges(754_000, 42_500)),
                new SocketGroup("42 proc-only", 42L, "proc-only", null, null, null, null, cw),
                new SocketGroup("43 busy", 43L, "busy", null, null, null, null, est));
        StateCounts all = new StateCounts.Builder().add(TcpState.CLOSE_WAIT, 6).add(TcpState.ESTABLISHED, 2).build();
        assertEquals("""

                by process (top 20)  ESTABLISHED  CLOSE_WAIT  TOTAL  CW idle oldest/median
                41 leaky                       0           3      3           12m34s/42.5s
                42 proc-only                   0           3      3                      ?
                43 busy                        2           0      2                      -
                all                            2           6      8
                """, GroupTable.render(List.of(GroupKey.PROCESS), 20, groups, all, TimeWaitRemaining.EMPTY));

        InetAddress lo = InetAddress.getLoopbackAddress();
        TimeWaitRemaining tw = TimeWaitRemaining.of(List.of(
                new dev.churn.monitor.SocketRow(TcpState.TIME_WAIT, lo, 40000, lo, 80, 0, -1, 59_000),
                new dev.churn.monitor.SocketRow(TcpState.TIME_WAIT, lo, 40001, lo, 80, 0, -1, 90_000)));
        StateCounts two = new StateCounts.Builder().add(TcpState.TIME_WAIT, 2).build();
        assertEquals("""

                by side (top 20)  TIME_WAIT  TOTAL
                client                    2      2
                all                       2      2
                TIME_WAIT left   0-10s 0  10-20s 0  20-30s 0  30-40s 0  40-50s 0  50-60s 1  over60s 1
                """, GroupTable.render(List.of(GroupKey.SIDE), 20,
                List.of(new SocketGroup("client", null, null, null, null, null, null, two)), two, tw));
    }

    /** A process names itself: a local user's ESC sequences reached root's terminal raw (QA, 2026-12-06). */
    @Test
    void aProcessNameIsPrintedWithItsControlCharactersEscaped() {
        StateCounts est = new StateCounts.Builder().add(TcpState.ESTABLISHED, 1).build();
        String comm = "\u001b[2J\u001b]0;PWN\u0007,\"";
        String table = GroupTable.render(List.of(GroupKey.PROCESS), 20,
                List.of(new SocketGroup("44 " + comm, 44L, comm, null, null, null, null, est)), est, TimeWaitRemaining.EMPTY);
        assertEquals(-1, table.indexOf('\u001b'), table);
        assertTrue(table.contains("44 \\x1b[2J\\x1b]0;PWN\\x07,\"  "), table);
    }

    @Test
    void agesAreShort() {
        assertEquals("850ms", GroupTable.duration(850));
        assertEquals("1.2s", GroupTable.duration(1_234));
        assertEquals("14m05s", GroupTable.duration(845_900));
        assertEquals("3h12m", GroupTable.duration(11_520_000 + 59_000));
    }
}
