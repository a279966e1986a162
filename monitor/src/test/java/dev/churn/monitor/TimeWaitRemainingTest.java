package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The TIME_WAIT histogram's buckets and the CLOSE_WAIT ages' oldest and median, on made-up rows. */
class TimeWaitRemainingTest {

    private static final EphemeralPorts RANGE = new EphemeralPorts(32768, 60999, new java.util.BitSet(), 2);

    private static final InetAddress LO = InetAddress.getLoopbackAddress();

    @Test
    void bucketsAreTenSecondsWideHoldTheirUpperBoundAndSixtyPlusGoesBeyond() {
        assertEquals(0, TimeWaitRemaining.bucketOf(0));
        assertEquals(0, TimeWaitRemaining.bucketOf(10_000));
        assertEquals(1, TimeWaitRemaining.bucketOf(10_001));
        assertEquals(5, TimeWaitRemaining.bucketOf(55_000));
        assertEquals(5, TimeWaitRemaining.bucketOf(60_000), "a TIME_WAIT fresh this jiffy");
        assertEquals(6, TimeWaitRemaining.bucketOf(60_010), "a kernel with a longer timewait length");
        assertEquals(List.of("0-10s", "10-20s", "20-30s", "30-40s", "40-50s", "50-60s", "over60s"),
                java.util.stream.IntStream.range(0, TimeWaitRemaining.buckets()).mapToObj(TimeWaitRemaining::label).toList());
    }

    @Test
    void onlyTimeWaitRowsWithATimerCount() {
        List<SocketRow> rows = List.of(
                row(TcpState.TIME_WAIT, -1, 59_000), row(TcpState.TIME_WAIT, -1, 3_000), row(TcpState.TIME_WAIT, -1, -1),
                row(TcpState.FIN_WAIT2, -1, 59_000), row(TcpState.CLOSE_WAIT, 5_000, -1));
        TimeWaitRemaining t = TimeWaitRemaining.of(rows);
        assertEquals(1, t.count(5));
        assertEquals(1, t.count(0));
        assertEquals(2, t.total(), "an orphaned FIN_WAIT2's timer and a TIME_WAIT without one are left out");
    }

    @Test
    void groupsGetTheOldestAndMedianIdleAgeOfTheirCloseWaitOnly() {
        List<SocketRow> rows = new ArrayList<>();
        for (long idle : new long[] {400, 100, 300, 200}) {
            rows.add(row(TcpState.CLOSE_WAIT, idle, -1));
        }
        rows.add(row(TcpState.ESTABLISHED, 9_999, -1)); // not CLOSE_WAIT: not an idle age of the group
        rows.add(row(TcpState.CLOSE_WAIT, -1, -1)); // unknown: left out
        SocketGrouper grouper = new SocketGrouper(List.of(GroupKey.PEER), 20);
        List<SocketGroup> groups = grouper.group(rows, SampleRows.listening(rows), RANGE, null);
        assertEquals(1, groups.size(), groups.toString());
        assertEquals(new IdleAges(400, 250), groups.getFirst().closeWaitIdle(), "median of four: the mean of the middle two");
        assertEquals(new IdleAges(7, 7), IdleAges.of(new long[] {7}, 1));
        assertEquals(new IdleAges(9, 5), IdleAges.of(new long[] {9, 1, 5}, 3));
        assertNull(IdleAges.of(new long[0], 0));
        List<SocketGroup> none = grouper.group(List.of(row(TcpState.CLOSE_WAIT, -1, -1)), new java.util.BitSet(), RANGE, null);
        assertNull(none.getFirst().closeWaitIdle(), "a source without idle ages");
    }

    @Test
    void theOtherGroupGetsTheAgesOfEveryGroupItSums() {
        List<SocketRow> rows = new ArrayList<>();
        rows.add(new SocketRow(TcpState.CLOSE_WAIT, LO, 40001, LO, 80, 1, 100, -1));
        rows.add(new SocketRow(TcpState.CLOSE_WAIT, LO, 40001, LO, 80, 2, 100, -1));
        rows.add(new SocketRow(TcpState.CLOSE_WAIT, LO, 40002, LO, 80, 3, 5_000, -1));
        rows.add(new SocketRow(TcpState.CLOSE_WAIT, LO, 40003, LO, 80, 4, 7_000, -1));
        List<SocketGroup> groups = new SocketGrouper(List.of(GroupKey.PORT), 1).group(rows, SampleRows.listening(rows), RANGE, null);
        assertEquals(new IdleAges(100, 100), groups.get(0).closeWaitIdle(), groups.toString());
        assertEquals(SocketGroup.OTHER, groups.get(1).key());
        assertEquals(new IdleAges(7_000, 6_000), groups.get(1).closeWaitIdle());
    }

    private static SocketRow row(TcpState state, long idle, long timer) {
        return new SocketRow(state, LO, 40000, LO, 8080, 1, idle, timer);
    }
}
