package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlsTest {

    @Test
    void readsFixtureValuesAndLeavesMissingOnesOut(@TempDir Path proc) throws IOException {
        write(proc, "sys/net/ipv4/tcp_tw_reuse", "2\n");
        write(proc, "sys/net/ipv4/ip_local_port_range", "32768\t60999\n");
        write(proc, "sys/net/core/somaxconn", "4096\n");

        Map<String, String> s = Sysctls.read(proc);

        assertEquals("2", s.get("net.ipv4.tcp_tw_reuse"));
        assertEquals("32768 60999", s.get("net.ipv4.ip_local_port_range"));
        assertEquals("4096", s.get("net.core.somaxconn"));
        assertFalse(s.containsKey("net.ipv4.tcp_fin_timeout"));
        assertEquals(List.of("net.ipv4.tcp_tw_reuse", "net.ipv4.ip_local_port_range", "net.core.somaxconn"),
                List.copyOf(s.keySet()), "keys keep the order of NAMES");
    }

    @Test
    void readsThisKernel() {
        Map<String, String> s = Sysctls.read();
        // Every Linux kernel with IPv4 has these two; the port range is two numbers.
        assertTrue(s.get("net.core.somaxconn").matches("\\d+"), s.toString());
        assertTrue(s.get("net.ipv4.ip_local_port_range").matches("\\d+ \\d+"), s.toString());
    }

    private static void write(Path root, String rel, String content) throws IOException {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }
}
