package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host whose setup leaves the built-in sink nowhere to listen gets a line that says what to look at,
 * not a bare errno: each case is made for real in a private network namespace (its sysctls are its own).
 */
class HostSetupMessagesTest {

    @TempDir
    Path tmp;

    @Test
    void ipv6OffOnLoopbackIsNamed() throws Exception {
        PrivateNetns.Ended r = PrivateNetns.churn(tmp, "echo 1 > /proc/sys/net/ipv6/conf/lo/disable_ipv6", 60,
                "run", "--ipv6", "--connections", "10", "--no-progress", "--out", tmp.resolve("r").toString());
        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.console());
        String line = r.console().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("churn run: the built-in sink cannot listen on [::1]:0: bind: errno 99"), line);
        assertTrue(line.contains("net.ipv6.conf.lo.disable_ipv6"), line);
        assertFalse(Files.exists(tmp.resolve("r").resolve("summary.json")));
    }

    @Test
    void everyPickablePortReservedIsNamedWithTheRangeAndTheReservation() throws Exception {
        PrivateNetns.Ended r = PrivateNetns.churn(tmp, "echo 40000 40010 > /proc/sys/net/ipv4/ip_local_port_range"
                + " && echo 40000-40010 > /proc/sys/net/ipv4/ip_local_reserved_ports", 60,
                "run", "--connections", "10", "--no-progress", "--out", tmp.resolve("r").toString());
        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.console());
        String line = r.console().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("churn run: the built-in sink found no free port to listen on: bind: errno 98"), line);
        assertTrue(line.contains("ip_local_port_range, 40000 40010, less net.ipv4.ip_local_reserved_ports, 40000-40010"), line);
    }
}
