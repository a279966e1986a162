package dev.churn.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Load;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.config.TransportKind;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What --threads and the sink's listeners resolve to, and which combinations are refused. */
class RunSpecThreadsTest {

    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"SELECTOR", "EPOLL"})
    void eventLoopsDefaultToOnePerProcessorCappedByTheConcurrency(TransportKind t) {
        assertEquals(Math.min(CPUS, 64), spec(t, 64, 10_000, 0).loops());
        assertEquals(1, spec(t, 1, 10_000, 0).loops());
        // --connections 1 runs one connection at a time, so one loop whatever was asked.
        assertEquals(1, spec(t, 64, 1, 3).loops());
        assertEquals(3, spec(t, 64, 10_000, 3).loops());
    }

    @Test
    void moreLoopsThanConnectionsInFlightIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec(TransportKind.SELECTOR, 2, 10_000, 5));
        assertTrue(e.getMessage().startsWith("--threads 5 is more than the 2 connections in flight"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"SELECTOR", "EPOLL"}, mode = EnumSource.Mode.EXCLUDE)
    void otherTransportsRefuseThreads(TransportKind t) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec(t, 8, 10_000, 2));
        assertTrue(e.getMessage().startsWith("--threads is the event loops of the selector and epoll transports; --transport "
                + t.label()), e.getMessage());
        assertEquals(1, spec(t, 8, 10_000, 0).loops());
    }

    @Test
    void builtInSinkListensOnEveryProcessorWithManyClientsAndOnceForOne() {
        assertEquals(Math.min(CPUS, 64), spec(TransportKind.BLOCKING, 64, 10_000, 0).sinkListeners());
        assertEquals(1, spec(TransportKind.BLOCKING, 1, 10_000, 0).sinkListeners());
        RunSpec asked = Specs.withSocket(spec(TransportKind.BLOCKING, 64, 10_000, 0), SocketConfig.DEFAULTS.withListeners(3));
        assertEquals(3, asked.sinkListeners());
        RunSpec target = Specs.withTarget(spec(TransportKind.BLOCKING, 64, 10_000, 0),
                new InetSocketAddress("127.0.0.1", 9), 0);
        assertEquals(1, target.sinkListeners(), "no sink of ours: nothing to spread");
    }

    private static RunSpec spec(TransportKind t, int concurrency, long connections, int threads) {
        return new RunSpec(t, SocketConfig.DEFAULTS.withListeners(0), Closer.CLIENT, new Load.Closed(concurrency),
                connections, null, null, 0, 0, null, Duration.ofSeconds(5), 0, threads);
    }
}
