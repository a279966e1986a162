package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelCountersTest {

    @Test
    void readsTheTcpAndTcpExtPairsByTheKernelsNames() throws IOException {
        KernelCounters c = KernelCounters.read(ProcFixtures.root("basic"));
        assertEquals(1000, c.get("ActiveOpens"));
        assertEquals(990, c.get("PassiveOpens"));
        assertEquals(3, c.get("AttemptFails"));
        assertEquals(7, c.get("EstabResets"));
        assertEquals(12, c.get("CurrEstab"));
        assertEquals(40, c.get("OutRsts"));
        assertEquals(-1, c.get("MaxConn"));
        assertTrue(c.has("MaxConn"));
        assertEquals(800, c.get("TW"));
        assertEquals(2, c.get("TWKilled"));
        assertEquals(5, c.get("ListenOverflows"));
        assertEquals(6, c.get("ListenDrops"));
        assertEquals(9, c.get("TCPAbortOnData"));
        assertEquals(11, c.get("TCPAbortOnClose"));
        assertEquals(0, c.get("TCPTimeWaitOverflow"));
        assertEquals(312, c.get("SyncookiesFailed"));
    }

    @Test
    void onlyTcpLinesCountAndTheOrderIsTheFilesOrder() throws IOException {
        KernelCounters c = KernelCounters.read(ProcFixtures.root("basic"));
        assertFalse(c.has("InReceives"), "an Ip: counter");
        assertFalse(c.has("InDatagrams"), "a Udp: counter");
        assertFalse(c.has("InOctets"), "an IpExt: counter");
        assertFalse(c.has("MPCurrEstab"), "an MPTcpExt: counter");
        assertEquals(-1, c.get("InReceives"));
        List<String> names = List.copyOf(c.values().keySet());
        assertEquals(List.of("RtoAlgorithm", "RtoMin", "RtoMax", "MaxConn", "ActiveOpens"), names.subList(0, 5));
        assertEquals("SyncookiesSent", names.get(15), "TcpExt follows the 15 Tcp counters");
        assertThrows(UnsupportedOperationException.class, () -> c.values().put("x", 1L));
    }

    @Test
    void minusGivesDeltasForCountersAndKeepsGaugesLater() throws IOException {
        KernelCounters before = KernelCounters.read(ProcFixtures.root("basic"));
        KernelCounters after = KernelCounters.read(ProcFixtures.root("after"));
        KernelCounters delta = after.minus(before);
        assertEquals(250, delta.get("ActiveOpens"));
        assertEquals(250, delta.get("PassiveOpens"));
        assertEquals(1, delta.get("AttemptFails"));
        assertEquals(0, delta.get("EstabResets"));
        assertEquals(7, delta.get("OutRsts"));
        assertEquals(250, delta.get("TW"));
        assertEquals(2, delta.get("ListenDrops"));
        assertEquals(1, delta.get("TCPAbortOnData"));
        assertEquals(9, delta.get("TCPAbortOnClose"));
        assertEquals(1, delta.get("TCPTimeWaitOverflow"));
        assertEquals(0, delta.get("SyncookiesFailed"));
        assertEquals(9, delta.get("CurrEstab"), "a gauge keeps the later value");
        assertEquals(-1, delta.get("MaxConn"), "a constant keeps the later value");
        assertEquals(200, delta.get("RtoMin"));
        assertEquals(after.values().keySet(), delta.values().keySet());
    }

    @Test
    void gaugesAndConstantsAreToldApartFromCounters() throws IOException {
        KernelCounters delta = KernelCounters.read(ProcFixtures.root("after")).minus(KernelCounters.read(ProcFixtures.root("basic")));
        assertEquals(java.util.Set.of("RtoAlgorithm", "RtoMin", "RtoMax", "MaxConn", "CurrEstab"),
                delta.only(KernelCounters.Kind.GAUGE).values().keySet());
        assertEquals(KernelCounters.Kind.COUNTER, KernelCounters.kindOf("OutRsts"));
        assertEquals(KernelCounters.Kind.GAUGE, KernelCounters.kindOf("RtoMax"));
        assertFalse(delta.only(KernelCounters.Kind.COUNTER).has("RtoMax"));
        assertEquals(delta.values().size(), delta.only(KernelCounters.Kind.COUNTER).values().size()
                + delta.only(KernelCounters.Kind.GAUGE).values().size());
    }

    @Test
    void countersMissingBeforeAreLeftOutOfTheDelta() throws IOException {
        KernelCounters after = KernelCounters.read(ProcFixtures.root("after"));
        KernelCounters delta = after.minus(KernelCounters.EMPTY);
        assertFalse(delta.has("ActiveOpens"));
        assertEquals(9, delta.get("CurrEstab"));
    }

    @Test
    void missingFilesGiveEmptyCounters(@TempDir Path empty) throws IOException {
        assertEquals(KernelCounters.EMPTY, KernelCounters.read(empty));
        assertTrue(KernelCounters.read(empty).values().isEmpty());
    }

    @Test
    void theRealKernelCountsTheConnectionsJustOpened() throws Exception {
        Path proc = StateSources.DEFAULT_PROC_ROOT;
        KernelCounters before = KernelCounters.read(proc);
        try (KnownSockets known = KnownSockets.ipv4(3, 4, 5)) {
            KernelCounters delta = KernelCounters.read(proc).minus(before);
            // 12 connects, 12 accepts; other processes may add more, never less
            assertTrue(delta.get("ActiveOpens") >= 12, "ActiveOpens delta " + delta.get("ActiveOpens"));
            assertTrue(delta.get("PassiveOpens") >= 12, "PassiveOpens delta " + delta.get("PassiveOpens"));
            assertTrue(delta.get("TW") >= 0, "TW delta " + delta.get("TW"));
            assertTrue(delta.has("ListenOverflows"));
        }
    }
}
