package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
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
}
