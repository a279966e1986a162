package dev.churn.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.bench.lab.NetNamespace;
import dev.churn.monitor.TimeWaitBudget;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Before each run a comparison waits until the kernel's TIME_WAIT table has room for what the run
 * can leave: its --connections, or half the table. Real TIME_WAITs in a namespace of the test's
 * own, whose table is made small (root only; CI runs as root).
 */
class CompareRunnerRoomTest {

    @Test
    void theRoomARunNeedsIsItsConnectionsAtMostHalfTheTable() {
        assertEquals(300, CompareRunner.roomNeeded(List.of("--connections", "300", "--warmup", "0s"), 131_072));
        assertEquals(300, CompareRunner.roomNeeded(List.of("--connections=300"), 131_072));
        assertEquals(65_536, CompareRunner.roomNeeded(List.of("--connections", "1000000"), 131_072));
        assertEquals(65_536, CompareRunner.roomNeeded(List.of("--duration", "10s"), 131_072));
        // The last one wins, as in picocli; one the run will refuse leaves the safe half.
        assertEquals(7, CompareRunner.roomNeeded(List.of("--connections", "300", "--connections", "7"), 131_072));
        assertEquals(65_536, CompareRunner.roomNeeded(List.of("--connections", "lots"), 131_072));
        assertEquals(51, CompareRunner.roomNeeded(List.of(), 101));
    }

    @Test
    void aRunThatClosesWithAResetNeedsNoRoom() {
        assertEquals(0, CompareRunner.roomNeeded(List.of("--duration", "3s", "--linger", "0"), 131_072));
        assertEquals(0, CompareRunner.roomNeeded(List.of("--linger=0"), 131_072));
        assertEquals(0, CompareRunner.roomNeeded(List.of("--duration", "3s", "--closer", "abort"), 131_072));
        // the varied options come last, and the last one wins
        assertEquals(65_536, CompareRunner.roomNeeded(List.of("--linger", "0", "--linger", "off"), 131_072));
        assertEquals(0, CompareRunner.roomNeeded(List.of("--linger", "off", "--linger", "0"), 131_072));
        assertEquals(300, CompareRunner.roomNeeded(List.of("--linger", "5", "--connections", "300"), 131_072));
        assertEquals(65_536, CompareRunner.roomNeeded(List.of("--closer", "server"), 131_072));
        assertEquals(0, CompareRunner.roomNeeded(List.of("--closer", "server", "--linger", "0"), 131_072));
        // a half-close's client sends the first FIN: TIME_WAIT before its abortive close
        assertEquals(65_536, CompareRunner.roomNeeded(List.of("--closer", "half", "--linger", "0"), 131_072));
    }

    @Test
    void aRunThatFitsStartsAtOnceAndOneThatDoesNotWaits() throws Exception {
        assumeTrue(NetNamespace.permitted(), "network namespaces need root");
        try (NetNamespace ns = NetNamespace.create()) {
            ns.sysctl("net.ipv4.tcp_max_tw_buckets", "100");
            ns.call(() -> {
                leaveTimeWaits(60);
                TimeWaitBudget b = TimeWaitBudget.readThisThread();
                assertEquals(100, b.max());
                assertTrue(b.inUse() >= 60, b::toString);

                // 40 free: more than half the table is taken, yet a run of 20 connections fits.
                List<String> said = new ArrayList<>();
                CompareRunner.awaitTimeWaitRoom(List.of("--connections", "20"), progress(said), () -> true);
                assertEquals(List.of(), said);

                // A run of 45, or one bounded by time (half the table, 50), does not: it is said, then waited for
                // (here given up at once, as Ctrl-C would).
                CompareRunner.awaitTimeWaitRoom(List.of("--connections", "45"), progress(said), () -> true);
                CompareRunner.awaitTimeWaitRoom(List.of("--duration", "5s"), progress(said), () -> true);
                assertEquals(2, said.size(), said::toString);
                // The count is read afresh, and the kernel's tw count can move between two reads (a CI run
                // once saw 59 after 60): what must hold is a count that leaves less than the 45 needed.
                Matcher held = Pattern.compile("holds (\\d+) of 100 TIME_WAIT sockets").matcher(said.get(0));
                assertTrue(held.find(), said::toString);
                int n = Integer.parseInt(held.group(1));
                assertTrue(n > 55 && n <= 100, said::toString);
                assertTrue(said.get(0).contains("needs room for 45"), said::toString);
                assertTrue(said.get(1).contains("needs room for 50"), said::toString);

                // A run that closes with a RST needs none, however full the table.
                CompareRunner.awaitTimeWaitRoom(List.of("--duration", "5s", "--linger", "0"), progress(said), () -> false);
                assertEquals(2, said.size(), said::toString);
                return null;
            });
        }
    }

    private static CompareRunner.Progress progress(List<String> said) {
        return new CompareRunner.Progress() {
            @Override
            public void runDone(int number, int total, java.util.Map<String, String> config, int repeat,
                    com.fasterxml.jackson.databind.JsonNode summary) {}

            @Override
            public void waiting(String why) {
                said.add(why);
            }
        };
    }

    // Client-first closes on loopback: one TIME_WAIT each, on the client's end.
    private static void leaveTimeWaits(int n) throws Exception {
        try (ServerSocket l = new ServerSocket()) {
            l.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), n);
            for (int i = 0; i < n; i++) {
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), l.getLocalPort()); Socket s = l.accept()) {
                    c.close();
                    s.getInputStream().read(); // the client's FIN: the server's close is then the second
                }
            }
        }
    }
}
