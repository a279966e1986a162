package dev.churn.bench.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C and the lab's namespaces. A Ctrl-C that came during an {@code ip netns add} left that namespace behind (2 of
 * 20 Ctrl-Cs of {@code churn lab timewait}, QA 2026-12-07; 3 of 30 when measured again): the terminal's SIGINT killed
 * ip halfway (a file of mode 000 in /run/netns), or the hook looked before the name was recorded. And one that came
 * before the class loaded made its loading throw, a stack trace on the terminal.
 */
class NetNamespaceStopTest {

    /**
     * A lab killed by SIGKILL runs no hook: its namespaces stayed in /run/netns for good. The next lab removes those
     * whose churn no longer runs, and keeps one whose pid runs.
     */
    @Test
    void aKilledLabsNamespacesAreRemovedByTheNext() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(NetNamespace.permitted(), "network namespaces need root");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String orphan = NetNamespace.PREFIX + gone.pid() + "-1";
        // A live process not this JVM: its lab may be at work.
        Process alive = new ProcessBuilder("sleep", "30").start();
        String live = NetNamespace.PREFIX + alive.pid() + "-1";
        try {
            NetNamespace.ip("netns", "add", orphan);
            NetNamespace.ip("netns", "add", live);
            NetNamespace.create().close();
            List<String> left = NetNamespace.existing();
            assertFalse(left.contains(orphan), left::toString);
            assertTrue(left.contains(live), left::toString);
        } finally {
            alive.destroyForcibly();
            for (String n : List.of(orphan, live)) {
                try {
                    NetNamespace.ip("netns", "del", n);
                } catch (java.io.IOException alreadyGone) {
                    // removed by the lab
                }
            }
        }
    }

    /** ip runs in a session of its own, so the terminal's Ctrl-C reaches churn and not ip. */
    @Test
    void ipRunsInASessionOfItsOwn() {
        List<String> cmd = NetNamespace.command("netns", "add", "x");
        assertEquals(List.of("ip", "netns", "add", "x"), cmd.subList(cmd.indexOf("ip"), cmd.size()));
        if (Files.isExecutable(Path.of(HostProcess.SETSID))) {
            assertEquals(List.of(HostProcess.SETSID, "-w"), cmd.subList(0, 2), cmd::toString);
        }
    }

    /** A first touch during the JVM's shutdown loads the class, and create() refuses in words: no namespace, no trace. */
    @Test
    void aNamespaceAskedForWhileTheJvmStopsIsRefusedInOneLine() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), NetNamespaceAtShutdown.class.getName()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the JVM did not exit");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertFalse(err.contains("Exception"), err);
        assertEquals("refused: stopped by Ctrl-C or SIGTERM: no lab namespace is made while churn stops", out.strip(), err);
    }
}
