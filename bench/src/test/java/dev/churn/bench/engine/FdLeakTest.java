package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A long run gives back every descriptor it opened: the client's, the sink's and the engine's. */
class FdLeakTest {

    private static final int SLACK = 5;

    @Test
    void hundredThousandConnectionsLeaveNoDescriptorsBehind() throws IOException {
        long before = openFds();
        RunResult r = new ChurnEngine(Specs.count(TransportKind.BLOCKING, Closer.CLIENT, 2, 100_000)).run(RunListener.NONE);
        long after = openFds();

        assertEquals(100_000, r.attempted());
        assertEquals(100_000, r.completed() + r.failed());
        // 100k client TIME_WAITs on one destination outrun the ephemeral range; tcp_tw_reuse lets
        // loopback reuse them, and if the kernel still says no, those cycles are counted failures.
        assertTrue(r.failures().keySet().stream().allMatch(k -> Set.of(FailureKind.EADDRNOTAVAIL).contains(k)),
                () -> "only port exhaustion may fail: " + r.failures());
        assertTrue(r.completed() > 50_000, "completed " + r.completed());
        assertTrue(Math.abs(after - before) <= SLACK, "open fds before " + before + ", after " + after);
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
