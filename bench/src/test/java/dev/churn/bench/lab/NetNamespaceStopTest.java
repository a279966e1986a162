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
