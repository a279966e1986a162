package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.TransportKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A long run gives back every descriptor it opened: the client's, the sink's and the engine's. */
class FdLeakTest {

    private static final int SLACK = 5;

    @Test
    void hundredThousandConnectionsLeaveNoDescriptorsBehind() throws IOException {
        long before = openFds();
        // Abortive close (RST): the same open/close paths for descriptors, but no TIME_WAIT left
        // behind. 100k client TIME_WAITs would bring the namespace near tcp_max_tw_buckets
        // (131,072 by default), past which the kernel destroys new ones at once, and the tests that
        // run after this one count TIME_WAIT exactly.
        RunResult r = new ChurnEngine(Specs.count(TransportKind.BLOCKING, Closer.ABORT, 2, 100_000)).run(RunListener.NONE);
        long after = openFds();

        assertEquals(100_000, r.attempted());
        assertEquals(100_000, r.completed() + r.failed());
        assertEquals(Map.of(), r.failures(), "no cycle may fail");
        assertEquals(100_000, r.completed());
        assertTrue(Math.abs(after - before) <= SLACK, "open fds before " + before + ", after " + after);
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
