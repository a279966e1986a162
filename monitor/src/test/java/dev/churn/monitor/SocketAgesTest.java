package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idle ages and TIME_WAIT timers on real sockets: CLOSE_WAIT left idle for a known time, fresh
 * TIME_WAIT, from netlink and /proc, against the wall clock and against {@code ss -tanoi}.
 */
class SocketAgesTest {

    private static final Path PROC = Path.of("/proc");
    private static final long IDLE_MILLIS = 1_200;
    private static final long BATCH_GAP_MILLIS = 400;
    /** Jiffies: the kernel's clock moves in steps of up to 10 ms (HZ 100). */
    private static final long JIFFY_SLACK_MILLIS = 20;

    @BeforeAll
    static void netlink() {
        assumeTrue(NetlinkSource.isSupported(), "netlink sock_diag is not available here");
    }

    @Test
    void closeWaitIdleAgesAreTheTimeSinceTheConnectionsWereSetUpOldestAndMedianAndAgreeWithSs() throws Exception {
        List<Socket> open = new ArrayList<>();
        try (ServerSocket listener = LoopbackSockets.listener();
                GroupingSource source = new GroupingSource(new NetlinkSource(), List.of(GroupKey.SIDE), 20, PROC)) {
            long start = System.nanoTime();
            // Two then three CLOSE_WAIT, BATCH_GAP apart: the oldest is from the first batch, the median from the second.
            leaveCloseWait(listener, 2, open);
            long firstDone = System.nanoTime();
            sleepUntil(firstDone + BATCH_GAP_MILLIS * 1_000_000);
            long secondStart = System.nanoTime();
            leaveCloseWait(listener, 3, open);
            long secondDone = System.nanoTime();
            sleepUntil(secondDone + IDLE_MILLIS * 1_000_000);

            SocketFilter filter = SocketFilter.ports(listener.getLocalPort());
            StateCounts counts = source.count(filter);
            long wall = millisSince(start);
            assertEquals(5, counts.get(TcpState.CLOSE_WAIT), counts.toString());
            SocketGroup client = source.lastGroups().stream().filter(g -> g.side() == Side.CLIENT).findFirst().orElseThrow();
            IdleAges ages = client.closeWaitIdle();
            assertNotNull(ages, "the client side's CLOSE_WAIT have idle ages: " + client);
            assertTrue(ages.oldestMillis() >= IDLE_MILLIS + BATCH_GAP_MILLIS - JIFFY_SLACK_MILLIS,
                    "oldest " + ages.oldestMillis() + " ms: the first batch idled at least " + (IDLE_MILLIS + BATCH_GAP_MILLIS) + " ms");
            assertTrue(ages.oldestMillis() <= wall + JIFFY_SLACK_MILLIS, "oldest " + ages.oldestMillis() + " ms within the test's " + wall + " ms");
            long secondAtMost = millisSince(secondStart);
            assertTrue(ages.medianMillis() >= IDLE_MILLIS - JIFFY_SLACK_MILLIS && ages.medianMillis() <= secondAtMost + JIFFY_SLACK_MILLIS,
                    "median " + ages.medianMillis() + " ms: a second-batch socket, idle " + IDLE_MILLIS + ".." + secondAtMost + " ms");
            assertTrue(ages.oldestMillis() - ages.medianMillis() >= BATCH_GAP_MILLIS - JIFFY_SLACK_MILLIS, ages.toString());
            SocketGroup server = source.lastGroups().stream().filter(g -> g.side() == Side.SERVER).findFirst().orElseThrow();
            assertNull(server.closeWaitIdle(), "no CLOSE_WAIT on the server side, so no ages: " + server);

            if (SsStates.available()) {
                Map<Integer, Long> ours = new HashMap<>();
                long before = System.nanoTime();
                try (NetlinkSource rows = new NetlinkSource()) {
                    rows.visit(filter, r -> {
                        if (r.state() == TcpState.CLOSE_WAIT) {
                            ours.put(r.localPort(), r.idleMillis());
                        }
                    });
                }
                List<SsStates.SsSocket> ss = SsStates.sockets(listener.getLocalPort());
                long between = millisSince(before);
                int compared = 0;
                for (SsStates.SsSocket s : ss) {
                    if (s.state() == TcpState.CLOSE_WAIT) {
                        long mine = ours.get(s.localPort());
                        assertTrue(s.lastRcvMillis() >= mine - JIFFY_SLACK_MILLIS && s.lastRcvMillis() <= mine + between + JIFFY_SLACK_MILLIS,
                                "port " + s.localPort() + ": ss lastrcv:" + s.lastRcvMillis() + ", netlink " + mine + " ms, " + between + " ms apart");
                        compared++;
                    }
                }
                assertEquals(5, compared, "ss lists the five CLOSE_WAIT: " + ss);
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void freshTimeWaitHasFiftyFiveToSixtySecondsLeftOnNetlinkProcAndSs() throws Exception {
        int n = 4;
        TimeWaitBudget budget = TimeWaitBudget.await(n + 5_000, java.time.Duration.ofSeconds(70));
        assumeTrue(budget.headroom() >= n + 5_000, () -> "the kernel's TIME_WAIT table is full (" + budget.inUse()
                + " of tcp_max_tw_buckets " + budget.max() + "): new timewait sockets would be destroyed at once");
        try (ServerSocket listener = LoopbackSockets.listener();
                GroupingSource source = new GroupingSource(new NetlinkSource(), List.of(GroupKey.PORT), 20, PROC)) {
            for (int i = 0; i < n; i++) {
                try (Socket c = LoopbackSockets.connect(listener); Socket s = listener.accept()) {
                    c.close(); // the client's FIN first: the client ends in TIME_WAIT
                    assertEquals(-1, s.getInputStream().read());
                }
            }
            SocketFilter filter = SocketFilter.ports(listener.getLocalPort());
            StateCounts counts = source.count(filter);
            assertEquals(n, counts.get(TcpState.TIME_WAIT), counts.toString());
            TimeWaitRemaining left = source.lastTimeWaitRemaining();
            assertEquals(n, left.count(5), "all in 50-60s: " + left);
            assertEquals(n, left.total(), left.toString());

            long before = System.nanoTime();
            Map<Integer, Long> netlink = timers(new NetlinkSource(), filter);
            Map<Integer, Long> proc = timers(new ProcNetTcpSource(PROC), filter);
            assertEquals(netlink.keySet(), proc.keySet(), "the same TIME_WAIT sockets");
            for (Map.Entry<Integer, Long> e : netlink.entrySet()) {
                long ms = e.getValue();
                assertTrue(ms >= 55_000 && ms <= 60_000, "port " + e.getKey() + ": " + ms + " ms left of a fresh TIME_WAIT");
                assertTrue(Math.abs(ms - proc.get(e.getKey())) <= 1_000,
                        "port " + e.getKey() + ": netlink " + ms + " ms, /proc " + proc.get(e.getKey()) + " ms");
            }
            if (SsStates.available()) {
                int compared = 0;
                List<SsStates.SsSocket> ss = SsStates.sockets(listener.getLocalPort());
                long between = millisSince(before);
                for (SsStates.SsSocket s : ss) {
                    if (s.state() == TcpState.TIME_WAIT) {
                        long ours = netlink.get(s.localPort());
                        // ss prints whole seconds above 10 s, cut, and runs up to `between` ms after our dump
                        assertTrue(s.timewaitMillis() <= ours + JIFFY_SLACK_MILLIS
                                        && s.timewaitMillis() >= ours - 1_000 - between - JIFFY_SLACK_MILLIS,
                                "port " + s.localPort() + ": ss timewait " + s.timewaitMillis() + " ms, netlink " + ours
                                        + " ms, " + between + " ms apart");
                        compared++;
                    }
                }
                assertEquals(n, compared, "ss lists the TIME_WAIT");
            }
        }
    }

    @Test
    void procGivesNoIdleAgesAndTheGroupSaysSo() throws Exception {
        List<Socket> open = new ArrayList<>();
        try (ServerSocket listener = LoopbackSockets.listener();
                GroupingSource source = new GroupingSource(new ProcNetTcpSource(PROC), List.of(GroupKey.SIDE), 20, PROC)) {
            leaveCloseWait(listener, 2, open);
            StateCounts counts = source.count(SocketFilter.ports(listener.getLocalPort()));
            assertEquals(2, counts.get(TcpState.CLOSE_WAIT), counts.toString());
            SocketGroup client = source.lastGroups().stream().filter(g -> g.side() == Side.CLIENT).findFirst().orElseThrow();
            assertEquals(2, client.states().get(TcpState.CLOSE_WAIT));
            assertNull(client.closeWaitIdle(), "/proc has no tcp_info: " + client);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void onlyVisitingAsksForTcpInfoAndOnlyCloseWaitGetsAnIdleAge() throws Exception {
        // three ESTABLISHED pairs and two half-closed ones: a client FIN_WAIT2 and a server CLOSE_WAIT each
        try (KnownSockets known = KnownSockets.ipv4(3, 2, 0); NetlinkSource source = new NetlinkSource()) {
            known.settle(source);
            source.count(known.filter());
            long counted = source.bytesInLastCount();
            List<SocketRow> rows = new ArrayList<>();
            source.visit(known.filter(), rows::add);
            long visited = source.bytesInLastCount();
            assertEquals(11, rows.size(), rows.toString());
            // a tcp_info for each full socket, the two CLOSE_WAIT's among them (tcpi_last_data_recv alone needs 56 bytes)
            assertTrue(visited - counted >= 2 * 56, "visit " + visited + " bytes, count " + counted);
            assertTrue(rows.stream().filter(r -> r.state() == TcpState.CLOSE_WAIT).allMatch(r -> r.idleMillis() >= 0), rows.toString());
            // the monitor reports a CLOSE_WAIT's idle age only: the others' tcp_info is not read
            assertTrue(rows.stream().filter(r -> r.state() != TcpState.CLOSE_WAIT).allMatch(r -> r.idleMillis() == -1),
                    "only CLOSE_WAIT has an idle age: " + rows);
            source.count(known.filter());
            assertEquals(counted, source.bytesInLastCount(), "a count after a visit asks for no tcp_info again");
        }
    }

    @Test
    void aCloseWaitIsAgedOnceThenByTheClockAndANewOneMakesTheNextVisitAsk() throws Exception {
        List<Socket> open = new ArrayList<>();
        try (ServerSocket listener = LoopbackSockets.listener(); NetlinkSource source = new NetlinkSource()) {
            SocketFilter filter = SocketFilter.ports(listener.getLocalPort());
            leaveCloseWait(listener, 2, open);
            List<SocketRow> first = visitUntil(source, filter, 2, true);
            Thread.sleep(300);
            List<SocketRow> second = new ArrayList<>();
            source.visit(filter, second::add);
            long visited = source.bytesInLastCount();
            // Counted right after the visit, not before the sleep: the server's closed ends on this
            // port may meanwhile turn from full FIN_WAIT2 sockets into smaller timewait records.
            long counted = countedBytes(source, filter);
            // no CLOSE_WAIT new since the first visit: no tcp_info, the same bytes as a count
            assertEquals(counted, visited, "the second visit asks for no tcp_info");
            for (SocketRow r : closeWaits(second)) {
                SocketRow before = closeWaits(first).stream().filter(f -> f.inode() == r.inode()).findFirst().orElseThrow();
                long grown = r.idleMillis() - before.idleMillis();
                assertTrue(grown >= 280 && grown < 5_000, "aged by the clock: " + before + " then " + r);
            }
            // a new CLOSE_WAIT: unknown in the visit that meets it, which makes the next one ask
            leaveCloseWait(listener, 1, open);
            List<SocketRow> third = visitUntil(source, filter, 3, false);
            assertEquals(1, closeWaits(third).stream().filter(r -> r.idleMillis() == SocketRow.UNKNOWN).count(), third.toString());
            List<SocketRow> fourth = new ArrayList<>();
            source.visit(filter, fourth::add);
            assertTrue(source.bytesInLastCount() > countedBytes(source, filter), "the visit after asks for tcp_info");
            assertTrue(closeWaits(fourth).stream().allMatch(r -> r.idleMillis() >= 0), fourth.toString());
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private static List<SocketRow> closeWaits(List<SocketRow> rows) {
        return rows.stream().filter(r -> r.state() == TcpState.CLOSE_WAIT).toList();
    }

    // Visits until the FINs have arrived and n CLOSE_WAIT show, all aged if asked (bounded); that visit's rows.
    private static List<SocketRow> visitUntil(NetlinkSource source, SocketFilter filter, int n, boolean aged) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            List<SocketRow> rows = new ArrayList<>();
            source.visit(filter, rows::add);
            List<SocketRow> cw = closeWaits(rows);
            boolean done = cw.size() == n && (!aged || cw.stream().allMatch(r -> r.idleMillis() >= 0));
            if (done || System.nanoTime() > deadline) {
                return rows;
            }
            Thread.sleep(10);
        }
    }

    private static long countedBytes(NetlinkSource source, SocketFilter filter) throws IOException {
        source.count(filter);
        return source.bytesInLastCount();
    }

    // Each client stays open; the server's end is closed at once, so the client is in CLOSE_WAIT.
    private static void leaveCloseWait(ServerSocket listener, int n, List<Socket> open) throws IOException {
        for (int i = 0; i < n; i++) {
            Socket c = LoopbackSockets.connect(listener);
            open.add(c);
            listener.accept().close();
        }
        // The FIN is on loopback, but the machine is shared: wait until every client has read it.
        for (Socket c : open.subList(open.size() - n, open.size())) {
            c.setSoTimeout(5_000);
            assertEquals(-1, c.getInputStream().read(), "the server's FIN arrived");
        }
    }

    private static Map<Integer, Long> timers(SocketRowSource rows, SocketFilter filter) throws IOException {
        Map<Integer, Long> out = new HashMap<>();
        try (rows) {
            rows.visit(filter, r -> {
                if (r.state() == TcpState.TIME_WAIT) {
                    out.put(r.localPort(), r.timerMillis());
                }
            });
        }
        return out;
    }

    // Sleeps in steps of at most 300 ms until the deadline (System.nanoTime()).
    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(300, left / 1_000_000 + 1));
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

}
