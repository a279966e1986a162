package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SockstatReaderTest {

    @Test
    void readsEveryFieldOfTheTcpLine() throws IOException {
        SockstatReader reader = new SockstatReader(ProcFixtures.root("basic"));
        assertEquals(new Sockstat(14, 1, 3, 22, 7), reader.read());
        assertEquals(8, reader.readTcp6InUse());
    }

    @Test
    void fieldsTheLineLacksOrGarblesAreMinusOne() throws IOException {
        SockstatReader reader = new SockstatReader(ProcFixtures.root("malformed"));
        assertEquals(new Sockstat(5, -1, 2, -1, -1), reader.read()); // "TCP: inuse 5 tw 2 orphan x"
        assertEquals(-1, reader.readTcp6InUse(), "no sockstat6 in this fixture");
    }

    @Test
    void aMissingFileIsUnknown(@TempDir Path empty) throws IOException {
        SockstatReader reader = new SockstatReader(empty);
        assertEquals(Sockstat.UNKNOWN, reader.read());
        assertEquals(-1, reader.readTcp6InUse());
    }

    @Test
    void theRealKernelCountsAtLeastTheTimeWaitSocketsJustMade() throws Exception {
        SockstatReader reader = new SockstatReader(StateSources.DEFAULT_PROC_ROOT);
        try (KnownSockets known = KnownSockets.ipv4(1, 0, 5);
                ProcNetTcpSource proc = new ProcNetTcpSource(StateSources.DEFAULT_PROC_ROOT)) {
            assertEquals(known.expected(), known.settle(proc)); // the five TIME_WAIT exist now
            Sockstat now = reader.read();
            assertTrue(now.tw() >= 5, "tw " + now.tw());
            assertTrue(now.inuse() >= 0 && now.orphan() >= 0 && now.alloc() >= 0 && now.mem() >= 0, now.toString());
            // Java's loopback sockets are dual-stack IPv6 sockets: TCP6 inuse holds our listener and pair
            assertTrue(reader.readTcp6InUse() >= 3, "TCP6 inuse " + reader.readTcp6InUse());
        }
    }

    @Test
    void aReaderKeptOpenReadsTheKernelAfreshEachTime() throws Exception {
        // Opened once and read again at offset 0: each read must be the kernel's count now, not the
        // first read's text. 200 listeners more (Java's are dual-stack: TCP6 inuse), then none.
        int n = 200;
        try (SockstatReader reader = new SockstatReader(StateSources.DEFAULT_PROC_ROOT)) {
            long before = reader.readTcp6InUse();
            List<ServerSocket> listeners = new ArrayList<>();
            long during;
            try {
                for (int i = 0; i < n; i++) {
                    listeners.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
                }
                during = reader.readTcp6InUse();
            } finally {
                for (ServerSocket l : listeners) {
                    l.close();
                }
            }
            long after = reader.readTcp6InUse();
            // Other processes open and close sockets too: a margin of a quarter.
            assertTrue(during - before >= n * 3 / 4, "TCP6 inuse " + before + " then " + during + " with " + n + " listeners more");
            assertTrue(during - after >= n * 3 / 4, "TCP6 inuse " + during + " then " + after + " with them closed");
            assertTrue(reader.read().inuse() >= 0);
        }
    }
}
