package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SocketHashTableTest {

    @Test
    void theSettingsTextSaysTheSizeAndWhetherItIsShared() {
        assertEquals(Optional.of(new SocketHashTable(262_144, true)), SocketHashTable.parse("-262144"));
        assertEquals(Optional.of(new SocketHashTable(1_024, false)), SocketHashTable.parse("1024\n"));
        // Absent (a kernel before 6.1), nonsense, or 0: nothing said of it.
        for (String v : new String[] {null, "", "x", "0", "12.5"}) {
            assertEquals(Optional.empty(), SocketHashTable.parse(v), String.valueOf(v));
        }
    }

    @Test
    void theHintAdvisesATableOfItsOwnOnlyWhereTheTableIsShared() {
        String shared = new SocketHashTable(262_144, true).costHint().orElseThrow();
        assertTrue(shared.contains("262,144 buckets here, shared with every network namespace"), shared);
        assertTrue(shared.contains("(net.ipv4.tcp_ehash_entries reads -262144, the minus for a table not this namespace's own)"), shared);
        assertTrue(shared.contains("net.ipv4.tcp_child_ehash_entries"), shared);
        // Shared, even small: the other namespaces' sockets are in the walk.
        assertTrue(new SocketHashTable(4_096, true).costHint().isPresent());
        String own = new SocketHashTable(262_144, false).costHint().orElseThrow();
        assertFalse(own.contains("tcp_child_ehash_entries"), own);
        assertEquals(Optional.empty(), new SocketHashTable(1_024, false).costHint());
    }

    /**
     * The setting read as churn reads it (Sysctls), in a namespace of its own table made by a parent namespace whose
     * tcp_child_ehash_entries asked for it, and in one that shares the host's: the host's own setting is not touched.
     */
    @Test
    void aNamespaceMadeWithTcpChildEhashEntriesHasATableOfItsOwn() throws Exception {
        assumeTrue(Path.of("/proc/sys/net/ipv4/tcp_child_ehash_entries").toFile().exists(),
                "needs Linux 6.1+ (net.ipv4.tcp_child_ehash_entries)");
        assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "needs root for network namespaces (unshare -n)");
        String shared = inNamespace("cat /proc/sys/net/ipv4/tcp_ehash_entries");
        String own = inNamespace("sysctl -qw net.ipv4.tcp_child_ehash_entries=1024"
                + " && unshare -n cat /proc/sys/net/ipv4/tcp_ehash_entries");
        SocketHashTable host = SocketHashTable.parse(Sysctls.readOne(StateSources.DEFAULT_PROC_ROOT, SocketHashTable.SYSCTL))
                .orElseThrow();
        if (!host.shared()) {
            // The first namespace's table: a namespace made from it shares that table, the same size, negative.
            assertEquals(Optional.of(new SocketHashTable(host.buckets(), true)), SocketHashTable.parse(shared));
        }
        assertEquals(Optional.of(new SocketHashTable(1_024, false)), SocketHashTable.parse(own));
    }

    private static String inNamespace(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("unshare", "-n", "sh", "-c", script).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "unshare did not end");
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assumeTrue(p.exitValue() == 0 || !out.contains("unshare failed"), "no network namespace here: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
