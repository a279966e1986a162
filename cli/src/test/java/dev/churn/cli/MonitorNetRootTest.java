package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code monitor --proc-root DIR} reads the network files. A procfs's {@code net} links to {@code self/net}, the
 * reader's own namespace: a host's proc mounted in a container gave the container's sockets as the host's. Such a
 * root is read through PID 1's folder; a process folder, and the reader's own /proc, as they are. (A fixture of the
 * procfs layout: the links are what the kernel makes, as {@code ls -l /proc/net} shows.)
 */
class MonitorNetRootTest {

    @Test
    void aProcRootWhoseNetIsTheReadersOwnIsReadThroughPidOne(@TempDir Path tmp) throws Exception {
        Path host = Files.createDirectories(tmp.resolve("hostproc"));
        Files.createSymbolicLink(host.resolve("net"), Path.of("self/net"));
        Path pidOneNet = Files.createDirectories(host.resolve("1").resolve("net"));
        Files.writeString(pidOneNet.resolve("tcp"), "  sl  local_address rem_address   st\n");
        assertEquals(host.resolve("1"), MonitorCommand.netRoot(host));

        // A process's folder: its net is a directory of that namespace's files.
        assertEquals(host.resolve("1"), MonitorCommand.netRoot(host.resolve("1")));
        // A link elsewhere, or no PID 1 to read through: as given.
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.createSymbolicLink(other.resolve("net"), Path.of("1/net"));
        assertEquals(other, MonitorCommand.netRoot(other));
        Path noPidOne = Files.createDirectories(tmp.resolve("nopid1"));
        Files.createSymbolicLink(noPidOne.resolve("net"), Path.of("self/net"));
        assertEquals(noPidOne, MonitorCommand.netRoot(noPidOne));
    }

    @Test
    void theReadersOwnProcIsReadAsItIs() {
        assertEquals(Path.of("/proc"), MonitorCommand.netRoot(Path.of("/proc")));
    }
}
