package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The port sysctls as the kernel writes them, read from fixture proc roots. */
class EphemeralPortsTest {

    @Test
    void reservedPortsAreSinglePortsAndRangesSeparatedByCommas() {
        BitSet r = EphemeralPorts.parseReserved("8080,20000-20009, 20050 ,65535\n");
        assertEquals(13, r.cardinality(), r.toString());
        assertTrue(r.get(8080) && r.get(20000) && r.get(20009) && r.get(20050) && r.get(65535), r.toString());
        assertFalse(r.get(20010), r.toString());
        assertEquals(0, EphemeralPorts.parseReserved("").cardinality());
        assertEquals(0, EphemeralPorts.parseReserved(" \n").cardinality());
    }

    @ParameterizedTest
    @ValueSource(strings = {"20009-20000", "x", "1,,2", "70000", "20000-", "-5"})
    void nonsenseIsRefused(String list) {
        assertThrows(IllegalArgumentException.class, () -> EphemeralPorts.parseReserved(list));
    }

    @Test
    void availableIsTheRangeLessTheReservedPortsInIt(@TempDir Path proc) throws IOException {
        write(proc, "ip_local_port_range", "20000\t20099\n");
        write(proc, "ip_local_reserved_ports", "80,20000-20009,40000\n");
        write(proc, "tcp_tw_reuse", "0\n");
        EphemeralPorts p = EphemeralPorts.read(proc);
        assertEquals(20000, p.low());
        assertEquals(20099, p.high());
        assertEquals(10, p.reservedInRange(), "80 and 40000 lie outside the range");
        assertEquals(90, p.available());
        assertEquals(0, p.twReuse());
        assertFalse(p.offers(20005), "reserved");
        assertTrue(p.offers(20010));
        assertFalse(p.offers(20100), "beyond the range");
    }

    @Test
    void anEmptyReservedListReservesNothing(@TempDir Path proc) throws IOException {
        write(proc, "ip_local_port_range", "20000 20099\n");
        write(proc, "ip_local_reserved_ports", "\n");
        write(proc, "tcp_tw_reuse", "2\n");
        EphemeralPorts p = EphemeralPorts.read(proc);
        assertEquals(100, p.available());
        assertEquals(2, p.twReuse());
    }

    @Test
    void missingSettingsTakeLinuxDefaults(@TempDir Path proc) {
        EphemeralPorts p = EphemeralPorts.read(proc);
        assertEquals(32768, p.low());
        assertEquals(60999, p.high());
        assertEquals(28232, p.available());
        assertEquals(2, p.twReuse());
    }

    @Test
    void thisKernelsSettingsRead() {
        EphemeralPorts p = EphemeralPorts.read(StateSources.DEFAULT_PROC_ROOT);
        assertEquals(Sysctls.readOne(StateSources.DEFAULT_PROC_ROOT, "net.ipv4.ip_local_port_range"), p.low() + " " + p.high());
        assertTrue(p.available() > 0 && p.available() <= p.high() - p.low() + 1, p.toString());
    }

    private static void write(Path proc, String name, String value) throws IOException {
        Path f = proc.resolve("sys/net/ipv4").resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, value);
    }
}
