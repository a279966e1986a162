package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.churn.monitor.Sysctls;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A --rcvbuf or --sndbuf the kernel would change silently is refused: above net.core.rmem_max it holds
 * the value to it, below its floor it raises it, and the table named the value asked
 * ('SO_RCVBUF 100,000,000, SO_SNDBUF 1' over sockets of 8,388,608 and 4,608 bytes, ss -tm).
 */
class SocketBuffersTest {

    @TempDir
    Path tmp;

    @Test
    void aBufferAboveTheSysctlIsRefused() throws Exception {
        // The kernel's own ceiling (INT_MAX / 2), above any net.core.rmem_max but one set to it
        long max = Long.parseLong(Sysctls.readOne(Path.of("/proc"), "net.core.rmem_max"));
        assumeTrue(max < Integer.MAX_VALUE / 2, "net.core.rmem_max " + max + " takes any value");
        String asked = Integer.toString(Integer.MAX_VALUE / 2);
        CliRun r = CliRun.churn("run", "--rcvbuf", asked, "--connections", "1", "--warmup", "0s", "--no-progress",
                "--out", tmp.resolve("r").toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith(String.format(Locale.ROOT, "churn run: --rcvbuf %,d: the kernel would hold it to",
                Long.parseLong(asked))), r.err());
        assertTrue(r.err().contains("net.core.rmem_max"), r.err());
    }

    @Test
    void aBufferUnderTheFloorIsRefusedAndOneTheKernelKeepsRuns() {
        CliRun r = CliRun.churn("run", "--sndbuf", "1", "--connections", "1", "--warmup", "0s", "--no-progress",
                "--out", tmp.resolve("s").toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("churn run: --sndbuf 1: the kernel would raise it to"), r.err());
        CliRun kept = CliRun.churn("run", "--sndbuf", "65536", "--rcvbuf", "65536", "--connections", "1", "--warmup", "0s",
                "--no-progress", "--out", tmp.resolve("k").toString());
        assertEquals(ExitCodes.OK, kept.code(), kept.err());
        assertTrue(kept.out().contains("SO_RCVBUF 65,536, SO_SNDBUF 65,536"), kept.out());
    }
}
