package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeWaitBudgetTest {

    @Test
    void headroomIsTheCapMinusTheTimewaitSocketsInUse(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("net"));
        Files.createDirectories(root.resolve("sys/net/ipv4"));
        Files.writeString(root.resolve("net/sockstat"), "sockets: used 9\\nTCP: inuse 3 orphan 0 tw 1200 alloc 5 mem 1\\n".translateEscapes());
        Files.writeString(root.resolve("sys/net/ipv4/tcp_max_tw_buckets"), "131072\\n".translateEscapes());
        TimeWaitBudget b = TimeWaitBudget.read(root);
        assertEquals(new TimeWaitBudget(1200, 131072), b);
        assertEquals(131072 - 1200, b.headroom());
        assertEquals(0, new TimeWaitBudget(140_000, 131072).headroom(), "over the cap is no headroom, not negative");
        assertEquals(Long.MAX_VALUE, new TimeWaitBudget(-1, -1).headroom(), "unknown: no limit known");
    }

    @Test
    void theRealKernelReportsACapAndAUse() throws Exception {
        TimeWaitBudget b = TimeWaitBudget.read();
        assertTrue(b.max() >= 0, "tcp_max_tw_buckets " + b.max()); // 0 is a cap too: no TIME_WAIT kept at all
        assertTrue(b.inUse() >= 0, "sockstat tw " + b.inUse());
    }
}
