package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sockets that pass to another process keep their inodes: a python3 parent connects, forks, and lets its child keep
 * them, exiting or staying alive. The owner must follow them.
 */
class SocketOwnersHandOverTest {

    private static final Path PROC = Path.of("/proc");
    private static final int SOCKETS = 3;

    // Connects SOCKETS sockets, says 'ready', forks at the first line of input; the child holds them until the test
    // closes its ends (not until its input ends: Java closes a process's pipes when the process exits, and the child
    // shares the parent's); the parent closes its copies, says 'moved <child's pid>' (the parent, not the child: what
    // the child wrote after the parent exited could be lost with the pipe) and exits, or ('stay') waits for its input
    // to end. SIGALRM ends both after 30 s whatever the test does.
    private static final String SCRIPT = """
            import os, socket, sys, signal
            signal.alarm(30)
            held = [socket.create_connection(('127.0.0.1', int(sys.argv[1])), 5) for _ in range(int(sys.argv[2]))]
            print('ready', flush=True)
            sys.stdin.readline()
            child = os.fork()
            if child == 0:
                held[0].recv(1)
                os._exit(0)
            for s in held:
                s.close()
            print('moved %d' % child, flush=True)
            if sys.argv[3] == 'exit':
                os._exit(0)
            sys.stdin.read()
            """;

    @BeforeAll
    static void needs() throws InterruptedException {
        assumeTrue(NetlinkSource.isSupported(), "netlink sock_diag is not available here");
        assumeTrue(python3(), "python3 is not installed: no process here can fork with its sockets");
    }

    /** The reviewer's case: every later sample named the parent that had exited (review, 2026-12-07). */
    @Test
    void anOwnerThatExitedIsLookedForAgainAtOnce() throws Exception {
        // The default age: only the ended owner can make this scan.
        SocketOwners owners = new SocketOwners(PROC);
        handOver("exit", owners, Duration.ofSeconds(3));
    }

    /** A living parent that closed its copies cannot be told from the table: the age bound finds the child. */
    @Test
    void anOwnerThatLetGoIsFoundByTheNextScanAtMostMaxAgeLater() throws Exception {
        SocketOwners owners = new SocketOwners(PROC, Duration.ofMillis(300));
        handOver("stay", owners, Duration.ofSeconds(3));
    }

    private static void handOver(String mode, SocketOwners owners, Duration within) throws Exception {
        try (ServerSocket listener = LoopbackSockets.listener(); NetlinkSource source = new NetlinkSource()) {
            Process parent = new ProcessBuilder("python3", "-c", SCRIPT, Integer.toString(listener.getLocalPort()),
                    Integer.toString(SOCKETS), mode).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<Socket> accepted = new ArrayList<>();
            try (Writer in = parent.outputWriter()) {
                BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", out.readLine(), "the parent connected");
                for (int i = 0; i < SOCKETS; i++) {
                    accepted.add(listener.accept());
                }
                List<Long> inodes = clientInodes(source, listener.getLocalPort());
                assertEquals(SOCKETS, inodes.size(), "the parent's sockets: " + inodes);
                assertEquals(List.of(parent.pid()), ownersOf(owners, inodes), "before the fork, the parent's");
                in.write("fork\n");
                in.flush();
                String moved = out.readLine();
                assertTrue(moved != null && moved.startsWith("moved "), "the parent forked and let go: " + moved);
                long child = Long.parseLong(moved.substring(6));
                if (mode.equals("exit")) {
                    assertTrue(parent.waitFor(10, TimeUnit.SECONDS), "the parent exited");
                }
                List<Long> expected = List.of(child);
                long deadline = System.nanoTime() + within.toNanos();
                List<Long> seen = ownersOf(owners, inodes);
                while (!seen.equals(expected) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    seen = ownersOf(owners, inodes);
                }
                assertEquals(expected, seen, "after the hand-over, the child's (" + mode + "; the parent was " + parent.pid()
                        + ")");
            } finally {
                for (Socket s : accepted) {
                    s.close();
                }
                // Our end of its stdin is closed: the child (and a staying parent) read EOF and exit.
                if (!parent.waitFor(10, TimeUnit.SECONDS)) {
                    parent.destroyForcibly();
                }
            }
        }
    }

    // One sample's owners of these inodes, distinct, in order met.
    private static List<Long> ownersOf(SocketOwners owners, List<Long> inodes) {
        owners.beginSample();
        return inodes.stream().map(owners::owner).map(o -> o == null ? -1L : o.pid()).distinct().toList();
    }

    // The client ends (remote port the listener's) and their inodes.
    private static List<Long> clientInodes(NetlinkSource source, int port) throws IOException {
        List<Long> inodes = new ArrayList<>();
        source.visit(SocketFilter.ports(port), r -> {
            if (r.remotePort() == port && r.state() == TcpState.ESTABLISHED) {
                inodes.add(r.inode());
            }
        });
        return inodes;
    }

    private static boolean python3() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import os; os.fork").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
