package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.monitor.AddressFamily;
import dev.churn.monitor.Sample;
import dev.churn.monitor.SocketFilter;
import dev.churn.monitor.Sockstat;
import dev.churn.monitor.SourceKind;
import dev.churn.monitor.StateCounts;
import dev.churn.monitor.TcpState;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateTableViewTest {

    private static final StateTableView VIEW = new StateTableView(SourceKind.NETLINK,
            SocketFilter.ports(8080, 9090).withFamily(AddressFamily.IPV4), Duration.ofMillis(500), ZoneOffset.UTC);

    private static Sample sample(int i, long timeWait, long closeWait) {
        StateCounts c = new StateCounts.Builder()
                .add(TcpState.ESTABLISHED, 4).add(TcpState.LISTEN, 1)
                .add(TcpState.TIME_WAIT, timeWait).add(TcpState.CLOSE_WAIT, closeWait).build();
        return new Sample(1_700_000_000_000L + i * 500L, i * 500_000_000L, c, new Sockstat(30, 0, 77, 31, 3), 42);
    }

    private static List<Sample> history(int n) {
        List<Sample> h = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            h.add(sample(i, 10L * i, i % 2));
        }
        return h;
    }

    @Test
    void blockShowsEveryStateWithCountsPeaksRateAndSparklines() {
        List<Sample> h = history(8);
        Sample now = h.getLast();
        StateCounts peaks = now.states().max(sample(0, 0, 9).states());
        String block = VIEW.render(now, h, peaks, 0, false);
        for (TcpState s : TcpState.values()) {
            assertTrue(block.contains(s.name()), s.name());
        }
        assertTrue(block.startsWith("churn monitor · source netlink · ports 8080, 9090 · family ipv4 · every 500ms\n"), block);
        assertTrue(block.contains("22:13:23.500  t+3.5s  sample cost 42 µs"), block);
        assertTrue(block.contains(String.format("%-12s %10d %10d", "TIME_WAIT", 70, 70)), block);
        assertTrue(block.contains(String.format("%-12s %10d %10d", "CLOSE_WAIT", 1, 9)), block);
        assertTrue(block.contains(String.format("%-12s %10d %10d", "SYN_SENT", 0, 0)), block);
        // TIME_WAIT rises 10 per 500 ms sample: +20/s over the last second.
        assertTrue(block.contains("TIME_WAIT    +20.0/s    ▁▂▃▄▅▆▇█  (last 60s, max 70)"), block);
        assertTrue(block.contains("CLOSE_WAIT              ▁█▁█▁█▁█  (last 60s, max 1)"), block);
        assertTrue(block.contains("sockstat     tw 77  inuse 30  orphan 0"), block);
        assertFalse(block.contains("\u001b"), "no ANSI without a terminal");
    }

    @Test
    void aCostlySampleReadsInMilliseconds() {
        // OSHI's samples cost 15-25 ms here: "25505 µs" made the reader count digits.
        Sample slow = new Sample(1_700_000_000_000L, 0, StateCounts.EMPTY, new Sockstat(0, 0, 0, 0, 0), 25_505);
        String block = VIEW.render(slow, List.of(slow), StateCounts.EMPTY, 0, false);
        assertTrue(block.contains("sample cost 26 ms"), block);
    }

    @Test
    void ansiBlockBoldsOnlyNonZeroStatesAndRedrawsInPlace() {
        List<Sample> h = history(3);
        String block = VIEW.render(h.getLast(), h, h.getLast().states(), 2, true);
        assertTrue(block.contains("\u001b[1m" + String.format("%-12s %10d %10d", "ESTABLISHED", 4, 4) + "\u001b[0m"));
        assertTrue(block.contains("\n" + String.format("%-12s %10d %10d", "SYN_SENT", 0, 0) + "\n"));
        assertTrue(block.contains("failed samples 2"));
        String frame = StateTableView.redrawInPlace(block);
        assertTrue(frame.startsWith("\u001b[H") && frame.endsWith("\u001b[J"));
        assertEquals(block.lines().count(), frame.split("\u001b\\[K\n", -1).length - 1);
    }

    @Test
    void plainLineListsAllElevenStatesAndTheRate() {
        List<Sample> h = history(3);
        assertEquals("22:13:21.000 ESTABLISHED=4 SYN_SENT=0 SYN_RECV=0 FIN_WAIT1=0 FIN_WAIT2=0 TIME_WAIT=20 CLOSE=0 "
                + "CLOSE_WAIT=0 LAST_ACK=0 LISTEN=1 CLOSING=0 tw_rate=+20.0/s sockstat_tw=77 sample_us=42",
                VIEW.renderLine(h.getLast(), h));
        assertEquals("22:13:20.000 ESTABLISHED=4 SYN_SENT=0 SYN_RECV=0 FIN_WAIT1=0 FIN_WAIT2=0 TIME_WAIT=0 CLOSE=0 "
                + "CLOSE_WAIT=0 LAST_ACK=0 LISTEN=1 CLOSING=0 tw_rate=- sockstat_tw=77 sample_us=42",
                VIEW.renderLine(h.getFirst(), h.subList(0, 1)));
    }

    /** At --interval 1s a sample a second before, taken a little late, is the one the rate is taken against. */
    @Test
    void theRateIsTheLastSecondsEvenWhenTheSampleBeforeCameLate() {
        StateTableView perSecond = new StateTableView(SourceKind.NETLINK, SocketFilter.ALL, Duration.ofSeconds(1), ZoneOffset.UTC);
        Sockstat st = new Sockstat(0, 0, 0, 0, 0);
        List<Sample> h = List.of(
                new Sample(0, 0, new StateCounts.Builder().build(), st, 1),
                new Sample(1_000, 1_000_020_000L, new StateCounts.Builder().build(), st, 1),
                new Sample(2_000, 2_000_000_000L, new StateCounts.Builder().add(TcpState.TIME_WAIT, 10_691).build(), st, 1));
        assertTrue(perSecond.renderLine(h.getLast(), h).contains(" tw_rate=+10691.2/s "), perSecond.renderLine(h.getLast(), h));
    }

    /** The TIME_WAIT entered per second (the kernel's TW counter) is shown beside the net rate when read. */
    @Test
    void timeWaitEnteredIsShownWhenRead() {
        List<Sample> h = history(3);
        assertTrue(VIEW.renderLine(h.getLast(), h, 32_384).endsWith(" sample_us=42 tw_entered=32384.0/s"));
        assertFalse(VIEW.renderLine(h.getLast(), h, Double.NaN).contains("tw_entered"));
        String block = VIEW.render(h.getLast(), h, h.getLast().states(), 0, false, 32_384);
        assertTrue(block.contains("tw entered   32,384/s   (the kernel's TW counter, whole namespace; TIME_WAIT's is net)"),
                block);
        String killed = VIEW.render(h.getLast(), h, h.getLast().states(), 0, false, 300, true);
        assertTrue(killed.contains("tw entered   300/s      (the kernel's TW + TWKilled counters, whole namespace;"), killed);
    }

    @Test
    void allPortsIsSaidInTheTitle() {
        assertEquals("all ports · family all", StateTableView.describe(SocketFilter.ALL));
        assertEquals("port 80 · family all", StateTableView.describe(SocketFilter.ports(80)));
    }
}
