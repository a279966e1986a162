package dev.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TW counter read between samples: a proc fixture whose netstat the test moves on. */
class TimeWaitEntriesTest {

    @TempDir
    Path proc;

    private void netstat(long tw) throws IOException {
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/netstat"), "TcpExt: SyncookiesSent TW TWRecycled\nTcpExt: 0 " + tw + " 5\n");
    }

    @Test
    void entriesPerSecondBetweenSamplesAndNothingWithoutTheFile() throws IOException {
        TimeWaitEntries e = new TimeWaitEntries(proc);
        assertTrue(Double.isNaN(e.perSecond(0)), "no netstat: not read");
        netstat(1_000);
        assertTrue(Double.isNaN(e.perSecond(1_000_000_000L)), "the first reading has nothing to compare with");
        netstat(33_384);
        assertEquals(32_384, e.perSecond(2_000_000_000L), 1e-9);
        netstat(34_384);
        assertEquals(2_000, e.perSecond(2_500_000_000L), 1e-9);
        assertFalse(e.killedMoved(), "no TWKilled in this netstat");
    }

    /**
     * Under tcp_fin_timeout 4 or less the kernel counts a client's timewait socket in TWKilled (made as a FIN_WAIT2 of 4 s
     * or less) and its turn to TIME_WAIT in nothing: TW alone read 0.0/s while 300 entered (review, 2026-12-07).
     */
    @Test
    void timewaitSocketsCountedInTwKilledAreEntriesToo() throws IOException {
        TimeWaitEntries e = new TimeWaitEntries(proc);
        killed(100, 40);
        assertTrue(Double.isNaN(e.perSecond(0)));
        killed(102, 338);
        assertEquals(300, e.perSecond(1_000_000_000L), 1e-9);
        assertTrue(e.killedMoved());
        killed(152, 338);
        assertEquals(50, e.perSecond(2_000_000_000L), 1e-9);
        assertFalse(e.killedMoved());
    }

    private void killed(long tw, long killed) throws IOException {
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/netstat"), "TcpExt: SyncookiesSent TW TWRecycled TWKilled\nTcpExt: 0 " + tw
                + " 5 " + killed + "\n");
    }
}
