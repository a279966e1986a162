package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code --by process} against {@code ss -tanp}: the same sockets per pid, and the same number
 * with no owner, with two processes on one port:
 * this JVM (a listener, established pairs) and a helper holding CLOSE_WAIT, whose peers are
 * orphaned FIN_WAIT2 that no process holds.
 */
class ProcessKeySsTest {

    private static final Path PROC = Path.of("/proc");
    private static final Pattern FIRST_PID = Pattern.compile("users:\\(\\(\"[^\"]*\",pid=(\\d+),");
    private static final String NO_OWNER = "none";

    @Test
    void ownersPerPidAgreeWithSsTanp() throws Exception {
        assumeTrue(NetlinkSource.isSupported(), "netlink sock_diag is not available here");
        assumeTrue(SsStates.available(), "ss is not installed");
        int held = 4;
        KnownSockets.assumeTimeWaitHeadroom(held); // our orphaned FIN_WAIT2s below are timewait sockets
        List<Socket> ours = new ArrayList<>();
        try (ServerSocket listener = LoopbackSockets.listener();
                GroupingSource source = new GroupingSource(new NetlinkSource(), List.of(GroupKey.PROCESS), 1000, PROC)) {
            int port = listener.getLocalPort();
            SocketFilter filter = SocketFilter.ports(port);
            Process holder = SocketHolder.start("127.0.0.1", port, held);
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", out.readLine(), "the holder connected");
                for (int i = 0; i < held; i++) {
                    listener.accept().close(); // the holder's ends go CLOSE_WAIT, ours orphaned FIN_WAIT2
                }
                for (int i = 0; i < 2; i++) { // two established pairs of our own
                    ours.add(LoopbackSockets.connect(listener));
                    ours.add(listener.accept());
                }
                Map<String, Long> fromSs = Map.of();
                Map<String, Long> fromUs = Map.of(NO_OWNER, -1L);
                // Sockets change state between the two reads (FIN_WAIT2 timers, the holder's CLOSE_WAITs
                // arriving): read both until they agree, within a bound, and show the last pair if not.
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (System.nanoTime() < deadline) {
                    source.count(filter);
                    fromUs = byPid(source.lastGroups());
                    fromSs = ssByPid(port);
                    if (fromUs.equals(fromSs) && fromUs.getOrDefault(Long.toString(holder.pid()), 0L) == held) {
                        break;
                    }
                    Thread.sleep(20);
                }
                assertEquals(fromSs, fromUs, "--by process against ss -tanp");
                assertEquals(held, fromUs.get(Long.toString(holder.pid())), "the holder's CLOSE_WAITs");
                assertEquals(1 + 2 * 2, fromUs.get(Long.toString(ProcessHandle.current().pid())),
                        "ours: the listener and two established pairs: " + fromUs);
                assertEquals(held, fromUs.getOrDefault(NO_OWNER, 0L), "our orphaned FIN_WAIT2s, unowned: " + fromUs);
            } finally {
                for (Socket s : ours) {
                    s.close();
                }
                try (OutputStream in = holder.getOutputStream()) {
                    in.flush();
                }
                if (!holder.waitFor(10, TimeUnit.SECONDS)) {
                    holder.destroyForcibly();
                }
            }
        }
    }

    // Total sockets per owning pid; sockets with no owner under "none".
    private static Map<String, Long> byPid(List<SocketGroup> groups) {
        Map<String, Long> m = new TreeMap<>();
        for (SocketGroup g : groups) {
            String key = g.pid() != null ? g.pid().toString() : NO_OWNER;
            m.merge(key, g.states().total(), Long::sum);
        }
        return m;
    }

    // ss -tanp lines end with users:(("comm",pid=P,fd=F),...) when a process holds the socket.
    private static Map<String, Long> ssByPid(int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ss", "-tanp", "state", "all", "( sport = :" + port + " or dport = :" + port + " )")
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "ss ended");
        Map<String, Long> m = new TreeMap<>();
        text.lines().skip(1).forEach(line -> {
            Matcher users = FIRST_PID.matcher(line);
            // ss lists a shared socket's users in /proc order, as SocketOwners takes the first.
            m.merge(users.find() ? users.group(1) : NO_OWNER, 1L, Long::sum);
        });
        return m;
    }
}
